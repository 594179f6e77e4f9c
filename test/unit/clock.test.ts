import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeClock, systemClock } from "../../src/runtime/index.ts";

describe("systemClock", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("waits past setTimeout's 2^31 ms limit without firing early (F11)", async () => {
    vi.useFakeTimers({ now: 0 });
    let done = false;
    const ms = 2 ** 31 + 5_000;
    void systemClock.sleep(ms).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });

  it("waits 365 days in a handful of timers, not a spin", async () => {
    vi.useFakeTimers({ now: 0 });
    let done = false;
    void systemClock.sleep(365 * 86_400_000).then(() => {
      done = true;
    });
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(364 * 86_400_000);
    expect(done).toBe(false);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(86_400_000);
    expect(done).toBe(true);
  });

  it("ends early, with false, when its signal aborts", async () => {
    vi.useFakeTimers({ now: 0 });
    const abort = new AbortController();
    const slept = systemClock.sleep(60_000, abort.signal);
    abort.abort();
    expect(await slept).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("FakeClock", () => {
  it("ends sleeps in time order as it advances", async () => {
    const clock = new FakeClock(0);
    const order: number[] = [];
    void clock.sleep(30).then(() => order.push(30));
    void clock.sleep(10).then(() => order.push(10));
    void clock.sleep(20).then(() => order.push(20));
    await clock.advance(25);
    expect(order).toEqual([10, 20]);
    expect(clock.now()).toBe(25);
    await clock.advance(5);
    expect(order).toEqual([10, 20, 30]);
  });

  it("throws instead of hanging when the condition never holds", async () => {
    const clock = new FakeClock(0);
    void clock.sleep(1_000);
    await expect(clock.runUntil(() => false, { maxMs: 100 })).rejects.toThrow(
      /still false after 100 ms of fake time/,
    );
  });
});
