import { describe, expect, it } from "vitest";
import { Coalescer } from "../../src/backends/postgres/coalesce.ts";

describe("Coalescer", () => {
  it("runs a lone call at once, and calls that arrive meanwhile as one batch", async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const coalescer = new Coalescer<number, number>(async (requests) => {
      batches.push(requests);
      if (batches.length === 1) {
        await new Promise<void>((r) => {
          release = r;
        });
      }
      return requests.map((n) => n * 10);
    });
    const first = coalescer.run(1);
    const later = [coalescer.run(2), coalescer.run(3), coalescer.run(4)];
    release();
    expect(await first).toBe(10);
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it("rejects every call of a failed batch and goes on with the next", async () => {
    let calls = 0;
    const coalescer = new Coalescer<number, number>(async (requests) => {
      if (calls++ === 0) throw new Error("database down");
      return requests;
    });
    const failed = coalescer.run(1);
    const next = coalescer.run(2);
    await expect(failed).rejects.toThrow("database down");
    expect(await next).toBe(2);
  });
});
