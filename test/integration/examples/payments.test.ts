import { describe, expect, it } from "vitest";
import {
  Emails,
  type EmailTask,
  Images,
  Layered,
  type LayeredState,
  type PaymentTask,
  processPayment,
  sendEmail,
} from "../../../examples/payments.ts";
import {
  handler,
  MissingStateError,
  WorkerBuilder,
} from "../../../src/index.ts";
import { memorySetup, startWorker } from "../../support/worker-cases/setup.ts";

describe("layered and feature-specific state", () => {
  it("runs a payment through the database layer and the service layer", async () => {
    const { clock, storage, of } = await memorySetup<PaymentTask>();
    const audit: string[] = [];
    const state: LayeredState = {
      database: {
        users: {
          findById: async (id) => ({ id, paymentMethod: `card-of-${id}` }),
        },
      },
      services: {
        payments: {
          charge: async (cents, method) => `receipt(${method},${cents})`,
        },
        audit: { record: async (entry) => void audit.push(entry) },
      },
      config: { currency: "EUR" },
    };
    await storage.push({ userId: "u1", amountCents: 1250 });
    await startWorker(
      new WorkerBuilder("payments")
        .backend(storage)
        .data(Layered, state)
        .build(processPayment),
    );
    await clock.runUntil(() => of("task:succeeded").length === 1);
    expect(audit).toEqual(["receipt(card-of-u1,1250) 1250 EUR"]);
  });

  it("gives a handler only the state it asked for", async () => {
    const { clock, storage, of } = await memorySetup<EmailTask>();
    const sent: string[] = [];
    let keys: string[] = [];
    const emailState = {
      smtp: {
        send: async (to: string, html: string) => {
          sent.push(`${to}:${html}`);
        },
      },
      templates: {
        render: (name: string, data: object) =>
          `${name}(${JSON.stringify(data)})`,
      },
      rateLimiter: { check: async () => {} },
    };
    // Runs sendEmail, noting which state it was handed.
    const observed = handler(
      { needs: sendEmail.needs },
      (args: EmailTask, task, state) => {
        keys = Object.keys(state);
        return sendEmail.run(args, task, state);
      },
    );
    await storage.push({
      to: "a@example.com",
      template: "welcome",
      data: { n: "Ada" },
    });
    await startWorker(
      new WorkerBuilder("emails")
        .backend(storage)
        .data(Emails, emailState)
        .data(Images, { storage: { put: async () => {} } })
        .build(observed),
    );
    await clock.runUntil(() => of("task:succeeded").length === 1);
    expect(sent).toEqual(['a@example.com:welcome({"n":"Ada"})']);
    expect(keys).toEqual(["email"]);
  });

  it("refuses a worker for sendEmail that only has image state", async () => {
    const { storage } = await memorySetup<EmailTask>();
    expect(() =>
      new WorkerBuilder("emails")
        .backend(storage)
        .data(Images, { storage: { put: async () => {} } })
        // @ts-expect-error Emails is missing
        .build(sendEmail),
    ).toThrow(MissingStateError);
  });
});
