import { describe, expect, it } from "vitest";
import {
  Adaptive,
  type AdaptiveState,
  adaptiveProcessing,
  deliveryTimeout,
} from "../../../examples/adaptive.ts";
import type { Email } from "../../../examples/email-app.ts";
import { retry, WorkerBuilder } from "../../../src/index.ts";
import { memorySetup, startWorker } from "../../support/worker-cases/setup.ts";

describe("context and state combined", () => {
  it("gives early attempts more time and the last one the base timeout", () => {
    expect([1, 2, 3].map((n) => deliveryTimeout(3, n, 1_000))).toEqual([
      3_000, 2_000, 1_000,
    ]);
  });

  it("picks the processor by priority, then by attempt, with a timeout from max attempts", async () => {
    const { clock, storage, of } = await memorySetup<Email>();
    const calls: string[] = [];
    // The standard processor always fails: the retry one takes over.
    const processor = (name: string, fails = false) => ({
      name,
      async process(email: Email, timeoutMs: number) {
        calls.push(`${name}:${email.to}:${timeoutMs}`);
        if (fails) throw new Error(`${name} is down`);
      },
    });
    const recorded: [number, number][] = [];
    const state: AdaptiveState = {
      processors: {
        highPriority: processor("high"),
        retry: processor("retry"),
        standard: processor("standard", true),
      },
      config: { baseTimeoutMs: 100 },
      metrics: { record: (p, a) => void recorded.push([p, a]) },
    };
    const email = (to: string) => ({ to, subject: "s", body: "b" });
    await storage.push(email("urgent"), { priority: 9, maxAttempts: 4 });
    await storage.push(email("normal"), { priority: 1, maxAttempts: 4 });
    await startWorker(
      new WorkerBuilder("adaptive")
        .backend(storage)
        .data(Adaptive, state)
        .layer(retry({ baseMs: 10, jitter: 0 }))
        .build(adaptiveProcessing),
    );
    await clock.runUntil(() => of("task:succeeded").length === 2);
    expect(calls).toEqual([
      "high:urgent:400",
      "standard:normal:400",
      "standard:normal:300",
      "retry:normal:200",
    ]);
    expect(recorded).toEqual([
      [9, 1],
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
  });
});
