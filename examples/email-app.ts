/**
 * The email example: a handler that reads its task's execution context,
 * and one that uses shared application state.
 */
import {
  type Driver,
  handler,
  type PgContext,
  stateKey,
} from "../src/index.ts";

export interface Email {
  to: string;
  subject: string;
  body: string;
}

/** Context only: high-priority mail takes the express lane. */
export const process = handler(
  {},
  async (email: Email, { context }: { context: PgContext }) =>
    context.priority > 5 ? `express:${email.to}` : `regular:${email.to}`,
);

/** Records what it "sends", so examples and tests can look. */
export class EmailClient {
  readonly sent: Email[] = [];
  async send(email: Email): Promise<void> {
    this.sent.push(email);
  }
}

export interface AppConfig {
  from: string;
  /** Longest time one delivery may take, ms. */
  deliveryTimeoutMs: number;
}

/** Counts attempts by priority, as a metrics client would. */
export class MetricsCollector {
  readonly attempts = new Map<number, number>();
  recordAttempt(priority: number): void {
    this.attempts.set(priority, (this.attempts.get(priority) ?? 0) + 1);
  }
}

/** Everything the email handlers share: made once, passed by reference. */
export interface AppState {
  database: Driver;
  emailClient: EmailClient;
  config: AppConfig;
  metrics: MetricsCollector;
}

export const App = stateKey<AppState>("App");

/** Shared state: the same clients and pool for every task. */
export const processWithState = handler(
  { needs: { app: App } },
  async (email: Email, { context }, { app }) => {
    app.metrics.recordAttempt(context.priority);
    await app.database.query(
      "CREATE TABLE IF NOT EXISTS outbox (recipient text, subject text)",
    );
    await app.database.query(
      "INSERT INTO outbox (recipient, subject) VALUES ($1, $2)",
      [email.to, email.subject],
    );
    await app.emailClient.send(email);
  },
);
