/**
 * Sending emails: the execution context and shared state, side by side.
 *
 * Two workers serve the same queue, like two services of one app:
 * - `email_worker` runs `process`, which decides by the task's
 *   execution context (backend metadata such as its priority);
 * - `email_worker_with_state` runs `processWithState`, which uses the
 *   application's shared state (`AppState`: a database pool, an email
 *   client, config and metrics), built once per process and shared by
 *   every task.
 */
import { handler, type PgContext, stateKey, type TaskInput } from "tasklab";
import type {
  Database,
  EmailClient,
  Metrics,
  PlaygroundFile,
} from "tasklab/playground";

/** The task: one email to send. */
export interface Email {
  to: string;
  subject: string;
  text: string;
}

/** The mail server refused; the runtime retries with backoff. */
class EmailError extends Error {
  override name = "EmailError";
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Decides by the execution context, read-only metadata of this task. */
export async function process(
  email: Email,
  { context, attempt, log }: TaskInput<PgContext>,
): Promise<void> {
  if (context.priority > 5) {
    // High priority: handled at once, without the usual checks.
    log.info(`priority ${context.priority}: ${email.to} handled at once`);
    return;
  }
  // Regular processing. A "flaky" address fails its first attempt; the
  // next one sees why in context.lastError.
  if (email.to.startsWith("flaky") && context.lastError === null) {
    throw new EmailError(`mail server busy for ${email.to}`);
  }
  await pause(150);
  log.info(`attempt ${attempt}: ${email.to} handled`);
}

/** How this app behaves; part of the shared state. */
export interface AppConfig {
  readonly sender: string;
  readonly footer: string;
}

/** Everything every task shares: built once, passed by reference. */
export interface AppState {
  readonly database: Database;
  readonly emailClient: EmailClient;
  readonly config: AppConfig;
  readonly metrics: Metrics;
}

export const AppState = stateKey<AppState>("AppState");

/** Uses the shared state: the pool, the email client, config, metrics. */
export const processWithState = handler(
  { needs: { state: AppState } },
  async (email: Email, { taskId, attempt }, { state }) => {
    const { rows } = await state.database.query<{ sent: number }>(
      "SELECT count(*)::int AS sent FROM playground.sent_emails WHERE recipient = $1",
      [email.to],
    );
    if (email.to.startsWith("flaky") && attempt === 1) {
      state.metrics.count("emails.refused");
      throw new EmailError(`mail server busy for ${email.to}`);
    }
    await state.emailClient.send({
      to: email.to,
      subject: email.subject,
      text: `${email.text}\n\n${state.config.footer}`,
      taskId,
    });
    state.metrics.count("emails.sent");
    console.log(`sent to ${email.to} (${rows[0]?.sent ?? 0} before)`);
  },
);

export default {
  workers: [
    { name: "email_worker", build: (builder) => builder.build(process) },
    {
      name: "email_worker_with_state",
      build: (builder, playground) =>
        builder
          .data(AppState, {
            database: playground.database,
            emailClient: playground.emailClient,
            config: { sender: "news@example.test", footer: "-- Tasklab" },
            metrics: playground.metrics,
          })
          .build(processWithState),
    },
  ],
} satisfies PlaygroundFile<Email>;
