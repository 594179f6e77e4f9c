import { describe, expect, it } from "vitest";
import {
  retry,
  type StoredContext,
  WorkerBuilder,
} from "../../../src/runtime/index.ts";
import type { WorkerSetup } from "./setup.ts";
import { startWorker } from "./setup.ts";

/** Registers these cases for one backend. */
export function retryCases(name: string, setup: WorkerSetup): void {
  describe(`${name}: worker retries`, () => {
    it("retries an always-failing task with growing gaps, then kills it after max attempts (F06)", async () => {
      const { clock, storage, of } = await setup<object>();
      const id = await storage.push({}, { maxAttempts: 5 });
      const startedAt: number[] = [];
      await startWorker(
        new WorkerBuilder("always-fails")
          .backend(storage)
          .layer(retry({ baseMs: 1_000, jitter: 0 }))
          .build(() => {
            startedAt.push(clock.now());
            throw new Error("nope");
          }),
      );
      await clock.runUntil(() => of("task:killed").length === 1);
      // Give a sixth attempt every chance to happen.
      await clock.advance(3_600_000);
      expect(startedAt).toHaveLength(5);
      const gaps = startedAt
        .slice(1)
        .map((t, i) => t - (startedAt[i] as number));
      expect(gaps).toEqual([1_000, 2_000, 4_000, 8_000]);
      const row = await storage.get(id);
      expect(row?.status).toBe("Killed");
      expect(row?.attempts).toBe(5);
      expect(of("task:started").map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5]);
    });

    it("persists each failure before the next attempt, which sees the stored row as its context (F07)", async () => {
      const { clock, storage, of } = await setup<object>();
      const id = await storage.push({}, { maxAttempts: 4 });
      const contexts: StoredContext[] = [];
      const storedAfter: Awaited<ReturnType<typeof storage.get>>[] = [];
      storage.events.on("task:retry-scheduled", async () => {
        storedAfter.push(await storage.get(id));
      });
      await startWorker(
        new WorkerBuilder("fails-n")
          .backend(storage)
          .layer(retry({ baseMs: 500, jitter: 0 }))
          .build((_args, { attempt, context }) => {
            contexts.push({ ...context });
            if (attempt < 4) throw new Error(`fail #${attempt}`);
          }),
      );
      await clock.runUntil(() => of("task:succeeded").length === 1);
      for (const n of [1, 2, 3]) {
        const row = storedAfter[n - 1];
        expect(row?.attempts).toBe(n);
        expect(row?.status).toBe("Failed");
        expect(row?.context.lastError).toBe(`Error: fail #${n}`);
        expect(row?.context.lockBy).toBeNull();
        const retried = of("task:retry-scheduled")[n - 1];
        expect(row?.context.runAt).toBe(retried?.runAt);
        const next = contexts[n];
        expect(next?.lastError).toBe(`Error: fail #${n}`);
        expect(next?.runAt).toBe(row?.context.runAt);
        expect(next?.maxAttempts).toBe(row?.context.maxAttempts);
        expect(next?.priority).toBe(row?.context.priority);
      }
      expect((await storage.get(id))?.status).toBe("Done");
    });

    it("kills at once when retryIf says the error is permanent", async () => {
      const { clock, storage, of } = await setup<object>();
      const id = await storage.push({}, { maxAttempts: 10 });
      await startWorker(
        new WorkerBuilder("permanent")
          .backend(storage)
          .layer(retry({ retryIf: (e) => !e.message.includes("invalid") }))
          .build(() => {
            throw new Error("invalid address");
          }),
      );
      await clock.runUntil(() => of("task:killed").length === 1);
      expect((await storage.get(id))?.attempts).toBe(1);
    });

    it("never marks a failed attempt Done", async () => {
      const { clock, storage, of } = await setup<object>();
      await storage.push({}, { maxAttempts: 1 });
      await startWorker(
        new WorkerBuilder("x")
          .backend(storage)
          .build(async () => Promise.reject(new Error("late reject"))),
      );
      await clock.runUntil(() => of("task:killed").length === 1);
      expect(await storage.counts()).toMatchObject({ Done: 0, Killed: 1 });
    });
  });
}
