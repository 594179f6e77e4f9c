import { systemClock } from "../../runtime/clock.ts";
import { freezeContext } from "../../runtime/context.ts";
import type {
  AttemptRecord,
  Clock,
  EventHub,
  Finish,
  PushOptions,
  RecoveredOrphan,
  Storage,
  StoredContext,
  Task,
  TaskId,
  TaskRecord,
  TaskStatus,
  WorkerInfo,
} from "../../runtime/contract.ts";
import { InvalidOptionError } from "../../runtime/errors.ts";
import { createEventHub } from "../../runtime/events.ts";
import { normalizePushes } from "../../runtime/validate.ts";
import type { Row } from "./rows.ts";
import { MemoryStore } from "./store.ts";

/** The execution context of an in-memory task: the stored fields. */
export type MemoryContext = StoredContext;

/** Options of `MemoryStorage`. */
export interface MemoryStorageOptions {
  /** The kind of task this storage pushes and its workers claim; "default". */
  queue?: string;
  /** The time source for every stored time; the system clock by default. */
  clock?: Clock;
  /** The time source of heartbeats and lock timeouts; `clock` by default. */
  livenessClock?: Clock;
  /** Where `task:pushed` goes; a fresh hub on `clock` by default. */
  events?: EventHub;
}

// Lets `forQueue` hand its store to a new storage without making the
// store part of the public options.
const SHARED_STORE = Symbol("sharedStore");
type InternalOptions = MemoryStorageOptions & { [SHARED_STORE]?: MemoryStore };

/**
 * A storage that keeps tasks in this process's memory, with the same
 * behaviour as the Postgres storage: claim order, fencing, retries,
 * orphan recovery. For tests, lessons and single-process programs;
 * nothing survives the process.
 *
 * One storage serves one queue. `forQueue(name)` gives a storage for
 * another queue on the same tasks, workers, clock and events, as two
 * `PostgresStorage`s on one database would be.
 */
export class MemoryStorage<Args = unknown>
  implements Storage<Args, MemoryContext>
{
  readonly queue: string;
  readonly clock: Clock;
  readonly livenessClock: Clock;
  readonly events: EventHub;
  readonly #store: MemoryStore;

  constructor(options: MemoryStorageOptions = {}) {
    const queue = options.queue ?? "default";
    if (typeof queue !== "string" || queue === "") {
      throw new InvalidOptionError(
        `MemoryStorage needs a non-empty queue name, got ${JSON.stringify(queue)}`,
      );
    }
    const shared = (options as InternalOptions)[SHARED_STORE];
    const clock = shared?.clock ?? options.clock ?? systemClock;
    const events =
      shared?.events ??
      options.events ??
      createEventHub({ now: () => clock.now() });
    this.queue = queue;
    this.#store =
      shared ?? new MemoryStore(clock, options.livenessClock ?? clock, events);
    this.clock = clock;
    this.livenessClock = this.#store.livenessClock;
    this.events = events;
  }

  /** A storage for `queue` that shares this one's tasks, workers, clocks and events. */
  forQueue<Other = unknown>(queue: string): MemoryStorage<Other> {
    const options: InternalOptions = { queue, [SHARED_STORE]: this.#store };
    return new MemoryStorage<Other>(options);
  }

  async push(args: Args, options?: PushOptions): Promise<TaskId> {
    const [id] = await this.pushMany([{ args, options }]);
    return id as TaskId;
  }

  async pushMany(
    tasks: readonly { args: Args; options?: PushOptions }[],
  ): Promise<TaskId[]> {
    const now = this.clock.now();
    const pushes = normalizePushes(tasks, now);
    const rows = this.#store.insert(this.queue, pushes);
    for (const row of rows) {
      this.events.emit("task:pushed", {
        taskId: row.id,
        queue: this.queue,
        runAt: row.runAt,
        priority: row.priority,
      });
    }
    return rows.map((row) => row.id);
  }

  async registerWorker(worker: WorkerInfo): Promise<void> {
    this.#store.registerWorker({ ...worker });
  }

  async heartbeat(workerId: string): Promise<void> {
    this.#store.heartbeat(workerId);
  }

  async deregisterWorker(workerId: string): Promise<void> {
    this.#store.deregisterWorker(workerId);
  }

  async claim(
    workerId: string,
    limit: number,
  ): Promise<Task<Args, MemoryContext>[]> {
    if (!(limit >= 1)) return [];
    const rows = this.#store.claim(this.queue, workerId, Math.floor(limit));
    return rows.map((row) => ({
      // A fresh copy per attempt, as a database read would give.
      args: JSON.parse(row.argsJson) as Args,
      parts: Object.freeze({
        taskId: row.id,
        attempt: row.attempts,
        context: freezeContext(contextOf(row)),
      }),
    }));
  }

  async finish(finishes: readonly Finish[]): Promise<boolean[]> {
    return this.#store.finish(finishes);
  }

  async release(
    taskId: TaskId,
    attempt: number,
    workerId: string,
  ): Promise<boolean> {
    return this.#store.release(taskId, attempt, workerId);
  }

  async recoverOrphans(lockTimeoutMs: number): Promise<RecoveredOrphan[]> {
    return this.#store.recoverOrphans(this.queue, lockTimeoutMs);
  }

  async nextRunAt(): Promise<number | null> {
    return this.#store.nextRunAt(this.queue);
  }

  async subscribe(wake: () => void): Promise<() => Promise<void>> {
    const unsubscribe = this.#store.subscribe(this.queue, wake);
    return async () => unsubscribe();
  }

  /** A deep-frozen copy of the task; changing it is impossible. */
  async get(taskId: TaskId): Promise<TaskRecord<Args> | null> {
    const row = this.#store.row(taskId);
    if (!row) return null;
    return Object.freeze({
      id: row.id,
      queue: row.queue,
      args: deepFreeze(JSON.parse(row.argsJson)) as Args,
      status: row.status,
      attempts: row.attempts,
      context: Object.freeze(contextOf(row)),
      createdAt: row.createdAt,
    });
  }

  async attempts(taskId: TaskId): Promise<AttemptRecord[]> {
    return this.#store.history(taskId).map((a) => Object.freeze({ ...a }));
  }

  async counts(): Promise<Record<TaskStatus, number>> {
    return this.#store.counts(this.queue);
  }

  async deleteFinished(options: { before: number }): Promise<number> {
    return this.#store.deleteFinished(this.queue, options.before);
  }
}

function contextOf(row: Row): MemoryContext {
  return {
    runAt: row.runAt,
    maxAttempts: row.maxAttempts,
    lastError: row.lastError,
    lockAt: row.lockAt,
    lockBy: row.lockBy,
    doneAt: row.doneAt,
    priority: row.priority,
  };
}

function deepFreeze(value: unknown): unknown {
  if (typeof value === "object" && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
