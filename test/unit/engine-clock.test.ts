import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clockAt, rebase, ScaledClock } from "../../src/engine/scaled-clock.ts";

const START = Date.UTC(2030, 0, 1);

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("scaled clock", () => {
  it("runs `speed` clock ms per real ms from its base", () => {
    const state = { atReal: START, atClock: 1_000, speed: 10 };
    expect(clockAt(state, START + 50)).toBe(1_500);
  });

  it("never moves when rebased to a new speed", () => {
    const state = { atReal: START, atClock: 0, speed: 4 };
    const next = rebase(state, START + 100, 0.5);
    expect(clockAt(next, START + 100)).toBe(400);
    expect(clockAt(next, START + 200)).toBe(450);
  });

  it("ends a sleep after ms / speed real ms", async () => {
    const clock = new ScaledClock({ atReal: START, atClock: 0, speed: 10 });
    let ended = false;
    void clock.sleep(1_000).then(() => {
      ended = true;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(ended).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(ended).toBe(true);
  });

  it("stands still while paused and ends pending sleeps after resume", async () => {
    const clock = new ScaledClock({ atReal: START, atClock: 0, speed: 1 });
    let ended = false;
    void clock.sleep(100).then(() => {
      ended = true;
    });
    await vi.advanceTimersByTimeAsync(40);
    clock.set(rebase(clock.state, Date.now(), 0));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(clock.now()).toBe(40);
    expect(ended).toBe(false);
    clock.set(rebase(clock.state, Date.now(), 1));
    await vi.advanceTimersByTimeAsync(60);
    expect(ended).toBe(true);
  });

  it("shortens a sleep already begun when the speed goes up", async () => {
    const clock = new ScaledClock({ atReal: START, atClock: 0, speed: 1 });
    let ended = false;
    void clock.sleep(10_000).then(() => {
      ended = true;
    });
    clock.set(rebase(clock.state, Date.now(), 100));
    await vi.advanceTimersByTimeAsync(100);
    expect(ended).toBe(true);
  });

  it("resolves false when the signal aborts", async () => {
    const clock = new ScaledClock({ atReal: START, atClock: 0, speed: 1 });
    const abort = new AbortController();
    const slept = clock.sleep(1_000, abort.signal);
    abort.abort();
    expect(await slept).toBe(false);
  });
});

describe("scaled clock, regressions", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: START });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("ends a sleep of 0 ms on a timer, so a loop of them cannot starve the thread", async () => {
    const clock = new ScaledClock({ atReal: START, atClock: 0, speed: 1 });
    let ended = false;
    void clock.sleep(0).then(() => {
      ended = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(ended).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(ended).toBe(true);
  });
});
