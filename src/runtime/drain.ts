/**
 * A stopping worker's last duty: wait for its running attempts until
 * the deadline, then abort and release the ones still running, so that
 * another instance can take them at once.
 */
import type { Backend, EventHub, StoredContext, Task } from "./contract.ts";
import { WorkerStoppedError } from "./errors.ts";

/** An attempt in flight on a worker instance. */
export interface RunningAttempt {
  readonly task: Task<unknown, StoredContext>;
  readonly abort: AbortController;
  /** Set when the task was released: its result is then ignored. */
  released: boolean;
  done?: Promise<void>;
}

/** Resolves how many attempts were released. */
export async function drainAttempts(
  running: Iterable<RunningAttempt>,
  deadlineMs: number,
  deps: {
    readonly workerId: string;
    readonly backend: Backend<unknown, StoredContext>;
    readonly call: <T>(fn: () => Promise<T>) => Promise<T | null>;
    readonly emit: EventHub["emit"];
  },
): Promise<number> {
  const attempts = [...running];
  const timer = new AbortController();
  const drained = await Promise.race([
    Promise.all(attempts.map((a) => a.done)).then(() => true),
    deps.backend.clock.sleep(deadlineMs, timer.signal).then(() => false),
  ]);
  timer.abort();
  if (drained) return 0;
  const { workerId, backend } = deps;
  let released = 0;
  for (const attempt of attempts) {
    attempt.released = true;
    attempt.abort.abort(new WorkerStoppedError(workerId));
    const { taskId, attempt: n } = attempt.task.parts;
    if (await deps.call(() => backend.release(taskId, n, workerId))) {
      released++;
      deps.emit("task:released", { taskId, attempt: n, workerId });
    }
  }
  return released;
}
