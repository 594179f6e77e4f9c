import { describe, expect, it } from "vitest";
import {
  rateLimit,
  retry,
  TimeoutError,
  timeout,
  WorkerBuilder,
} from "../../../src/runtime/index.ts";
import type { WorkerSetup } from "./setup.ts";
import { startWorker } from "./setup.ts";

/** Registers these cases for one backend. */
export function timeoutCases(name: string, setup: WorkerSetup): void {
  describe(`${name}: worker timeouts and rate limits`, () => {
    it("aborts at the timeout; a late success changes nothing and attempts never overlap (F10)", async () => {
      const { clock, storage, of } = await setup<object>();
      const id = await storage.push({}, { maxAttempts: 2 });
      const spans: { attempt: number; from: number; to: number }[] = [];
      const abortedAt: number[] = [];
      await startWorker(
        new WorkerBuilder("slow")
          .backend(storage)
          .layer(retry({ baseMs: 100, jitter: 0 }))
          .layer(timeout(2_000))
          .concurrency(4)
          .build(async (_args, { attempt, signal }) => {
            const from = clock.now();
            signal.addEventListener("abort", () => abortedAt.push(clock.now()));
            await clock.sleep(5_000); // ignores its signal on purpose
            spans.push({ attempt, from, to: clock.now() });
          }),
      );
      await clock.runUntil(() => of("task:killed").length === 1);
      expect(abortedAt).toEqual([
        (spans[0]?.from as number) + 2_000,
        (spans[1]?.from as number) + 2_000,
      ]);
      expect(of("task:succeeded")).toHaveLength(0);
      const row = await storage.get(id);
      expect(row?.status).toBe("Killed");
      expect(row?.context.lastError).toBe(
        `TimeoutError: ${new TimeoutError(2_000).message}`,
      );
      const [first, second] = spans;
      expect(second?.from).toBeGreaterThanOrEqual(first?.to as number);
    });

    it("starts at most `limit` calls per window", async () => {
      const { clock, storage, of } = await setup<object>();
      await storage.pushMany(Array.from({ length: 5 }, () => ({ args: {} })));
      const starts: number[] = [];
      const t0 = clock.now();
      await startWorker(
        new WorkerBuilder("limited")
          .backend(storage)
          .layer(rateLimit({ limit: 2, perMs: 1_000 }))
          .concurrency(5)
          .build(() => {
            starts.push(clock.now() - t0);
          }),
      );
      await clock.runUntil(() => of("task:succeeded").length === 5);
      expect(starts).toEqual([0, 0, 1_000, 1_000, 2_000]);
    });
  });
}
