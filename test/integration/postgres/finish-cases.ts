import { expect, test } from "vitest";
import { FakeClock } from "../../../src/runtime/clock.ts";
import type { Finish } from "../../../src/runtime/contract.ts";
import type { TestDb } from "../../support/postgres.ts";

const done = { kind: "done" } as const;

/** Ending attempts: fencing, persisted retries, release, odd text. */
export function finishCases(db: TestDb): void {
  test("finish ends a batch of attempts in one call, each as asked", async () => {
    const clock = new FakeClock();
    const storage = await db.storage<string>({ clock });
    const [a, b, c] = await storage.pushMany([
      { args: "a" },
      { args: "b" },
      { args: "c", options: { maxAttempts: 1 } },
    ]);
    await storage.claim("w1", 3);
    await clock.advance(500);

    const took = await storage.finish([
      { taskId: a ?? "", attempt: 1, workerId: "w1", end: done },
      {
        taskId: b ?? "",
        attempt: 1,
        workerId: "w1",
        end: { kind: "retry", error: "later", runAt: clock.now() + 1_000 },
      },
      {
        taskId: c ?? "",
        attempt: 1,
        workerId: "w1",
        end: { kind: "kill", error: "no attempts left" },
      },
    ]);

    expect(took).toEqual([true, true, true]);
    expect(await storage.get(a ?? "")).toMatchObject({
      status: "Done",
      context: { doneAt: clock.now(), lockBy: null, lockAt: null },
    });
    expect(await storage.get(b ?? "")).toMatchObject({
      status: "Failed",
      context: { runAt: clock.now() + 1_000, lastError: "later", doneAt: null },
    });
    expect(await storage.get(c ?? "")).toMatchObject({
      status: "Killed",
      context: { lastError: "no attempts left", doneAt: clock.now() },
    });
    const [attempt] = await storage.attempts(c ?? "");
    expect(attempt).toMatchObject({
      endedAt: clock.now(),
      outcome: "Killed",
      error: "no attempts left",
    });
  });

  test("a late finish by an instance that lost its lock changes nothing", async () => {
    const clock = new FakeClock();
    const storage = await db.storage<string>({ clock });
    const id = await storage.push("x");
    await storage.claim("old", 1);
    await storage.recoverOrphans(1_000);
    const [again] = await storage.claim("new", 1);
    expect(again?.parts.attempt).toBe(2);
    const before = await storage.get(id);

    const late: Finish[] = [
      { taskId: id, attempt: 1, workerId: "old", end: done },
      { taskId: id, attempt: 2, workerId: "old", end: done },
      { taskId: id, attempt: 1, workerId: "new", end: done },
    ];
    expect(await storage.finish(late)).toEqual([false, false, false]);
    expect(await storage.release(id, 1, "old")).toBe(false);
    expect(await storage.get(id)).toEqual(before);

    const onTime = { taskId: id, attempt: 2, workerId: "new", end: done };
    expect(await storage.finish([onTime])).toEqual([true]);
    expect(await storage.finish([onTime])).toEqual([false]);
  });

  test("a stale and a live report of one task in one batch: only the live one takes effect", async () => {
    const storage = await db.storage<string>({ clock: new FakeClock() });
    const id = await storage.push("x");
    await storage.claim("old", 1);
    await storage.recoverOrphans(1_000);
    await storage.claim("new", 1);

    const took = await storage.finish([
      { taskId: id, attempt: 1, workerId: "old", end: done },
      { taskId: id, attempt: 2, workerId: "new", end: done },
    ]);

    expect(took).toEqual([false, true]);
    expect((await storage.get(id))?.status).toBe("Done");
  });

  test("retries are persisted: after attempt n the row has attempts n, its error, a new run time and no lock (F07)", async () => {
    const clock = new FakeClock();
    const storage = await db.storage<string>({ clock });
    const id = await storage.push("flaky", { maxAttempts: 4 });

    for (let n = 1; n <= 3; n++) {
      const [task] = await storage.claim("w1", 1);
      const row = await storage.get(id);
      expect(task?.parts.context).toEqual(row?.context);
      const runAt = clock.now() + 1_000 * 2 ** n;
      await storage.finish([
        {
          taskId: id,
          attempt: n,
          workerId: "w1",
          end: { kind: "retry", error: `fail #${n}`, runAt },
        },
      ]);

      expect(await storage.get(id)).toMatchObject({
        status: "Failed",
        attempts: n,
        context: { lastError: `fail #${n}`, runAt, lockBy: null, lockAt: null },
      });
      await clock.advance(1_000 * 2 ** n);
    }
    const history = await storage.attempts(id);
    expect(history.map((a) => [a.attempt, a.outcome, a.error])).toEqual([
      [1, "Failed", "fail #1"],
      [2, "Failed", "fail #2"],
      [3, "Failed", "fail #3"],
    ]);
  });

  test("failure text with NUL or lone surrogates is stored cleaned and never throws (F13)", async () => {
    const storage = await db.storage<string>({ clock: new FakeClock() });
    const errors = [
      "a\u0000b",
      "lone \ud800 high",
      "lone \udc00 low",
      "\u0000",
    ];
    const ids = await storage.pushMany(errors.map(() => ({ args: "x" })));
    await storage.claim("w1", errors.length);

    const took = await storage.finish(
      ids.map((taskId, i) => ({
        taskId,
        attempt: 1,
        workerId: "w1",
        end:
          i % 2 === 0
            ? { kind: "retry", error: errors[i] ?? "", runAt: 0 }
            : { kind: "kill", error: errors[i] ?? "" },
      })),
    );

    expect(took).toEqual([true, true, true, true]);
    const stored = await Promise.all(ids.map((id) => storage.get(id)));
    expect(stored.map((t) => t?.context.lastError)).toEqual([
      "a\uFFFDb",
      "lone \uFFFD high",
      "lone \uFFFD low",
      "\uFFFD",
    ]);
    expect(stored.map((t) => [t?.attempts, t?.context.lockBy])).toEqual(
      ids.map(() => [1, null]),
    );
  });

  test("release gives the task back due at once, the attempt uncounted", async () => {
    const clock = new FakeClock();
    const storage = await db.storage<string>({ clock });
    const id = await storage.push("x");
    await storage.claim("w1", 1);

    expect(await storage.release(id, 1, "w1")).toBe(true);

    expect(await storage.get(id)).toMatchObject({
      status: "Pending",
      attempts: 0,
      context: { lockBy: null, lockAt: null },
    });
    const [again] = await storage.claim("w2", 1);
    expect(again?.parts.attempt).toBe(1);
    const history = await storage.attempts(id);
    expect(history.map((a) => [a.workerId, a.outcome, a.error])).toEqual([
      ["w1", "Lost", "released at stop"],
      ["w2", null, null],
    ]);
  });
}
