import { expect, test } from "vitest";
import { FakeClock } from "../../../src/runtime/clock.ts";
import type { TestDb } from "../../support/postgres.ts";

const MINUTE = 60_000;

/** Claiming: order, batches, and the filter (F05). */
export function claimCases(db: TestDb): void {
  test("claim takes larger priority first, then earlier run time", async () => {
    const clock = new FakeClock();
    const storage = await db.storage<string>({ clock });
    const now = clock.now();
    await storage.push("low-early", { priority: 0, runAt: now - 3 * MINUTE });
    await storage.push("high-late", { priority: 5, runAt: now - MINUTE });
    await storage.push("high-early", { priority: 5, runAt: now - 2 * MINUTE });
    await storage.push("low-late", { priority: 0, runAt: now - MINUTE });
    await storage.push("negative", { priority: -1, runAt: now - 9 * MINUTE });

    const first = await storage.claim("w1", 2);
    const rest = await storage.claim("w1", 10);

    expect(first.map((t) => t.args)).toEqual(["high-early", "high-late"]);
    expect(rest.map((t) => t.args)).toEqual([
      "low-early",
      "low-late",
      "negative",
    ]);
  });

  test("claim locks each task for the instance and opens an attempt", async () => {
    const clock = new FakeClock();
    const storage = await db.storage<{ n: number }>({ clock });
    const id = await storage.push({ n: 1 }, { maxAttempts: 3 });

    const [task] = await storage.claim("w1", 1);

    expect(task?.parts).toMatchObject({ taskId: id, attempt: 1 });
    expect(task?.parts.context).toEqual({
      runAt: clock.now(),
      maxAttempts: 3,
      lastError: null,
      lockAt: clock.now(),
      lockBy: "w1",
      doneAt: null,
      priority: 0,
    });
    expect(Object.isFrozen(task?.parts.context)).toBe(true);
    expect((await storage.get(id))?.status).toBe("Running");
    expect(await storage.attempts(id)).toEqual([
      {
        taskId: id,
        attempt: 1,
        workerId: "w1",
        startedAt: clock.now(),
        endedAt: null,
        outcome: null,
        error: null,
      },
    ]);
  });

  test("claims at once never hand one task to two instances", async () => {
    const storage = await db.storage<number>({ clock: new FakeClock() });
    await storage.pushMany(
      Array.from({ length: 200 }, (_, n) => ({ args: n })),
    );

    const batches = await Promise.all(
      ["w1", "w2", "w3", "w4"].map(async (worker) => {
        const claimed: number[] = [];
        for (;;) {
          const tasks = await storage.claim(worker, 10);
          if (tasks.length === 0) return claimed;
          claimed.push(...tasks.map((t) => t.args));
        }
      }),
    );

    const all = batches.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 200 }, (_, n) => n));
    expect((await storage.counts()).Running).toBe(200);
  });

  test("claim filter: other queues and future run times are never claimed, for every claimable status (F05)", async () => {
    const clock = new FakeClock();
    const kindA = await db.storage<string>({ clock, queue: "a" });
    const kindB = await db.storage<string>({ clock, queue: "b" });
    const hour = 60 * MINUTE;
    await kindA.push("a due in an hour", { delayMs: hour });
    await kindA.push("a due now");
    await kindB.push("b pending in an hour", { delayMs: hour });
    const failing = await kindB.push("b failed, retry in an hour");
    const [attempt] = await kindB.claim("w", 1);
    expect(attempt?.parts.taskId).toBe(failing);
    await kindB.finish([
      {
        taskId: failing,
        attempt: 1,
        workerId: "w",
        end: { kind: "retry", error: "boom", runAt: clock.now() + hour },
      },
    ]);
    await kindB.push("b done");
    const [done] = await kindB.claim("w", 1);
    await kindB.finish([
      {
        taskId: done?.parts.taskId ?? "",
        attempt: 1,
        workerId: "w",
        end: { kind: "done" },
      },
    ]);

    expect(await kindB.claim("w-b", 10)).toEqual([]);
    expect(await kindB.nextRunAt()).toBe(clock.now() + hour);

    await clock.advance(hour - 1);
    expect(await kindB.claim("w-b", 10)).toEqual([]);

    await clock.advance(1);
    const due = await kindB.claim("w-b", 10);
    expect(due.map((t) => t.args).sort()).toEqual([
      "b failed, retry in an hour",
      "b pending in an hour",
    ]);
    expect(due.find((t) => t.parts.taskId === failing)?.parts).toMatchObject({
      attempt: 2,
      context: { lastError: "boom" },
    });
    expect(await kindB.claim("w-b", 10)).toEqual([]);
    expect(await kindB.counts()).toMatchObject({ Running: 2, Done: 1 });
    expect(await kindA.counts()).toMatchObject({ Pending: 2, Running: 0 });
  });
}
