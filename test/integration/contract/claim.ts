import { describe, expect, it } from "vitest";
import type { Fixture } from "../../support/contract.ts";

const HOUR = 3_600_000;

/** Claim order, the claim filter, locks and the context they carry. */
export function claimContract(fx: () => Fixture) {
  describe("claim", () => {
    it("takes larger priority first, then earlier run time, then push order", async () => {
      const { storage, clock } = fx();
      const t = clock.now();
      const a = await storage.push("a", { runAt: t - 2000 });
      const b = await storage.push("b", { priority: 5, runAt: t - 1000 });
      const c = await storage.push("c", { priority: 5, runAt: t - 2000 });
      const d = await storage.push("d", { runAt: t - 2000 });
      const e = await storage.push("e", { priority: -1, runAt: t - 9000 });
      const worker = await fx().worker();
      const first = await storage.claim(worker, 2);
      const rest = await storage.claim(worker, 10);
      expect(first.map((task) => task.parts.taskId)).toEqual([c, b]);
      expect(rest.map((task) => task.parts.taskId)).toEqual([a, d, e]);
    });

    it("locks the task, counts the attempt and opens its history row", async () => {
      const { storage, clock } = fx();
      const id = await storage.push({ to: "a@b.c" }, { priority: 2 });
      const worker = await fx().worker("email");
      const [task] = await storage.claim(worker, 5);
      const stored = await storage.get(id);
      expect(stored).toMatchObject({ status: "Running", attempts: 1 });
      expect(stored?.context).toMatchObject({
        lockBy: worker,
        lockAt: clock.now(),
        priority: 2,
      });
      expect(task?.args).toEqual({ to: "a@b.c" });
      expect(task?.parts.taskId).toBe(id);
      expect(task?.parts.attempt).toBe(1);
      expect({ ...task?.parts.context }).toEqual(stored?.context);
      expect(await storage.attempts(id)).toEqual([
        {
          taskId: id,
          attempt: 1,
          workerId: worker,
          startedAt: clock.now(),
          endedAt: null,
          outcome: null,
          error: null,
        },
      ]);
    });

    it("gives a context that refuses writes", async () => {
      const { storage } = fx();
      await storage.push(1);
      const [task] = await storage.claim(await fx().worker(), 1);
      const context = task?.parts.context as { priority: number };
      expect(() => {
        context.priority = 9;
      }).toThrow();
      expect(context.priority).toBe(0);
    });

    it("gives each attempt its own copy of the args", async () => {
      const { storage } = fx();
      const id = await storage.push({ list: [1] });
      const worker = await fx().worker();
      const [task] = await storage.claim(worker, 1);
      const args = task?.args as { list: number[] };
      args.list.push(2);
      expect((await storage.get(id))?.args).toEqual({ list: [1] });
    });

    it("never hands one task to two workers", async () => {
      const { storage } = fx();
      await storage.pushMany(
        Array.from({ length: 30 }, (_, i) => ({ args: i })),
      );
      const one = await fx().worker("a");
      const two = await fx().worker("b");
      const claims = await Promise.all([
        storage.claim(one, 20),
        storage.claim(two, 20),
        storage.claim(one, 20),
      ]);
      const ids = claims.flat().map((task) => task.parts.taskId);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
      expect(await storage.claim(two, 20)).toEqual([]);
    });

    it("returns nothing for a limit below 1 or an empty queue", async () => {
      const { storage } = fx();
      const worker = await fx().worker();
      expect(await storage.claim(worker, 5)).toEqual([]);
      await storage.push(1);
      expect(await storage.claim(worker, 0)).toEqual([]);
      expect((await storage.counts()).Pending).toBe(1);
    });

    it("takes a task only once its run time has come", async () => {
      const { storage, clock } = fx();
      const id = await storage.push(1, { delayMs: 1000 });
      const worker = await fx().worker();
      expect(await storage.claim(worker, 1)).toEqual([]);
      await clock.advance(999);
      expect(await storage.claim(worker, 1)).toEqual([]);
      await clock.advance(1);
      const [task] = await storage.claim(worker, 1);
      expect(task?.parts.taskId).toBe(id);
    });

    it("takes a failed task with attempts left only at its new run time (F05)", async () => {
      const { storage, clock } = fx();
      const id = await storage.push(1, { maxAttempts: 3 });
      const worker = await fx().worker();
      await storage.claim(worker, 1);
      const runAt = clock.now() + HOUR;
      await storage.finish([
        { taskId: id, attempt: 1, workerId: worker, end: retry("no", runAt) },
      ]);
      expect(await storage.claim(worker, 1)).toEqual([]);
      expect(await storage.nextRunAt()).toBe(runAt);
      await clock.advance(HOUR - 1);
      expect(await storage.claim(worker, 1)).toEqual([]);
      await clock.advance(1);
      const [task] = await storage.claim(worker, 1);
      expect(task?.parts).toMatchObject({ taskId: id, attempt: 2 });
    });

    it("never takes Running, Done or Killed tasks", async () => {
      const { storage } = fx();
      const [done, killed] = await storage.pushMany([
        { args: "done" },
        { args: "killed" },
        { args: "running" },
      ]);
      const worker = await fx().worker();
      await storage.claim(worker, 3);
      await storage.finish([
        { taskId: done as string, attempt: 1, workerId: worker, end: DONE },
        {
          taskId: killed as string,
          attempt: 1,
          workerId: worker,
          end: { kind: "kill", error: "stop" },
        },
      ]);
      expect(await storage.claim(worker, 10)).toEqual([]);
      expect(await storage.nextRunAt()).toBeNull();
    });

    it("serves only its own queue: kind A due in an hour, kind B now (F05)", async (context) => {
      const { storage, clock, otherQueue, queue } = fx();
      if (!otherQueue) return context.skip("this backend has no otherQueue");
      const kindB = await otherQueue(`${queue}_b`);
      const a = await storage.push("a", { delayMs: HOUR });
      const b = await kindB.push("b");
      const workerB = await fx().worker("b", kindB);
      const claimedB = await kindB.claim(workerB, 10);
      expect(claimedB.map((task) => task.parts.taskId)).toEqual([b]);
      expect(await kindB.claim(workerB, 10)).toEqual([]);
      const workerA = await fx().worker("a");
      expect(await storage.claim(workerA, 10)).toEqual([]);
      expect(await storage.nextRunAt()).toBe(clock.now() + HOUR);
      expect(await kindB.nextRunAt()).toBeNull();
      expect((await storage.counts()).Running).toBe(0);
      expect((await kindB.counts()).Running).toBe(1);
      await clock.advance(HOUR);
      expect(await kindB.claim(workerB, 10)).toEqual([]);
      const claimedA = await storage.claim(workerA, 10);
      expect(claimedA.map((task) => task.parts.taskId)).toEqual([a]);
    });
  });

  describe("nextRunAt", () => {
    it("is the earliest run time among Pending and Failed tasks", async () => {
      const { storage, clock } = fx();
      expect(await storage.nextRunAt()).toBeNull();
      const t = clock.now();
      await storage.push(1, { runAt: t + 5000 });
      await storage.push(2, { runAt: t + 3000 });
      expect(await storage.nextRunAt()).toBe(t + 3000);
      await storage.push(3, { runAt: t - 10 });
      expect(await storage.nextRunAt()).toBe(t - 10);
      await storage.claim(await fx().worker(), 1);
      expect(await storage.nextRunAt()).toBe(t + 3000);
    });
  });
}

const DONE = { kind: "done" } as const;

function retry(error: string, runAt: number) {
  return { kind: "retry", error, runAt } as const;
}
