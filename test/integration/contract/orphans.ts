import { describe, expect, it } from "vitest";
import { FakeClock } from "../../../src/runtime/clock.ts";
import type { Fixture } from "../../support/contract.ts";

const LOCK_TIMEOUT = 2000;

/** Worker liveness, orphan recovery, and fencing after it. */
export function orphanContract(fx: () => Fixture) {
  describe("orphan recovery", () => {
    it("takes back the task of an instance that stopped heartbeating", async () => {
      const { storage, clock } = fx();
      const taskId = await storage.push(1, { maxAttempts: 3 });
      const lost = await fx().worker("email");
      await storage.claim(lost, 1);
      await clock.advance(LOCK_TIMEOUT + 1);
      const recovered = await storage.recoverOrphans(LOCK_TIMEOUT);
      expect(recovered).toEqual([
        { taskId, attempt: 1, lostBy: lost, status: "Failed" },
      ]);
      const stored = await storage.get(taskId);
      expect(stored).toMatchObject({ status: "Failed", attempts: 1 });
      expect(stored?.context.lockBy).toBeNull();
      expect(stored?.context.lastError).toMatch(/lost/);
      expect(stored?.context.lastError).toContain(lost);
      expect(stored?.context.runAt).toBeLessThanOrEqual(clock.now());
      expect((await storage.attempts(taskId))[0]).toMatchObject({
        outcome: "Lost",
        endedAt: clock.now(),
      });
      expect(await storage.recoverOrphans(LOCK_TIMEOUT)).toEqual([]);
      const next = await fx().worker("email");
      const [task] = await storage.claim(next, 1);
      expect(task?.parts).toMatchObject({ taskId, attempt: 2 });
      expect(task?.parts.context.lastError).toBe(stored?.context.lastError);
    });

    it("leaves a long attempt alone while its instance heartbeats (F09a)", async () => {
      const { storage, clock } = fx();
      const taskId = await storage.push(1);
      const alive = await fx().worker();
      await storage.claim(alive, 1);
      for (let second = 1; second <= 6; second++) {
        await clock.advance(1000);
        await storage.heartbeat(alive);
        expect(await storage.recoverOrphans(LOCK_TIMEOUT)).toEqual([]);
      }
      const took = await storage.finish([
        { taskId, attempt: 1, workerId: alive, end: { kind: "done" } },
      ]);
      expect(took).toEqual([true]);
      expect(await storage.attempts(taskId)).toHaveLength(1);
    });

    it("judges liveness on the liveness clock, not the task clock", async () => {
      const { clock } = fx();
      const liveness = new FakeClock(clock.now());
      const storage = await fx().withLivenessClock(liveness);
      expect(storage.livenessClock).toBe(liveness);
      const taskId = await storage.push(1, { maxAttempts: 3 });
      const busy = await fx().worker("busy", storage);
      await storage.claim(busy, 1);
      // A task clock run a hundred times fast takes no one for dead...
      await clock.advance(LOCK_TIMEOUT * 100);
      expect(await storage.recoverOrphans(LOCK_TIMEOUT)).toEqual([]);
      // ...until the instance is silent for the timeout on its own clock.
      await liveness.advance(LOCK_TIMEOUT + 1);
      expect(await storage.recoverOrphans(LOCK_TIMEOUT)).toEqual([
        { taskId, attempt: 1, lostBy: busy, status: "Failed" },
      ]);
      const stored = await storage.get(taskId);
      expect(stored?.context.runAt).toBe(clock.now());
      expect((await storage.attempts(taskId))[0]?.endedAt).toBe(clock.now());
    });

    it("kills a last attempt whose worker died, saying so, and goes on (F08)", async () => {
      const { storage, clock } = fx();
      const last = await storage.push("last", { maxAttempts: 1 });
      const lost = await fx().worker();
      await storage.claim(lost, 1);
      const behind = await storage.push("behind");
      await clock.advance(LOCK_TIMEOUT + 1);
      expect(await storage.recoverOrphans(LOCK_TIMEOUT)).toEqual([
        { taskId: last, attempt: 1, lostBy: lost, status: "Killed" },
      ]);
      const stored = await storage.get(last);
      expect(stored).toMatchObject({ status: "Killed", attempts: 1 });
      expect(stored?.context.doneAt).toBe(clock.now());
      expect(stored?.context.lastError).toMatch(/worker .* was lost/);
      const next = await fx().worker();
      const claimed = await storage.claim(next, 10);
      expect(claimed.map((task) => task.parts.taskId)).toEqual([behind]);
    });

    it("recovers the orphan of a dead instance when a new one has its name (F09b)", async () => {
      const { storage, clock } = fx();
      const taskId = await storage.push(1);
      const first = await fx().worker("email");
      await storage.claim(first, 1);
      await clock.advance(LOCK_TIMEOUT + 1);
      const second = await fx().worker("email");
      await storage.heartbeat(second);
      expect(await storage.recoverOrphans(LOCK_TIMEOUT)).toEqual([
        { taskId, attempt: 1, lostBy: first, status: "Failed" },
      ]);
    });

    it("treats the locks of a deregistered instance as orphans", async () => {
      const { storage } = fx();
      const taskId = await storage.push(1);
      const gone = await fx().worker();
      await storage.claim(gone, 1);
      await storage.deregisterWorker(gone);
      const recovered = await storage.recoverOrphans(LOCK_TIMEOUT);
      expect(recovered.map((r) => r.taskId)).toEqual([taskId]);
    });

    it("keeps a deregistered instance dead even if it heartbeats again", async () => {
      const { storage } = fx();
      await storage.push(1);
      const gone = await fx().worker();
      await storage.claim(gone, 1);
      await storage.deregisterWorker(gone);
      await storage.heartbeat(gone);
      expect(await storage.recoverOrphans(LOCK_TIMEOUT)).toHaveLength(1);
    });

    it("recovers each orphan once when instances recover at the same time", async () => {
      const { storage, clock } = fx();
      await storage.pushMany(
        Array.from({ length: 20 }, (_, i) => ({ args: i })),
      );
      const lost = await fx().worker();
      await storage.claim(lost, 20);
      await clock.advance(LOCK_TIMEOUT + 1);
      const runs = await Promise.all([
        storage.recoverOrphans(LOCK_TIMEOUT),
        storage.recoverOrphans(LOCK_TIMEOUT),
        storage.recoverOrphans(LOCK_TIMEOUT),
      ]);
      const ids = runs.flat().map((r) => r.taskId);
      expect(ids).toHaveLength(20);
      expect(new Set(ids).size).toBe(20);
      expect((await storage.counts()).Failed).toBe(20);
    });

    it("ignores a late finish or release from the lost instance", async () => {
      const { storage, clock } = fx();
      const taskId = await storage.push(1, { maxAttempts: 2 });
      const lost = await fx().worker();
      await storage.claim(lost, 1);
      await clock.advance(LOCK_TIMEOUT + 1);
      await storage.recoverOrphans(LOCK_TIMEOUT);
      const recovered = await storage.get(taskId);
      const late = { taskId, attempt: 1, workerId: lost } as const;
      expect(
        await storage.finish([{ ...late, end: { kind: "done" } }]),
      ).toEqual([false]);
      expect(await storage.release(taskId, 1, lost)).toBe(false);
      expect(await storage.get(taskId)).toEqual(recovered);

      const next = await fx().worker();
      await storage.claim(next, 1);
      await storage.heartbeat(lost);
      const stale = await storage.finish([
        { ...late, end: { kind: "retry", error: "late", runAt: 0 } },
        { ...late, attempt: 2, end: { kind: "done" } },
      ]);
      expect(stale).toEqual([false, false]);
      expect((await storage.get(taskId))?.context.lockBy).toBe(next);
      const took = await storage.finish([
        { taskId, attempt: 2, workerId: next, end: { kind: "done" } },
      ]);
      expect(took).toEqual([true]);
      const history = await storage.attempts(taskId);
      expect(history.map((a) => [a.workerId, a.outcome])).toEqual([
        [lost, "Lost"],
        [next, "Done"],
      ]);
    });

    it("recovers only its own queue's orphans", async (context) => {
      const { storage, clock, otherQueue, queue } = fx();
      if (!otherQueue) return context.skip("this backend has no otherQueue");
      const other = await otherQueue(`${queue}_other`);
      const taskId = await storage.push(1);
      const lost = await fx().worker();
      await storage.claim(lost, 1);
      await clock.advance(LOCK_TIMEOUT + 1);
      expect(await other.recoverOrphans(LOCK_TIMEOUT)).toEqual([]);
      const recovered = await storage.recoverOrphans(LOCK_TIMEOUT);
      expect(recovered.map((r) => r.taskId)).toEqual([taskId]);
    });
  });
}
