/**
 * One attempt of one task: build what the handler sees, run it through
 * the layers, and turn the outcome into the end the backend records;
 * then the events that tell of it once the backend has taken it.
 */
import { type BackoffPolicy, backoffDelay } from "./backoff.ts";
import { freezeContext } from "./context.ts";
import type {
  AttemptEnd,
  Clock,
  EventHub,
  Logger,
  StoredContext,
  Task,
} from "./contract.ts";
import { errorText, toError } from "./error-text.ts";
import type { TaskInput } from "./handler.ts";
import type { Service } from "./layers/layer.ts";
import { RetryDecision } from "./layers/retry.ts";
import { cleanError } from "./validate.ts";

export interface AttemptDeps {
  readonly workerId: string;
  readonly service: Service;
  readonly state: object;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly backoff: BackoffPolicy;
}

/** Runs the handler; resolves how the attempt ended. Never throws. */
export async function runAttempt(
  task: Task<unknown, StoredContext>,
  signal: AbortSignal,
  deps: AttemptDeps,
): Promise<AttemptEnd> {
  const { args, parts } = task;
  const input: TaskInput = Object.freeze({
    taskId: parts.taskId,
    attempt: parts.attempt,
    context: freezeContext(parts.context),
    signal,
    log: deps.logger.child({ worker: deps.workerId, taskId: parts.taskId }),
  });
  try {
    await deps.service({ args, task: input, state: deps.state });
    return { kind: "done" };
  } catch (thrown) {
    return decide(thrown, parts.attempt, parts.context.maxAttempts, deps);
  }
}

/** Retry or kill: a retry layer's decision, else the default backoff. */
function decide(
  thrown: unknown,
  attempt: number,
  maxAttempts: number,
  deps: AttemptDeps,
): AttemptEnd {
  const decided = thrown instanceof RetryDecision ? thrown : null;
  const error = cleanError(errorText(decided?.failure ?? toError(thrown)));
  let delayMs = decided ? decided.delayMs : backoffDelay(deps.backoff, attempt);
  if (attempt >= maxAttempts) delayMs = null;
  if (delayMs === null) return { kind: "kill", error };
  return { kind: "retry", error, runAt: deps.clock.now() + delayMs };
}

/** The events of an attempt's end, once the backend has answered. */
export function emitEnd(
  emit: EventHub["emit"],
  ids: { taskId: string; attempt: number; workerId: string },
  end: AttemptEnd,
  tookEffect: boolean,
  durationMs: number,
  now: number,
): void {
  const { taskId, attempt } = ids;
  if (!tookEffect) {
    emit("task:lock-lost", ids);
    return;
  }
  if (end.kind === "done") {
    emit("task:succeeded", { ...ids, durationMs });
    return;
  }
  emit("task:failed", { ...ids, error: end.error, durationMs });
  if (end.kind === "retry") {
    const delayMs = end.runAt - now;
    emit("task:retry-scheduled", {
      taskId,
      attempt,
      runAt: end.runAt,
      delayMs,
    });
  } else {
    emit("task:killed", { taskId, attempt, reason: end.error });
  }
}
