import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  backoffPolicy,
  DEFAULT_BACKOFF,
} from "../../src/runtime/backoff.ts";
import { InvalidOptionError } from "../../src/runtime/errors.ts";

describe("backoff", () => {
  const noJitter = backoffPolicy({ baseMs: 1_000, jitter: 0 });

  it("doubles from the base delay", () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(noJitter, n))).toEqual([
      1_000, 2_000, 4_000, 8_000,
    ]);
  });

  it("never shrinks, stops at its cap and stays finite for huge attempts (F12)", () => {
    const attempts = [1, 2, 5, 10, 30, 31, 32, 53, 64, 1023, 1024, 1e9];
    for (const random of [() => 0, () => 0.5, () => 0.999]) {
      const delays = attempts.map((n) =>
        backoffDelay(DEFAULT_BACKOFF, n, random),
      );
      for (let i = 1; i < delays.length; i++) {
        expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] as number);
      }
      for (const d of delays) expect(Number.isFinite(d)).toBe(true);
      expect(delays.at(-1)).toBe(DEFAULT_BACKOFF.capMs);
    }
  });

  it("keeps every delay inside [exponential, exponential × (1 + jitter)]", () => {
    const policy = backoffPolicy({ baseMs: 100, jitter: 0.5 });
    expect(backoffDelay(policy, 3, () => 0)).toBe(400);
    expect(backoffDelay(policy, 3, () => 1)).toBe(600);
  });

  it("rejects a jitter that could make a later delay shorter", () => {
    expect(() => backoffPolicy({ factor: 2, jitter: 1.5 })).toThrow(
      InvalidOptionError,
    );
  });

  it("rejects a cap below the base or beyond what a run time can hold", () => {
    expect(() => backoffPolicy({ baseMs: 10, capMs: 5 })).toThrow(/capMs/);
    expect(() => backoffPolicy({ capMs: Number.POSITIVE_INFINITY })).toThrow(
      /capMs/,
    );
  });
});
