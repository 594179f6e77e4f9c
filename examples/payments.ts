/**
 * State composed in layers (a database layer and a service layer), and
 * feature-specific state: each handler asks only for what it uses.
 */
import { handler, stateKey } from "../src/index.ts";

export interface PaymentTask {
  userId: string;
  amountCents: number;
}

export interface User {
  id: string;
  paymentMethod: string;
}

export interface DatabaseLayer {
  users: { findById(id: string): Promise<User> };
}

export interface ServiceLayer {
  payments: { charge(cents: number, method: string): Promise<string> };
  audit: { record(entry: string): Promise<void> };
}

export interface LayeredState {
  database: DatabaseLayer;
  services: ServiceLayer;
  config: { currency: string };
}

export const Layered = stateKey<LayeredState>("Layered");

export const processPayment = handler(
  { needs: { state: Layered } },
  async (task: PaymentTask, _task, { state }) => {
    const user = await state.database.users.findById(task.userId);
    const receipt = await state.services.payments.charge(
      task.amountCents,
      user.paymentMethod,
    );
    await state.services.audit.record(
      `${receipt} ${task.amountCents} ${state.config.currency}`,
    );
  },
);

/** State for email features only. */
export interface EmailState {
  smtp: { send(to: string, html: string): Promise<void> };
  templates: { render(name: string, data: object): string };
  rateLimiter: { check(): Promise<void> };
}

/** State for image features only. */
export interface ImageState {
  storage: { put(key: string, bytes: Uint8Array): Promise<void> };
}

export const Emails = stateKey<EmailState>("Emails");
export const Images = stateKey<ImageState>("Images");

export interface EmailTask {
  to: string;
  template: string;
  data: Record<string, string>;
}

/** Needs the email state and nothing else, even if a worker has more. */
export const sendEmail = handler(
  { needs: { email: Emails } },
  async (task: EmailTask, _task, { email }) => {
    await email.rateLimiter.check();
    const html = email.templates.render(task.template, task.data);
    await email.smtp.send(task.to, html);
  },
);
