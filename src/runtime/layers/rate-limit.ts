import { InvalidOptionError } from "../errors.ts";
import type { Layer } from "./layer.ts";
import { checkDuration } from "./timeout.ts";

/**
 * Lets at most `limit` calls start in any window of `perMs`, across all
 * tasks of the worker. A call over the limit waits for the clock, not
 * for a real timer, and gives up when its task's signal aborts.
 */
export function rateLimit(options: { limit: number; perMs: number }): Layer {
  const { limit, perMs } = options;
  if (!(Number.isInteger(limit) && limit >= 1)) {
    throw new InvalidOptionError(
      `rateLimit limit must be an integer ≥ 1, got ${limit}`,
    );
  }
  checkDuration("rateLimit perMs", perMs);
  // Start times of the calls inside the current window, oldest first.
  const starts: number[] = [];
  return {
    name: "rate-limit",
    wrap:
      (next, { clock }) =>
      async (call) => {
        for (;;) {
          const now = clock.now();
          while (starts.length > 0 && (starts[0] as number) <= now - perMs) {
            starts.shift();
          }
          if (starts.length < limit) break;
          const waitMs = (starts[0] as number) + perMs - now;
          const waited = await clock.sleep(waitMs, call.task.signal);
          if (!waited) throw call.task.signal.reason;
        }
        starts.push(clock.now());
        return next(call);
      },
  };
}
