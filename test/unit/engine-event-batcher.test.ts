import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { EngineEvent } from "../../src/engine/api.ts";
import { EventBatcher } from "../../src/engine/event-batcher.ts";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("the engine's event batcher", () => {
  it("hands over a flood of events from one big push in one batch", () => {
    const batcher = new EventBatcher();
    const batches: number[] = [];
    batcher.subscribe((batch) => batches.push(batch.length));
    const event = { type: "console" } as unknown as EngineEvent;
    batcher.emit(Array.from({ length: 500_000 }, () => event));
    batcher.emit([event]);
    vi.advanceTimersByTime(100);
    expect(batches).toEqual([500_001]);
  });

  it("keeps serving the others when a listener throws", () => {
    const batcher = new EventBatcher();
    const seen: number[] = [];
    vi.spyOn(console, "error").mockImplementation(() => {});
    batcher.subscribe(() => {
      throw new Error("broken view");
    });
    batcher.subscribe((batch) => seen.push(batch.length));
    batcher.emit([{ type: "console" } as unknown as EngineEvent]);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([1]);
  });
});
