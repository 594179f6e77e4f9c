import type { Logger } from "./contract.ts";
import { InvalidOptionError } from "./errors.ts";
import { checkDuration } from "./layers/timeout.ts";
import { noopLogger } from "./logger.ts";

/** How a worker instance claims, heartbeats and stops. */
export interface WorkerOptions {
  /** Attempts run at once; also the most tasks one claim takes. 1 by default. */
  concurrency: number;
  /** Longest sleep when idle; a push wakes a worker sooner. 1 s by default. */
  pollMs: number;
  /** How often the instance proves it is alive. 5 s by default. */
  heartbeatMs: number;
  /**
   * An instance silent this long is dead, and its locked tasks are
   * orphans. Must exceed `heartbeatMs`. 30 s by default.
   */
  lockTimeoutMs: number;
  /** How often to look for orphans. 10 s by default. */
  recoverEveryMs: number;
  /** How long `stop()` waits for running attempts. 10 s by default. */
  stopDeadlineMs: number;
  /** Where the worker and its layers log. Silent by default. */
  logger: Logger;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  concurrency: 1,
  pollMs: 1_000,
  heartbeatMs: 5_000,
  lockTimeoutMs: 30_000,
  recoverEveryMs: 10_000,
  stopDeadlineMs: 10_000,
  logger: noopLogger,
};

/** Fills defaults and rejects values that cannot work. */
export function workerOptions(
  options: Partial<WorkerOptions> = {},
): WorkerOptions {
  const o = { ...DEFAULT_WORKER_OPTIONS, ...options };
  if (!(Number.isInteger(o.concurrency) && o.concurrency >= 1)) {
    throw new InvalidOptionError(
      `concurrency must be an integer ≥ 1, got ${o.concurrency}`,
    );
  }
  checkDuration("pollMs", o.pollMs);
  checkDuration("heartbeatMs", o.heartbeatMs);
  checkDuration("lockTimeoutMs", o.lockTimeoutMs);
  checkDuration("recoverEveryMs", o.recoverEveryMs);
  checkDuration("stopDeadlineMs", o.stopDeadlineMs);
  if (o.pollMs < 1 || o.heartbeatMs < 1 || o.recoverEveryMs < 1) {
    throw new InvalidOptionError(
      "pollMs, heartbeatMs and recoverEveryMs must be at least 1 ms",
    );
  }
  if (o.lockTimeoutMs <= o.heartbeatMs) {
    throw new InvalidOptionError(
      `lockTimeoutMs (${o.lockTimeoutMs}) must exceed heartbeatMs (${o.heartbeatMs}), or live workers would be taken for dead`,
    );
  }
  return o;
}
