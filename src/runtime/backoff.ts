import { InvalidOptionError } from "./errors.ts";
import { MAX_DELAY_MS } from "./validate.ts";

/** How long to wait before the next attempt. */
export interface BackoffPolicy {
  /** Delay after the first failed attempt, ms. 1,000 by default. */
  baseMs: number;
  /** Growth per attempt, at least 1. 2 by default. */
  factor: number;
  /** The longest delay, ms. One hour by default. */
  capMs: number;
  /**
   * Random extra delay as a share of the exponential delay, 0 to
   * `factor - 1` (so a later delay is never shorter). 0.25 by default.
   */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 1_000,
  factor: 2,
  capMs: 3_600_000,
  jitter: 0.25,
};

/** Fills defaults and rejects values the runtime cannot honour. */
export function backoffPolicy(
  options: Partial<BackoffPolicy> = {},
): BackoffPolicy {
  const policy = { ...DEFAULT_BACKOFF, ...options };
  const { baseMs, factor, capMs, jitter } = policy;
  if (!(Number.isFinite(baseMs) && baseMs >= 0)) {
    throw new InvalidOptionError(
      `backoff baseMs must be a finite number ≥ 0, got ${baseMs}`,
    );
  }
  if (!(Number.isFinite(factor) && factor >= 1)) {
    throw new InvalidOptionError(
      `backoff factor must be a finite number ≥ 1, got ${factor}`,
    );
  }
  if (!(capMs >= baseMs && capMs <= MAX_DELAY_MS)) {
    throw new InvalidOptionError(
      `backoff capMs must be between baseMs (${baseMs}) and ${MAX_DELAY_MS}, got ${capMs}`,
    );
  }
  if (!(jitter >= 0 && jitter <= factor - 1)) {
    throw new InvalidOptionError(
      `backoff jitter must be between 0 and factor - 1 (${factor - 1}) so delays never shrink, got ${jitter}`,
    );
  }
  return policy;
}

/**
 * The delay after failed attempt `attempt` (1-based): base × factor^(n-1)
 * plus jitter, capped. Computed in a way that cannot overflow: past the
 * cap the power is never evaluated, so attempt 1,024 is simply the cap.
 */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const { baseMs, factor, capMs, jitter } = policy;
  if (baseMs === 0) return 0;
  const steps = Math.max(0, attempt - 1);
  const stepsToCap =
    factor === 1
      ? Number.POSITIVE_INFINITY
      : Math.log(capMs / baseMs) / Math.log(factor);
  if (steps >= stepsToCap) return capMs;
  const exponential = baseMs * factor ** steps;
  return Math.min(capMs, Math.round(exponential * (1 + jitter * random())));
}
