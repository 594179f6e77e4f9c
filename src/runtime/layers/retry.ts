import { type BackoffPolicy, backoffDelay, backoffPolicy } from "../backoff.ts";
import { toError } from "../error-text.ts";
import type { Layer } from "./layer.ts";

/** Options of the retry layer: a backoff policy and which errors retry. */
export interface RetryOptions extends Partial<BackoffPolicy> {
  /** Return false to kill the task at once on this error. */
  retryIf?: (error: Error) => boolean;
  /** Random source for jitter; tests pass a fixed one. */
  random?: () => number;
}

/**
 * The worker's decision about a failed attempt, carried by the error a
 * retry layer throws. Without a retry layer the worker uses the default
 * backoff.
 */
export class RetryDecision extends Error {
  constructor(
    readonly failure: Error,
    /** null: kill now; else the delay before the next attempt. */
    readonly delayMs: number | null,
  ) {
    super(failure.message, { cause: failure });
    this.name = failure.name;
  }
}

/**
 * Retries failed attempts with exponential backoff, jitter and a cap,
 * until the task's `maxAttempts` is spent. The retry itself is written
 * to the backend (attempts, last error, next run time) before any later
 * attempt can start, so it survives a crash.
 */
export function retry(options: RetryOptions = {}): Layer {
  const policy = backoffPolicy(options);
  const random = options.random ?? Math.random;
  return {
    name: "retry",
    wrap: (next) => async (call) => {
      try {
        return await next(call);
      } catch (thrown) {
        if (thrown instanceof RetryDecision) throw thrown;
        const error = toError(thrown);
        const { attempt, context } = call.task;
        const left = attempt < context.maxAttempts;
        const wanted = options.retryIf ? options.retryIf(error) : true;
        const delay =
          left && wanted ? backoffDelay(policy, attempt, random) : null;
        throw new RetryDecision(error, delay);
      }
    },
  };
}
