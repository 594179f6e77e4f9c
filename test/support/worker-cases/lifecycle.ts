import { describe, expect, it } from "vitest";
import {
  type Backend,
  Monitor,
  WorkerBuilder,
  WorkerStoppedError,
} from "../../../src/runtime/index.ts";
import type { WorkerSetup } from "./setup.ts";
import { startWorker } from "./setup.ts";

/** The same storage, but heartbeats are lost on the way (a partition). */
function withoutHeartbeats<A>(storage: Backend<A>): Backend<A> {
  return {
    queue: storage.queue,
    clock: storage.clock,
    livenessClock: storage.livenessClock,
    events: storage.events,
    registerWorker: (w) => storage.registerWorker(w),
    heartbeat: async () => {},
    deregisterWorker: (id) => storage.deregisterWorker(id),
    claim: (id, n) => storage.claim(id, n),
    finish: (f) => storage.finish(f),
    release: (t, a, w) => storage.release(t, a, w),
    recoverOrphans: async () => [],
    nextRunAt: () => storage.nextRunAt(),
    subscribe: (wake) => storage.subscribe(wake),
  };
}

/** The same storage, whose heartbeats fail while `stalled()` holds. */
function stalling<A>(storage: Backend<A>, stalled: () => boolean): Backend<A> {
  return new Proxy(storage, {
    get(target, key, receiver) {
      if (key === "heartbeat") {
        return async (id: string) => {
          if (stalled()) throw new Error("query queued behind a transaction");
          return target.heartbeat(id);
        };
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const fast = { heartbeatMs: 500, lockTimeoutMs: 2_000, recoverEveryMs: 500 };

/** Registers these cases for one backend. */
export function lifecycleCases(name: string, setup: WorkerSetup): void {
  describe(`${name}: worker lifecycle`, () => {
    it("drains running attempts on stop within the deadline", async () => {
      const { clock, storage, of } = await setup<object>();
      const id = await storage.push({});
      const worker = await startWorker(
        new WorkerBuilder("w").backend(storage).build(() => clock.sleep(1_000)),
      );
      await clock.runUntil(() => of("task:started").length === 1);
      const stopped = worker.stop({ deadlineMs: 5_000 });
      await clock.runUntil(() => worker.phase === "stopped");
      await stopped;
      expect((await storage.get(id))?.status).toBe("Done");
      expect(of("worker:stopped")[0]?.released).toBe(0);
    });

    it("aborts and releases what still runs at the deadline; the attempt does not count", async () => {
      const { clock, storage, of } = await setup<object>();
      const id = await storage.push({});
      let reason: unknown;
      const worker = await startWorker(
        new WorkerBuilder("w")
          .backend(storage)
          .build(async (_a, { signal }) => {
            await clock.sleep(60_000, signal);
            reason = signal.reason;
          }),
      );
      await clock.runUntil(() => of("task:started").length === 1);
      const stopped = worker.stop({ deadlineMs: 1_000 });
      await clock.runUntil(() => worker.phase === "stopped");
      await stopped;
      expect(reason).toBeInstanceOf(WorkerStoppedError);
      const row = await storage.get(id);
      expect(row?.status).toBe("Pending");
      expect(row?.attempts).toBe(0);
      expect(row?.context.lockBy).toBeNull();
      expect(of("task:released")).toHaveLength(1);
    });

    it("kills a last-attempt task whose worker died, saying so, and goes on with the rest (F08)", async () => {
      const { clock, storage, of } = await setup<{ n: number }>();
      const doomed = await storage.push(
        { n: 0 },
        { maxAttempts: 1, priority: 1 },
      );
      const behind = await storage.push({ n: 1 });
      const crashing = await startWorker(
        new WorkerBuilder("w")
          .backend(storage)
          .options(fast)
          .build(() => clock.sleep(60_000)),
      );
      await clock.runUntil(() => of("task:started").length === 1);
      crashing.kill();
      await startWorker(
        new WorkerBuilder("w")
          .backend(storage)
          .options(fast)
          .build(() => {}),
      );
      await clock.runUntil(
        () =>
          of("task:succeeded").length === 1 && of("task:killed").length === 1,
      );
      const row = await storage.get(doomed);
      expect(row?.status).toBe("Killed");
      expect(row?.context.lastError).toMatch(
        new RegExp(`worker ${crashing.id} was lost`),
      );
      expect((await storage.get(behind))?.status).toBe("Done");
      expect(of("task:orphan-recovered")[0]).toMatchObject({
        taskId: doomed,
        lostBy: crashing.id,
        status: "Killed",
      });
    });

    it("runs a long task once while its worker is alive, past the lock timeout (F09a)", async () => {
      const { clock, storage, of } = await setup<object>();
      await storage.push({});
      let runs = 0;
      const options = { ...fast, concurrency: 2 };
      for (const name of ["a", "b"]) {
        await startWorker(
          new WorkerBuilder(name)
            .backend(storage)
            .options(options)
            .build(async () => {
              runs++;
              await clock.sleep(6_000);
            }),
        );
      }
      await clock.runUntil(() => of("task:succeeded").length === 1);
      expect(runs).toBe(1);
      expect(of("task:orphan-recovered")).toHaveLength(0);
    });

    it("calls no one dead while its own heartbeats cannot get through (F09a)", async () => {
      const { clock, storage, of } = await setup<object>();
      await storage.push({});
      let stalled = false;
      const db = stalling(storage, () => stalled);
      await startWorker(
        new WorkerBuilder("busy")
          .backend(db)
          .options(fast)
          .build(() => clock.sleep(8_000)),
      );
      await startWorker(
        new WorkerBuilder("judge")
          .backend(db)
          .options(fast)
          .build(() => {}),
      );
      await clock.runUntil(() => of("task:started").length === 1);
      // The database refuses every heartbeat for twice the lock timeout,
      // then answers again: both instances lived throughout.
      stalled = true;
      await clock.advance(4_000);
      stalled = false;
      await clock.runUntil(() => of("task:succeeded").length === 1);
      expect(of("task:orphan-recovered")).toHaveLength(0);
    });

    it("recovers an orphan even when the new worker has the dead one's name (F09b)", async () => {
      const { clock, storage, of } = await setup<object>();
      const id = await storage.push({}, { maxAttempts: 3 });
      const first = await startWorker(
        new WorkerBuilder("same")
          .backend(storage)
          .options(fast)
          .build(() => clock.sleep(60_000)),
      );
      await clock.runUntil(() => of("task:started").length === 1);
      first.kill();
      const second = await startWorker(
        new WorkerBuilder("same")
          .backend(storage)
          .options(fast)
          .build(() => {}),
      );
      expect(second.id).not.toBe(first.id);
      await clock.runUntil(() => of("task:succeeded").length === 1);
      const attempts = await storage.attempts(id);
      expect(attempts.map((a) => [a.workerId, a.outcome])).toEqual([
        [first.id, "Lost"],
        [second.id, "Done"],
      ]);
    });

    it("ignores a late answer from a worker whose task was recovered", async () => {
      const { clock, storage, of } = await setup<object>();
      const id = await storage.push({}, { maxAttempts: 3 });
      let release: () => void = () => {};
      const zombie = await startWorker(
        new WorkerBuilder("zombie")
          .backend(withoutHeartbeats(storage))
          .options(fast)
          .build(
            () =>
              new Promise<void>((r) => {
                release = r;
              }),
          ),
      );
      await clock.runUntil(() => of("task:started").length === 1);
      // The zombie's heartbeats never arrive, but its handler goes on.
      await clock.advance(3_000);
      await startWorker(
        new WorkerBuilder("rescuer")
          .backend(storage)
          .options(fast)
          .build(() => clock.sleep(10_000)),
      );
      await clock.runUntil(() => of("task:started").length === 2);
      release();
      await clock.runUntil(() => of("task:lock-lost").length === 1);
      expect(of("task:lock-lost")[0]?.workerId).toBe(zombie.id);
      const row = await storage.get(id);
      expect(row?.status).toBe("Running");
      expect(row?.attempts).toBe(2);
    });

    it("does not spin when tasks are pushed while every slot is taken", async () => {
      const { clock, storage, of } = await setup<object>();
      await storage.push({});
      await startWorker(
        new WorkerBuilder("busy")
          .backend(storage)
          .build(() => clock.sleep(5_000)),
      );
      await clock.runUntil(() => of("task:started").length === 1);
      await storage.push({});
      await storage.push({});
      await clock.runUntil(() => of("task:succeeded").length === 3);
      expect(
        of("task:started").map((e) => e.at - (of("task:started")[0]?.at ?? 0)),
      ).toEqual([0, 5_000, 10_000]);
    });

    it("starts and stops several workers together", async () => {
      const { clock, storage, of } = await setup<object>();
      await storage.pushMany(Array.from({ length: 6 }, () => ({ args: {} })));
      const monitor = new Monitor().register(
        new WorkerBuilder("a").backend(storage).build(() => clock.sleep(10)),
        new WorkerBuilder("b").backend(storage).build(() => clock.sleep(10)),
      );
      const running = monitor.run();
      await clock.runUntil(() => of("task:succeeded").length === 6);
      const stopping = monitor.stop();
      await clock.runUntil(() => of("worker:stopped").length === 2);
      await stopping;
      await running;
      const by = new Set(of("task:succeeded").map((e) => e.workerId));
      expect(by.size).toBe(2);
    });
  });
}
