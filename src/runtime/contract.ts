/**
 * The runtime's contract: every type a backend, a layer or a handler
 * relies on. Implementation files stay lean; the words live here.
 *
 * Words (the glossary of DESIGN.md, as this layer uses them):
 * - task: one unit of work, its `args` (a JSON payload) plus its parts.
 * - parts: what the runtime adds to the args: task id, attempt, context.
 * - task id: a ULID fixed at push time; it sorts by push time.
 * - attempt: which run of the task this is; 1 during the first run.
 * - context: backend metadata of one task (run time, max attempts, last
 *   error, lock, priority). Handlers read it and never write it.
 * - state: application resources registered once on a worker with
 *   `.data(key, value)`. Every task sees the same object, by reference.
 * - backend: where a worker's tasks come from. A storage is a backend
 *   that can also be pushed to.
 * - worker instance: one run of a worker. Its id is unique per run, so
 *   liveness (heartbeats, orphan recovery) is per instance, not per name.
 * - lock: a claimed task. `lockBy` is the worker instance, `lockAt` when.
 *   Completing or failing a task is fenced by the lock: a worker that
 *   lost its lock cannot change the task any more.
 * - orphan: a task locked by an instance that stopped heartbeating.
 */

/** A unique, sortable task id (ULID). */
export type TaskId = string;

/** A value that survives JSON and PostgreSQL `jsonb` unchanged. */
export type Json =
  | null
  | boolean
  | number
  | string
  | Json[]
  | { [key: string]: Json };

/**
 * Where a task is in its life.
 * - `Pending`: waiting for its run time.
 * - `Running`: locked by a worker instance.
 * - `Done`: an attempt succeeded.
 * - `Failed`: an attempt failed; it runs again at its new run time.
 * - `Killed`: no attempts left, or aborted.
 */
export type TaskStatus = "Pending" | "Running" | "Done" | "Failed" | "Killed";

export const TASK_STATUSES: readonly TaskStatus[] = [
  "Pending",
  "Running",
  "Done",
  "Failed",
  "Killed",
];

/**
 * The execution context both built-in backends store for every task.
 * Times are milliseconds since the epoch, so a context is plain data
 * that can be frozen, copied between threads and compared.
 */
export interface StoredContext {
  /** When the task may run next. */
  readonly runAt: number;
  /** How many attempts the task gets in all; at least 1. */
  readonly maxAttempts: number;
  /** The error of the previous failed attempt, if any. */
  readonly lastError: string | null;
  /** When the current lock was taken, if the task is locked. */
  readonly lockAt: number | null;
  /** The worker instance holding the lock, if the task is locked. */
  readonly lockBy: string | null;
  /** When the task reached `Done` or `Killed`. */
  readonly doneAt: number | null;
  /** A larger priority runs sooner. */
  readonly priority: number;
}

/** What the runtime adds to a task's args. */
export interface Parts<Ctx> {
  readonly taskId: TaskId;
  /** 1 during the first run. */
  readonly attempt: number;
  /** Frozen: a write throws `ContextReadOnlyError`. */
  readonly context: Readonly<Ctx>;
}

/** One unit of work as a worker receives it. */
export interface Task<Args, Ctx> {
  readonly args: Args;
  readonly parts: Parts<Ctx>;
}

/** How a task should run, given when it is pushed. */
export interface PushOptions {
  /** A larger number runs sooner. An integer in the int32 range; 0 by default. */
  priority?: number;
  /** Run no earlier than this time (ms since the epoch). */
  runAt?: number;
  /** Run no earlier than this many ms from now. Not together with `runAt`. */
  delayMs?: number;
  /** Attempts in all, at least 1; 25 by default. */
  maxAttempts?: number;
}

/** A task as stored, for views and tests. */
export interface TaskRecord<Args = unknown> {
  readonly id: TaskId;
  readonly queue: string;
  readonly args: Args;
  readonly status: TaskStatus;
  /** Attempts started so far. */
  readonly attempts: number;
  readonly context: StoredContext;
  readonly createdAt: number;
}

/** How one attempt ended. `Lost`: its worker died or let go of it. */
export type AttemptOutcome = "Done" | "Failed" | "Killed" | "Lost";

/** One row of a task's attempt history. */
export interface AttemptRecord {
  readonly taskId: TaskId;
  readonly attempt: number;
  readonly workerId: string;
  readonly startedAt: number;
  /** Null while the attempt runs. */
  readonly endedAt: number | null;
  readonly outcome: AttemptOutcome | null;
  readonly error: string | null;
}

/** A worker instance as a backend records it. */
export interface WorkerInfo {
  /** Unique per run: `${name}-${ulid}`. */
  readonly id: string;
  /** The name given to `WorkerBuilder`; several instances may share it. */
  readonly name: string;
  readonly queue: string;
}

/** The fenced end of an attempt, as a worker reports it. */
export type AttemptEnd =
  | { readonly kind: "done" }
  | {
      readonly kind: "retry";
      readonly error: string;
      /** The new run time, written before the next attempt can start. */
      readonly runAt: number;
    }
  | { readonly kind: "kill"; readonly error: string };

/** A report to `Backend.finish` about one attempt. */
export interface Finish {
  readonly taskId: TaskId;
  readonly attempt: number;
  readonly workerId: string;
  readonly end: AttemptEnd;
}

/** A task that orphan recovery took back from a dead worker instance. */
export interface RecoveredOrphan {
  readonly taskId: TaskId;
  readonly attempt: number;
  /** The worker instance that stopped heartbeating. */
  readonly lostBy: string;
  /** `Failed` when attempts are left (it runs again), else `Killed`. */
  readonly status: "Failed" | "Killed";
}

/**
 * Where a worker's tasks come from. Every method is safe to call from
 * several worker instances at once; `claim` never hands one task to two
 * instances, and `finish`/`release` change a task only while the given
 * instance holds its lock for the given attempt.
 */
export interface Backend<Args, Ctx extends StoredContext = StoredContext> {
  /** The kind of task this backend serves; workers claim only these. */
  readonly queue: string;
  /** The time source; workers on this backend use the same one. */
  readonly clock: Clock;
  /**
   * The time source of liveness: heartbeats, and the lock timeout that
   * judges an instance dead. The same as `clock` unless set apart: a
   * playground whose task clock runs fast keeps liveness on real time,
   * so a slow answer under load is never taken for a lost machine.
   */
  readonly livenessClock: Clock;
  /** Every step of every task and worker on this backend. */
  readonly events: EventHub;
  /** Records a starting worker instance and its first heartbeat. */
  registerWorker(worker: WorkerInfo): Promise<void>;
  /** Proves the instance is alive; orphans are judged by this. */
  heartbeat(workerId: string): Promise<void>;
  /** Records a stopped instance. Its locked tasks must be released first. */
  deregisterWorker(workerId: string): Promise<void>;
  /**
   * Locks up to `limit` due tasks of this queue for the instance, larger
   * priority first, then earlier run time. Each claimed task's attempt
   * count goes up by one and an attempt history row is opened.
   */
  claim(workerId: string, limit: number): Promise<Task<Args, Ctx>[]>;
  /**
   * Ends attempts, fenced by lock. Returns, for each finish in order,
   * whether it took effect (false: the lock was lost; nothing changed).
   */
  finish(finishes: readonly Finish[]): Promise<boolean[]>;
  /**
   * Gives a locked task back unfinished (graceful stop past its
   * deadline): the attempt does not count and the task is due at once.
   */
  release(taskId: TaskId, attempt: number, workerId: string): Promise<boolean>;
  /**
   * Takes back tasks locked by instances whose last heartbeat is older
   * than `lockTimeoutMs` on the liveness clock. The lost attempt counts.
   */
  recoverOrphans(lockTimeoutMs: number): Promise<RecoveredOrphan[]>;
  /** The earliest run time of a claimable task of this queue, if any. */
  nextRunAt(): Promise<number | null>;
  /**
   * Calls `wake` when tasks may have become due sooner than a sleeping
   * worker expects (a push). Returns the unsubscribe function.
   */
  subscribe(wake: () => void): Promise<() => Promise<void>>;
}

/** A backend that can also be pushed to and read back. */
export interface Storage<Args, Ctx extends StoredContext = StoredContext>
  extends Backend<Args, Ctx> {
  /** Validates and stores one task. Bad input throws `InvalidTaskError`. */
  push(args: Args, options?: PushOptions): Promise<TaskId>;
  /** Validates every task first; stores all of them or none. */
  pushMany(
    tasks: readonly { args: Args; options?: PushOptions }[],
  ): Promise<TaskId[]>;
  /** One stored task, or null. */
  get(taskId: TaskId): Promise<TaskRecord<Args> | null>;
  /** A task's attempt history, oldest first. */
  attempts(taskId: TaskId): Promise<AttemptRecord[]>;
  /** Task counts by status for this queue. */
  counts(): Promise<Record<TaskStatus, number>>;
  /**
   * Deletes this queue's `Done` and `Killed` tasks that ended before
   * `before` (ms since the epoch), with their attempt history, so a
   * long-running system keeps a bounded table. Returns how many.
   */
  deleteFinished(options: { before: number }): Promise<number>;
}

/**
 * The time source. Everything that waits (backoff, timeouts, polling,
 * heartbeats, rate limits) waits through it, so tests and lessons can
 * move time by hand instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Resolves true after `ms`, or false as soon as `signal` aborts.
   * Any finite duration is honoured, also past setTimeout's 2^31 ms.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
}

/** Fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** An injected logger; library code never prints on its own. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines carry `scope` too (worker, task). */
  child(scope: LogFields): Logger;
}

/** Every event the runtime emits, by type. Times are clock ms. */
export interface EventMap {
  "task:pushed": {
    taskId: TaskId;
    queue: string;
    runAt: number;
    priority: number;
  };
  "task:locked": { taskId: TaskId; attempt: number; workerId: string };
  "task:started": { taskId: TaskId; attempt: number; workerId: string };
  "task:succeeded": {
    taskId: TaskId;
    attempt: number;
    workerId: string;
    durationMs: number;
  };
  "task:failed": {
    taskId: TaskId;
    attempt: number;
    workerId: string;
    error: string;
    durationMs: number;
  };
  "task:retry-scheduled": {
    taskId: TaskId;
    attempt: number;
    runAt: number;
    delayMs: number;
  };
  "task:killed": { taskId: TaskId; attempt: number; reason: string };
  /** A late answer from an instance that no longer holds the lock. */
  "task:lock-lost": { taskId: TaskId; attempt: number; workerId: string };
  "task:released": { taskId: TaskId; attempt: number; workerId: string };
  "task:orphan-recovered": {
    taskId: TaskId;
    attempt: number;
    lostBy: string;
    recoveredBy: string;
    status: "Failed" | "Killed";
  };
  "worker:started": { workerId: string; name: string; queue: string };
  "worker:idle": { workerId: string; nextRunAt: number | null };
  "worker:heartbeat": { workerId: string };
  "worker:stopped": { workerId: string; released: number };
  /** Something went wrong outside any one task (a backend call). */
  "worker:error": { workerId: string; error: string };
}

export type EventType = keyof EventMap;

/** One emitted event: its type, the clock time, and its fields. */
export type RuntimeEvent = {
  [K in EventType]: { type: K; at: number } & EventMap[K];
}[EventType];

/** Typed events. A listener that throws never breaks the emitter. */
export interface EventHub {
  on<K extends EventType>(
    type: K,
    listener: (event: Extract<RuntimeEvent, { type: K }>) => void,
  ): () => void;
  /** Every event, in emit order. */
  onAny(listener: (event: RuntimeEvent) => void): () => void;
  emit<K extends EventType>(type: K, fields: EventMap[K]): void;
}
