import { describe, expect, it } from "vitest";
import {
  App,
  type Email,
  EmailClient,
  MetricsCollector,
  process,
  processWithState,
} from "../../../examples/email-app.ts";
import { FakeClock, WorkerBuilder } from "../../../src/index.ts";
import { pgliteDb } from "../../support/postgres.ts";
import { recording, startWorker } from "../../support/worker-cases/setup.ts";

const db = pgliteDb();
const email = (to: string): Email => ({ to, subject: "hi", body: "..." });

describe("the email example on PGlite", () => {
  it("decides by the task's priority, read from its context", async () => {
    const clock = new FakeClock();
    const { storage, of } = recording(
      clock,
      await db.storage<Email>({ clock, queue: "email" }),
    );
    await storage.push(email("vip@example.com"), { priority: 9 });
    await storage.push(email("bulk@example.com"), { priority: 1 });
    const results: unknown[] = [];
    await startWorker(
      new WorkerBuilder("email_worker")
        .backend(storage)
        .build(async (args, task) => {
          results.push(await process.run(args, task, {}));
        }),
    );
    await clock.runUntil(() => of("task:succeeded").length === 2);
    expect(results).toEqual([
      "express:vip@example.com",
      "regular:bulk@example.com",
    ]);
  });

  it("shares one AppState (a pool on the same database, clients, config, metrics) with every task", async () => {
    const clock = new FakeClock();
    const { storage, of } = recording(
      clock,
      await db.storage<Email>({ clock, queue: "email" }),
    );
    const app = {
      database: db.driver,
      emailClient: new EmailClient(),
      config: { from: "noreply@example.com", deliveryTimeoutMs: 5_000 },
      metrics: new MetricsCollector(),
    };
    await db.driver.query(`SET search_path TO ${db.schema}`);
    await storage.pushMany([
      { args: email("a@example.com"), options: { priority: 3 } },
      { args: email("b@example.com"), options: { priority: 3 } },
      { args: email("c@example.com"), options: { priority: 7 } },
    ]);
    await startWorker(
      new WorkerBuilder("email_worker")
        .backend(storage)
        .data(App, app)
        .concurrency(2)
        .build(processWithState),
    );
    await clock.runUntil(() => of("task:succeeded").length === 3);
    expect(app.emailClient.sent.map((e) => e.to).sort()).toEqual([
      "a@example.com",
      "b@example.com",
      "c@example.com",
    ]);
    expect([...app.metrics.attempts]).toEqual(
      expect.arrayContaining([
        [3, 2],
        [7, 1],
      ]),
    );
    const outbox = await db.driver.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox",
    );
    expect(outbox.rows[0]?.n).toBe(3);
  });
});
