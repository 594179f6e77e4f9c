/**
 * A worker instance's liveness loop: it heartbeats, so that others know
 * it is alive, and now and then recovers the orphans of instances that
 * stopped heartbeating. It runs from start until `signal` aborts.
 */
import type { Backend, EventHub, StoredContext } from "./contract.ts";
import type { WorkerOptions } from "./worker-options.ts";

export interface LivenessDeps {
  readonly workerId: string;
  readonly backend: Backend<unknown, StoredContext>;
  readonly options: WorkerOptions;
  /** Aborts when the instance stops. */
  readonly signal: AbortSignal;
  /** A backend call whose failure is reported and answers null. */
  readonly call: <T>(fn: () => Promise<T>) => Promise<T | null>;
  readonly emit: EventHub["emit"];
  /** Recovered tasks are due at once: wake the claim loop. */
  readonly wake: () => void;
}

export async function livenessLoop(deps: LivenessDeps): Promise<void> {
  const { backend, options, signal, call, emit, workerId } = deps;
  const { heartbeatMs, recoverEveryMs, lockTimeoutMs } = options;
  const clock = backend.livenessClock;
  let lastRecovery = Number.NEGATIVE_INFINITY;
  // Since when this instance's heartbeats have all gone through in
  // time. When the database stalls (a long statement on PGlite's one
  // connection), other instances' heartbeats stall or fail just the
  // same, and some land only after a judgement queued behind them: so
  // an instance judges others only once it has itself been heard from
  // without a stall for a whole lock timeout, time in which every live
  // instance could heartbeat too. A new instance has heard nothing yet,
  // so it waits that long before its first judgement.
  let healthySince = clock.now();
  while (!signal.aborted) {
    const now = clock.now();
    const trusted = now - healthySince >= lockTimeoutMs;
    if (trusted && now - lastRecovery >= recoverEveryMs) {
      lastRecovery = now;
      await recoverOrphans(deps, lockTimeoutMs);
    }
    const wait = Math.min(heartbeatMs, recoverEveryMs);
    if (!(await clock.sleep(wait, signal))) return;
    const sent = clock.now();
    const beat = await call(() => backend.heartbeat(workerId));
    if (beat === null || clock.now() - sent >= heartbeatMs) {
      healthySince = clock.now();
    }
    if (beat !== null) emit("worker:heartbeat", { workerId });
  }
}

async function recoverOrphans(
  deps: LivenessDeps,
  lockTimeoutMs: number,
): Promise<void> {
  const { backend, call, emit, workerId } = deps;
  const orphans = await call(() => backend.recoverOrphans(lockTimeoutMs));
  for (const orphan of orphans ?? []) {
    emit("task:orphan-recovered", { ...orphan, recoveredBy: workerId });
    if (orphan.status === "Killed") {
      emit("task:killed", {
        taskId: orphan.taskId,
        attempt: orphan.attempt,
        reason: `worker ${orphan.lostBy} was lost during its last attempt`,
      });
    } else {
      deps.wake();
    }
  }
}
