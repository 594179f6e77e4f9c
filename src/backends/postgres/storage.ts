import { monotonicFactory } from "ulid";
import { systemClock } from "../../runtime/clock.ts";
import type {
  AttemptRecord,
  Clock,
  EventHub,
  Finish,
  PushOptions,
  RecoveredOrphan,
  Storage,
  Task,
  TaskId,
  TaskRecord,
  TaskStatus,
  WorkerInfo,
} from "../../runtime/contract.ts";
import { TASK_STATUSES } from "../../runtime/contract.ts";
import { InvalidOptionError } from "../../runtime/errors.ts";
import { createEventHub } from "../../runtime/events.ts";
import { normalizePushes } from "../../runtime/validate.ts";
import { type HotCall, type HotResult, hotBatch } from "./batches.ts";
import { Coalescer } from "./coalesce.ts";
import type { Driver, QueryResult } from "./driver.ts";
import { databaseError, pushError } from "./errors.ts";
import { checkSchema, DEFAULT_SCHEMA, migrate } from "./migrate.ts";
import {
  type AttemptRow,
  type PgContext,
  type TaskRow,
  toAttempt,
  toRecord,
} from "./rows.ts";
import { type Statements, statements } from "./sql.ts";

/** Options of `PostgresStorage`. */
export interface PostgresStorageOptions {
  /** The database: `PgliteDriver` or `NodePgDriver`, shared freely. */
  driver: Driver;
  /** The kind of task this storage pushes and its workers claim. */
  queue: string;
  /** Where the tables live; "tasklab" by default. */
  schema?: string;
  /** The time source for every stored time; the system clock by default. */
  clock?: Clock;
  /** The time source of heartbeats and lock timeouts; `clock` by default. */
  livenessClock?: Clock;
  /** Where `task:pushed` goes; a fresh hub by default. */
  events?: EventHub;
}

/** A page of `PostgresStorage.list`. */
export interface ListOptions {
  /** Only these statuses; all by default. */
  statuses?: readonly TaskStatus[];
  /** At most this many tasks; 100 by default. */
  limit?: number;
  /** Tasks with an id after this one (the last id of the page before). */
  after?: TaskId;
}

// One factory per process: ids stay sortable across storages.
const nextId = monotonicFactory();

/**
 * A storage on PostgreSQL (PGlite or a server) for one queue. Every
 * method is one statement, so many workers and processes can share it.
 * Times come from `clock`, never from the database.
 */
export class PostgresStorage<Args = unknown>
  implements Storage<Args, PgContext>
{
  readonly queue: string;
  readonly schema: string;
  readonly clock: Clock;
  readonly livenessClock: Clock;
  readonly events: EventHub;
  readonly driver: Driver;
  /** The LISTEN/NOTIFY channel of this schema; the payload is a queue. */
  readonly channel: string;
  readonly #sql: Statements;
  readonly #hot: Coalescer<HotCall, HotResult<Args>>;

  /** Assumes the schema is migrated; `create` migrates first. */
  constructor(options: PostgresStorageOptions) {
    if (typeof options.queue !== "string" || options.queue === "") {
      throw new InvalidOptionError("PostgresStorage needs a non-empty queue");
    }
    this.driver = options.driver;
    this.queue = options.queue;
    this.schema = checkSchema(options.schema ?? DEFAULT_SCHEMA);
    this.clock = options.clock ?? systemClock;
    this.livenessClock = options.livenessClock ?? this.clock;
    this.events =
      options.events ?? createEventHub({ now: () => this.clock.now() });
    this.channel = `${this.schema}_tasks`;
    this.#sql = statements(this.schema);
    // PGlite runs one statement at a time; a server gains from a few.
    const lanes = this.driver.kind === "pglite" ? 1 : 4;
    const run = this.#query.bind(this);
    this.#hot = new Coalescer(
      (calls) => hotBatch<Args>(this, this.#sql, run, calls),
      lanes,
    );
  }

  /** Migrates the schema, then returns a storage on it. */
  static async create<Args = unknown>(
    options: PostgresStorageOptions,
  ): Promise<PostgresStorage<Args>> {
    await migrate(options.driver, { schema: options.schema });
    return new PostgresStorage<Args>(options);
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
    if (pushes.length === 0) return [];
    const ids = pushes.map(() => nextId(now));
    try {
      await this.driver.query(this.#sql.push, [
        this.queue,
        now,
        ids,
        pushes.map((p) => JSON.stringify(p.args)),
        pushes.map((p) => p.maxAttempts),
        pushes.map((p) => p.runAt),
        pushes.map((p) => p.priority),
        this.channel,
      ]);
    } catch (error) {
      throw pushError(error);
    }
    pushes.forEach((p, i) => {
      this.events.emit("task:pushed", {
        taskId: ids[i] as TaskId,
        queue: this.queue,
        runAt: p.runAt,
        priority: p.priority,
      });
    });
    return ids;
  }

  async registerWorker(worker: WorkerInfo): Promise<void> {
    await this.#query("registerWorker", this.#sql.registerWorker, [
      worker.id,
      worker.name,
      worker.queue,
      this.livenessClock.now(),
    ]);
  }

  async heartbeat(workerId: string): Promise<void> {
    await this.#query("heartbeat", this.#sql.heartbeat, [
      workerId,
      this.livenessClock.now(),
    ]);
  }

  async deregisterWorker(workerId: string): Promise<void> {
    await this.#query("deregisterWorker", this.#sql.deregisterWorker, [
      workerId,
      this.livenessClock.now(),
    ]);
  }

  /**
   * Claims of several worker instances that arrive together go in one
   * statement (see `Coalescer`); each gets at most `limit` tasks, in
   * claim order.
   */
  async claim(
    workerId: string,
    limit: number,
  ): Promise<Task<Args, PgContext>[]> {
    if (!(limit >= 1)) return [];
    const request = { workerId, limit: Math.floor(limit) };
    return this.#hot.run({ kind: "claim", request }) as Promise<
      Task<Args, PgContext>[]
    >;
  }

  /** Finishes of several worker instances that arrive together go in one batch. */
  finish(finishes: readonly Finish[]): Promise<boolean[]> {
    return this.#hot.run({ kind: "finish", finishes }) as Promise<boolean[]>;
  }

  async release(
    taskId: TaskId,
    attempt: number,
    workerId: string,
  ): Promise<boolean> {
    const { rows } = await this.#query<{ released: number }>(
      "release",
      this.#sql.release,
      [this.clock.now(), taskId, attempt, workerId],
    );
    return (rows[0]?.released ?? 0) > 0;
  }

  /**
   * A running task of this queue is an orphan when its lock holder has
   * no live workers row: none heartbeating within `lockTimeoutMs`, or
   * stopped, or never registered. Liveness is per instance id, so a new
   * instance with the dead one's name recovers its tasks. Heartbeats and
   * the cutoff are on the liveness clock; the recovery's own times on
   * the task clock.
   */
  async recoverOrphans(lockTimeoutMs: number): Promise<RecoveredOrphan[]> {
    const now = this.clock.now();
    const cutoff = this.livenessClock.now() - lockTimeoutMs;
    const { rows } = await this.#query<{
      id: string;
      attempts: number;
      status: "Failed" | "Killed";
      lost_by: string;
    }>("recoverOrphans", this.#sql.recoverOrphans, [this.queue, now, cutoff]);
    return rows.map((row) => ({
      taskId: row.id,
      attempt: row.attempts,
      lostBy: row.lost_by,
      status: row.status,
    }));
  }

  async nextRunAt(): Promise<number | null> {
    const { rows } = await this.#query<{ run_at: number | null }>(
      "nextRunAt",
      this.#sql.nextRunAt,
      [this.queue],
    );
    return rows[0]?.run_at ?? null;
  }

  subscribe(wake: () => void): Promise<() => Promise<void>> {
    return this.driver.listen(this.channel, (queue) => {
      if (queue === this.queue) wake();
    });
  }

  async get(taskId: TaskId): Promise<TaskRecord<Args> | null> {
    const { rows } = await this.#query<TaskRow>("get", this.#sql.get, [taskId]);
    return rows[0] ? toRecord<Args>(rows[0]) : null;
  }

  async attempts(taskId: TaskId): Promise<AttemptRecord[]> {
    const { rows } = await this.#query<AttemptRow>(
      "attempts",
      this.#sql.attempts,
      [taskId],
    );
    return rows.map(toAttempt);
  }

  async counts(): Promise<Record<TaskStatus, number>> {
    const { rows } = await this.#query<{ status: TaskStatus; n: number }>(
      "counts",
      this.#sql.counts,
      [this.queue],
    );
    const counts = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0]));
    for (const row of rows) counts[row.status] = row.n;
    return counts as Record<TaskStatus, number>;
  }

  /**
   * PGlite runs neither autovacuum nor a checkpointer: the space of
   * deleted rows would never be reused and its write-ahead log would
   * never be recycled, so a long run would grow without bound. There
   * the two tables are vacuumed and a checkpoint taken after a delete;
   * a server does both on its own.
   */
  async deleteFinished(options: { before: number }): Promise<number> {
    const { rows } = await this.#query<{ deleted: number }>(
      "deleteFinished",
      this.#sql.deleteFinished,
      [this.queue, options.before],
    );
    const deleted = rows[0]?.deleted ?? 0;
    if (deleted > 0 && this.driver.kind === "pglite") {
      try {
        // Apart: VACUUM cannot run in a script's implicit transaction.
        await this.driver.exec(this.#sql.vacuum);
        await this.driver.exec(this.#sql.checkpoint);
      } catch (error) {
        throw databaseError("vacuum", error);
      }
    }
    return deleted;
  }

  /** Tasks of this queue in id (push) order, a page at a time. */
  async list(options: ListOptions = {}): Promise<TaskRecord<Args>[]> {
    const { rows } = await this.#query<TaskRow>("list", this.#sql.list, [
      this.queue,
      options.statuses ? [...options.statuses] : null,
      options.limit ?? 100,
      options.after ?? null,
    ]);
    return rows.map((row) => toRecord<Args>(row));
  }

  async #query<T>(
    operation: string,
    sql: string,
    params: readonly unknown[],
  ): Promise<QueryResult<T>> {
    try {
      return await this.driver.query<T>(sql, params);
    } catch (error) {
      throw databaseError(operation, error);
    }
  }
}
