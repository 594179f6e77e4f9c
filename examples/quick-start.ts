/**
 * The README's first example: one task, one worker, on PGlite.
 * Resolves with what the mailer sent, once the task is done.
 */
import {
  handler,
  Monitor,
  PgliteDriver,
  PostgresStorage,
  retry,
  stateKey,
  timeout,
  WorkerBuilder,
} from "../src/index.ts";

interface Email {
  to: string;
  subject: string;
}

// Shared state: made once, given to every task by reference.
interface Mailer {
  send(email: Email): Promise<void>;
}
const MailerKey = stateKey<Mailer>("Mailer");

const sendEmail = handler(
  { needs: { mailer: MailerKey } },
  //  args         per-task parts (read-only)     shared state
  async (email: Email, { context, attempt }, { mailer }) => {
    if (context.lastError) console.log(`attempt ${attempt}`, context.lastError);
    await mailer.send(email);
  },
);

export async function quickStart(): Promise<Email[]> {
  const sent: Email[] = [];
  const driver = await PgliteDriver.create();
  const storage = await PostgresStorage.create<Email>({
    driver,
    queue: "email",
  });
  const done = new Promise((resolve) =>
    storage.events.on("task:succeeded", resolve),
  );
  await storage.push({ to: "ada@example.com", subject: "hi" }, { priority: 9 });

  const worker = new WorkerBuilder("email")
    .backend(storage)
    .data(MailerKey, { send: async (email) => void sent.push(email) })
    .layer(retry({ baseMs: 1_000, capMs: 60_000 }))
    .layer(timeout(30_000))
    .concurrency(10)
    .build(sendEmail);

  const monitor = new Monitor().register(worker);
  await monitor.start();
  await done;
  await monitor.stop({ deadlineMs: 10_000 });
  await driver.close();
  return sent;
}
