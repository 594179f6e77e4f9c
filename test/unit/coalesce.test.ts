import { describe, expect, it } from "vitest";
import { Coalescer } from "../../src/backends/postgres/coalesce.ts";

describe("Coalescer", () => {
  it("batches calls of one turn, and calls that arrive meanwhile as the next batch", async () => {
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
    const first = [coalescer.run(1), coalescer.run(2)];
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    const later = [coalescer.run(3), coalescer.run(4)];
    release();
    expect(await Promise.all(first)).toEqual([10, 20]);
    expect(await Promise.all(later)).toEqual([30, 40]);
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it("rejects every call of a failed batch and goes on with the next", async () => {
    let calls = 0;
    const coalescer = new Coalescer<number, number>(async (requests) => {
      if (calls++ === 0) throw new Error("database down");
      return requests;
    });
    const failed = coalescer.run(1);
    await expect(failed).rejects.toThrow("database down");
    const next = coalescer.run(2);
    expect(await next).toBe(2);
  });
});
