import { describe, expect, it } from "vitest";
import type { AttemptEnd, Finish } from "../../../src/runtime/contract.ts";
import { MAX_ERROR_CHARS } from "../../../src/runtime/error-text.ts";
import { MAX_DELAY_MS } from "../../../src/runtime/validate.ts";
import type { Fixture } from "../../support/contract.ts";

/** Ends of attempts, fenced by lock, and release at stop. */
export function finishContract(fx: () => Fixture) {
  /** Pushes one task and claims it with a new worker instance. */
  async function running(options = {}) {
    const { storage } = fx();
    const taskId = await storage.push({ job: 1 }, options);
    const workerId = await fx().worker();
    await storage.claim(workerId, 1);
    const end = (end: AttemptEnd, attempt = 1): Finish => ({
      taskId,
      attempt,
      workerId,
      end,
    });
    return { taskId, workerId, end };
  }

  describe("finish", () => {
    it("marks a done attempt Done and lets go of the lock", async () => {
      const { storage, clock } = fx();
      const { taskId, workerId, end } = await running();
      await clock.advance(250);
      expect(await storage.finish([end({ kind: "done" })])).toEqual([true]);
      const stored = await storage.get(taskId);
      expect(stored).toMatchObject({ status: "Done", attempts: 1 });
      expect(stored?.context).toMatchObject({
        doneAt: clock.now(),
        lockAt: null,
        lockBy: null,
        lastError: null,
      });
      expect(await storage.attempts(taskId)).toEqual([
        {
          taskId,
          attempt: 1,
          workerId,
          startedAt: clock.now() - 250,
          endedAt: clock.now(),
          outcome: "Done",
          error: null,
        },
      ]);
      expect(await storage.counts()).toMatchObject({ Done: 1, Running: 0 });
    });

    it("persists each retry before the next attempt: fail #n (F07)", async () => {
      const { storage, clock } = fx();
      const taskId = await storage.push({ job: 1 }, { maxAttempts: 5 });
      const workerId = await fx().worker();
      for (let n = 1; n <= 3; n++) {
        const [task] = await storage.claim(workerId, 1);
        expect(task?.parts.attempt).toBe(n);
        const before = await storage.get(taskId);
        expect({ ...task?.parts.context }).toEqual(before?.context);
        expect(task?.parts.context.lastError).toBe(
          n === 1 ? null : `fail #${n - 1}`,
        );
        const runAt = clock.now() + 1000 * 2 ** n;
        const took = await storage.finish([
          {
            taskId,
            attempt: n,
            workerId,
            end: { kind: "retry", error: `fail #${n}`, runAt },
          },
        ]);
        expect(took).toEqual([true]);
        const stored = await storage.get(taskId);
        expect(stored).toMatchObject({ status: "Failed", attempts: n });
        expect(stored?.context).toMatchObject({
          lastError: `fail #${n}`,
          runAt,
          lockAt: null,
          lockBy: null,
          doneAt: null,
        });
        await clock.advance(1000 * 2 ** n);
      }
      const history = await storage.attempts(taskId);
      expect(history.map((a) => [a.attempt, a.outcome, a.error])).toEqual([
        [1, "Failed", "fail #1"],
        [2, "Failed", "fail #2"],
        [3, "Failed", "fail #3"],
      ]);
    });

    it("marks a killed attempt Killed with its error and done time", async () => {
      const { storage, clock } = fx();
      const { taskId, end } = await running();
      const took = await storage.finish([end({ kind: "kill", error: "bad" })]);
      expect(took).toEqual([true]);
      const stored = await storage.get(taskId);
      expect(stored?.status).toBe("Killed");
      expect(stored?.context).toMatchObject({
        lastError: "bad",
        doneAt: clock.now(),
        lockBy: null,
      });
      expect((await storage.attempts(taskId))[0]?.outcome).toBe("Killed");
    });

    it("changes nothing for a worker, attempt or task that holds no lock", async () => {
      const { storage } = fx();
      const { taskId, workerId, end } = await running();
      const other = await fx().worker("other");
      const before = await storage.get(taskId);
      const took = await storage.finish([
        { ...end({ kind: "done" }), workerId: other },
        end({ kind: "done" }, 2),
        { ...end({ kind: "done" }), taskId: "01ARZ3NDEKTSV4RRFFQ69G5FAV" },
      ]);
      expect(took).toEqual([false, false, false]);
      expect(await storage.get(taskId)).toEqual(before);
      expect(await storage.release(taskId, 1, other)).toBe(false);
      expect(await storage.finish([end({ kind: "done" })])).toEqual([true]);
      expect(await storage.finish([end({ kind: "done" })])).toEqual([false]);
      expect(await storage.release(taskId, 1, workerId)).toBe(false);
      expect((await storage.get(taskId))?.status).toBe("Done");
    });

    it("answers a batch in order, each finish on its own", async () => {
      const { storage } = fx();
      const [a, b] = await storage.pushMany([{ args: "a" }, { args: "b" }]);
      const workerId = await fx().worker();
      await storage.claim(workerId, 2);
      const finish = (taskId: string, attempt: number): Finish => ({
        taskId,
        attempt,
        workerId,
        end: { kind: "done" },
      });
      const took = await storage.finish([
        finish(a as string, 7),
        finish(b as string, 1),
        finish(a as string, 1),
      ]);
      expect(took).toEqual([false, true, true]);
      expect(await storage.finish([])).toEqual([]);
    });

    it("stores a failure whose error holds NUL or a lone surrogate, cleaned (F13)", async () => {
      const { storage } = fx();
      const { taskId, workerId, end } = await running();
      const runAt = fx().clock.now() + 1000;
      const took = await storage.finish([
        end({ kind: "retry", error: "fail\u0000 #1 \uD800", runAt }),
      ]);
      expect(took).toEqual([true]);
      const stored = await storage.get(taskId);
      expect(stored).toMatchObject({ status: "Failed", attempts: 1 });
      expect(stored?.context.lastError).toBe("fail\uFFFD #1 \uFFFD");
      expect(stored?.context.lockBy).toBeNull();
      expect((await storage.attempts(taskId))[0]?.error).toBe(
        "fail\uFFFD #1 \uFFFD",
      );
      await fx().clock.advance(1000);
      await storage.claim(workerId, 1);
      await storage.finish([end({ kind: "kill", error: "\uDC00x\u0000" }, 2)]);
      expect((await storage.get(taskId))?.context.lastError).toBe(
        "\uFFFDx\uFFFD",
      );
    });

    it("stores a failure's error cut to MAX_ERROR_CHARS, saying how much was cut", async () => {
      const { storage } = fx();
      const { taskId, workerId, end } = await running();
      const runAt = fx().clock.now() + 1000;
      const error = `fail #1 ${"x".repeat(5_000_000)}`;
      await storage.finish([end({ kind: "retry", error, runAt })]);
      const stored = (await storage.get(taskId))?.context.lastError ?? "";
      expect(stored).toHaveLength(MAX_ERROR_CHARS);
      expect(stored.startsWith("fail #1 xxx")).toBe(true);
      expect(stored).toMatch(/x… \[truncated 4,996,0\d\d characters\]$/);
      expect((await storage.attempts(taskId))[0]?.error).toBe(stored);
      await fx().clock.advance(1000);
      await storage.claim(workerId, 1);
      await storage.finish([end({ kind: "kill", error }, 2)]);
      expect((await storage.get(taskId))?.context.lastError).toBe(stored);
    });

    it("keeps a retry at the longest delay, and caps run times past it (F12)", async () => {
      const { storage, clock } = fx();
      const max = 2 ** 31 - 1;
      const { taskId, workerId } = await running({ maxAttempts: max });
      const cases = [
        clock.now() + MAX_DELAY_MS,
        clock.now() + MAX_DELAY_MS * 4,
        Number.POSITIVE_INFINITY,
        Number.NaN,
      ];
      for (const [i, runAt] of cases.entries()) {
        const took = await storage.finish([
          {
            taskId,
            attempt: i + 1,
            workerId,
            end: { kind: "retry", error: `fail #${i + 1}`, runAt },
          },
        ]);
        expect(took).toEqual([true]);
        const stored = await storage.get(taskId);
        expect(stored?.status).toBe("Failed");
        expect(stored?.context.runAt).toBe(clock.now() + MAX_DELAY_MS);
        expect(await storage.nextRunAt()).toBe(clock.now() + MAX_DELAY_MS);
        await clock.advance(MAX_DELAY_MS);
        const [task] = await storage.claim(workerId, 1);
        expect(task?.parts.attempt).toBe(i + 2);
      }
    });
  });

  describe("release", () => {
    it("gives a task back unfinished: Pending, attempt undone, due at once", async () => {
      const { storage, clock } = fx();
      const { taskId, workerId } = await running({ maxAttempts: 1 });
      await clock.advance(10);
      expect(await storage.release(taskId, 1, workerId)).toBe(true);
      const stored = await storage.get(taskId);
      expect(stored).toMatchObject({ status: "Pending", attempts: 0 });
      expect(stored?.context).toMatchObject({ lockAt: null, lockBy: null });
      expect((await storage.attempts(taskId))[0]).toMatchObject({
        attempt: 1,
        outcome: "Lost",
        endedAt: clock.now(),
      });
      const next = await fx().worker("next");
      const [task] = await storage.claim(next, 1);
      expect(task?.parts).toMatchObject({ taskId, attempt: 1 });
      expect(await storage.attempts(taskId)).toHaveLength(2);
    });
  });
}
