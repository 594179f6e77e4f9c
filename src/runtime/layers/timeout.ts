import type { Clock } from "../contract.ts";
import { InvalidOptionError, TimeoutError } from "../errors.ts";
import { MAX_DELAY_MS } from "../validate.ts";
import type { Layer } from "./layer.ts";

export interface TimeoutOptions {
  /**
   * After the timeout, how long to wait for the handler to give up
   * before its lock is let go. The attempt has failed either way; this
   * wait keeps two attempts of one task from overlapping when a handler
   * ignores its abort signal. 30 s by default.
   */
  graceMs?: number;
  /**
   * The clock both waits run on; the backend's by default. A playground
   * that runs its task clock fast keeps the limit on real time, since a
   * handler's own work does not speed up.
   */
  clock?: Clock;
}

/**
 * Fails an attempt that runs longer than `ms`: its `signal` aborts with
 * a `TimeoutError`, and a result that arrives later changes nothing.
 */
export function timeout(ms: number, options: TimeoutOptions = {}): Layer {
  checkDuration("timeout", ms);
  const graceMs = options.graceMs ?? 30_000;
  checkDuration("timeout graceMs", graceMs);
  return {
    name: "timeout",
    wrap: (next, context) => {
      const clock = options.clock ?? context.clock;
      return async (call) => {
        const abort = new AbortController();
        const stopTimer = new AbortController();
        const outer = call.task.signal;
        const forward = () => abort.abort(outer.reason);
        outer.addEventListener("abort", forward, { once: true });
        const task = { ...call.task, signal: abort.signal };
        const run = Promise.resolve().then(() => next({ ...call, task }));
        const settled = run.then(
          () => "settled" as const,
          () => "settled" as const,
        );
        const timer = clock
          .sleep(ms, stopTimer.signal)
          .then((fired) =>
            fired ? ("timeout" as const) : ("settled" as const),
          );
        try {
          if ((await Promise.race([settled, timer])) === "settled") {
            return await run;
          }
          const error = new TimeoutError(ms);
          abort.abort(error);
          const graceOver = new AbortController();
          await Promise.race([settled, clock.sleep(graceMs, graceOver.signal)]);
          graceOver.abort();
          throw error;
        } finally {
          stopTimer.abort();
          outer.removeEventListener("abort", forward);
        }
      };
    },
  };
}

export function checkDuration(what: string, ms: number): void {
  if (!(Number.isFinite(ms) && ms >= 0 && ms <= MAX_DELAY_MS)) {
    throw new InvalidOptionError(
      `${what} must be a number of ms from 0 to ${MAX_DELAY_MS}, got ${ms}`,
    );
  }
}
