import { InvalidOptionError } from "../errors.ts";
import type { Layer } from "./layer.ts";

/**
 * Runs at most `limit` calls at once through this layer. One instance
 * shared by several workers caps them together (say, one API client);
 * a worker's own `.concurrency(n)` caps what it claims.
 */
export function concurrencyLimit(limit: number): Layer {
  if (!(Number.isInteger(limit) && limit >= 1)) {
    throw new InvalidOptionError(
      `concurrencyLimit must be an integer ≥ 1, got ${limit}`,
    );
  }
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    name: "concurrency-limit",
    wrap: (next) => async (call) => {
      if (running >= limit) {
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running++;
      }
      try {
        return await next(call);
      } finally {
        // Hand the slot straight to the next caller, if any.
        const wake = waiting.shift();
        if (wake) wake();
        else running--;
      }
    },
  };
}
