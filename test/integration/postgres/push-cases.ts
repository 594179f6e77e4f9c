import { expect, test } from "vitest";
import { FakeClock } from "../../../src/runtime/clock.ts";
import type { RuntimeEvent } from "../../../src/runtime/contract.ts";
import { InvalidTaskError } from "../../../src/runtime/errors.ts";
import { MIN_RUN_AT } from "../../../src/runtime/validate.ts";
import type { TestDb } from "../../support/postgres.ts";

/** Pushing: bulk inserts, wake-ups, events, refused input. */
export function pushCases(db: TestDb): void {
  test("pushMany stores 20,000 tasks in one call, in id order", async () => {
    const storage = await db.storage<{ n: number }>({ clock: new FakeClock() });
    const tasks = Array.from({ length: 20_000 }, (_, n) => ({ args: { n } }));

    const ids = await storage.pushMany(tasks);

    expect(ids).toHaveLength(20_000);
    expect([...ids].sort()).toEqual(ids);
    expect((await storage.counts()).Pending).toBe(20_000);
    expect((await storage.get(ids[19_999] ?? ""))?.args).toEqual({
      n: 19_999,
    });
  });

  test("run times round-trip to the millisecond, from year 1 to a century ahead", async () => {
    const clock = new FakeClock();
    const storage = await db.storage<string>({ clock });
    const century = 100 * 365.25 * 24 * 3_600_000;
    const times = [
      MIN_RUN_AT,
      0,
      clock.now() + 1,
      clock.now() + 30 * 86_400_000 + 123,
      clock.now() + century,
    ];

    const ids = await storage.pushMany(
      times.map((runAt) => ({ args: "x", options: { runAt } })),
    );

    const stored = await Promise.all(ids.map((id) => storage.get(id)));
    expect(stored.map((t) => t?.context.runAt)).toEqual(times);
    expect(await storage.nextRunAt()).toBe(MIN_RUN_AT);
  });

  test("list pages through a queue's tasks in push order, by status", async () => {
    const clock = new FakeClock();
    const storage = await db.storage<number>({ clock });
    const ids = await storage.pushMany(
      [0, 1, 2, 3, 4].map((n) => ({ args: n })),
    );
    await storage.claim("w1", 2);

    const first = await storage.list({ limit: 3 });
    const rest = await storage.list({ after: first.at(-1)?.id, limit: 3 });
    const running = await storage.list({ statuses: ["Running"] });

    expect([...first, ...rest].map((t) => t.id)).toEqual(ids);
    expect(running.map((t) => t.args)).toEqual([0, 1]);
    expect(running[0]?.context.lockBy).toBe("w1");
  });

  test("push emits task:pushed with the stored run time and priority", async () => {
    const clock = new FakeClock();
    const storage = await db.storage<string>({ clock, queue: "mail" });
    const seen: RuntimeEvent[] = [];
    storage.events.onAny((event) => seen.push(event));

    const id = await storage.push("x", { delayMs: 5_000, priority: 3 });

    expect(seen).toEqual([
      {
        type: "task:pushed",
        at: clock.now(),
        taskId: id,
        queue: "mail",
        runAt: clock.now() + 5_000,
        priority: 3,
      },
    ]);
  });

  test("a push wakes subscribers of its queue through LISTEN/NOTIFY", async () => {
    const mail = await db.storage<string>({ queue: "mail" });
    const other = await db.storage<string>({ queue: "other" });
    let otherWakes = 0;
    const stopOther = await other.subscribe(() => otherWakes++);
    const woken = new Promise<void>((resolve) => {
      void mail.subscribe(resolve);
    });

    await mail.push("hello");

    await woken;
    expect(otherWakes).toBe(0);
    await stopOther();
  });

  test("refused input throws InvalidTaskError and stores nothing", async () => {
    const storage = await db.storage<unknown>();

    await expect(
      storage.pushMany([{ args: { ok: true } }, { args: { to: "a\u0000b" } }]),
    ).rejects.toBeInstanceOf(InvalidTaskError);
    await expect(storage.push("x", { maxAttempts: 0 })).rejects.toBeInstanceOf(
      InvalidTaskError,
    );

    expect((await storage.counts()).Pending).toBe(0);
  });

  test("a new schema is migrated once; migrating again changes nothing", async () => {
    const { migrate } = await import(
      "../../../src/backends/postgres/migrate.ts"
    );
    const { migrations } = await import(
      "../../../src/backends/postgres/migrations/index.ts"
    );
    expect(await migrate(db.driver, { schema: db.schema })).toEqual(
      migrations.map((m) => m.version),
    );
    expect(await migrate(db.driver, { schema: db.schema })).toEqual([]);
  });
}
