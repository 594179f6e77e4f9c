/**
 * The data behind in-memory storages: every task of every queue, its
 * attempt history, and the worker instances, kept in one place so that
 * several `MemoryStorage` views (one per queue) share one clock, one
 * event hub and one set of workers.
 *
 * A task moves between states only here:
 *
 *   Pending ─claim─▶ Running ─finish done──▶ Done
 *   Failed ──claim─▶ Running ─finish retry─▶ Failed (new run time)
 *                    Running ─finish kill──▶ Killed
 *                    Running ─release──────▶ Pending (attempt undone)
 *                    Running ─orphan───────▶ Failed (due now), or Killed
 *                                            when no attempt is left
 *
 * A claimable task (Pending or Failed) sits in exactly one heap of its
 * queue: `waiting` while its run time is ahead, `due` once that time
 * has passed (seen at push, retry or claim). `due` is in claim order,
 * so a claim costs O(log n) per task instead of a scan. A worker
 * instance is alive while registered, not stopped, and seen within the
 * lock timeout.
 */
import { monotonicFactory } from "ulid";
import type {
  AttemptOutcome,
  AttemptRecord,
  Clock,
  EventHub,
  Finish,
  RecoveredOrphan,
  TaskId,
  TaskStatus,
  WorkerInfo,
} from "../../runtime/contract.ts";
import type { NormalizedPush } from "../../runtime/validate.ts";
import { clampRunAt, cleanError } from "../../runtime/validate.ts";
import {
  type HistoryRow,
  QueueIndex,
  type Row,
  type WorkerRow,
} from "./rows.ts";

// One factory per process: ids stay sortable across stores.
const nextId = monotonicFactory();

/** Every task, attempt and worker instance of the storages sharing it. */
export class MemoryStore {
  readonly clock: Clock;
  readonly livenessClock: Clock;
  readonly events: EventHub;
  readonly #rows = new Map<TaskId, Row>();
  readonly #history = new Map<TaskId, HistoryRow[]>();
  readonly #workers = new Map<string, WorkerRow>();
  readonly #queues = new Map<string, QueueIndex>();

  constructor(clock: Clock, livenessClock: Clock, events: EventHub) {
    this.clock = clock;
    this.livenessClock = livenessClock;
    this.events = events;
  }

  /** Stores validated tasks, all of them, and wakes the queue's workers. */
  insert(queue: string, pushes: readonly NormalizedPush[]): Row[] {
    const now = this.clock.now();
    const index = this.#index(queue);
    const rows = pushes.map((push): Row => {
      const row: Row = {
        id: nextId(Math.max(0, now)),
        queue,
        argsJson: JSON.stringify(push.args),
        maxAttempts: push.maxAttempts,
        priority: push.priority,
        createdAt: now,
        status: "Pending",
        attempts: 0,
        runAt: push.runAt,
        lastError: null,
        lockAt: null,
        lockBy: null,
        doneAt: null,
        open: null,
      };
      this.#rows.set(row.id, row);
      this.#history.set(row.id, []);
      index.counts.Pending++;
      index.enqueue(row, now);
      return row;
    });
    if (rows.length > 0) wakeAll(index.wakers);
    return rows;
  }

  claim(queue: string, workerId: string, limit: number): Row[] {
    const now = this.clock.now();
    const index = this.#index(queue);
    for (let top = index.waiting.peek(); top && top.runAt <= now; ) {
      index.due.push(index.waiting.pop() as Row);
      top = index.waiting.peek();
    }
    const claimed: Row[] = [];
    while (claimed.length < limit) {
      const row = index.due.pop();
      if (!row) break;
      // A clock set back can leave a task in `due` that is not due now.
      if (row.runAt > now) {
        index.waiting.push(row);
        continue;
      }
      this.#move(row, "Running");
      row.attempts++;
      row.lockAt = now;
      row.lockBy = workerId;
      row.open = {
        taskId: row.id,
        attempt: row.attempts,
        workerId,
        startedAt: now,
        endedAt: null,
        outcome: null,
        error: null,
      };
      this.#history.get(row.id)?.push(row.open);
      claimed.push(row);
    }
    return claimed;
  }

  finish(finishes: readonly Finish[]): boolean[] {
    const now = this.clock.now();
    return finishes.map(({ taskId, attempt, workerId, end }) => {
      const row = this.#locked(taskId, attempt, workerId);
      if (!row) return false;
      if (end.kind === "done") {
        this.#endAttempt(row, now, "Done", null);
        row.doneAt = now;
        this.#settle(row, "Done");
      } else if (end.kind === "retry") {
        row.lastError = this.#endAttempt(row, now, "Failed", end.error);
        row.runAt = clampRunAt(end.runAt, now);
        this.#settle(row, "Failed");
      } else {
        row.lastError = this.#endAttempt(row, now, "Killed", end.error);
        row.doneAt = now;
        this.#settle(row, "Killed");
      }
      return true;
    });
  }

  release(taskId: TaskId, attempt: number, workerId: string): boolean {
    const row = this.#locked(taskId, attempt, workerId);
    if (!row) return false;
    this.#endAttempt(row, this.clock.now(), "Lost", "released at stop");
    row.attempts--;
    this.#settle(row, "Pending");
    return true;
  }

  recoverOrphans(queue: string, lockTimeoutMs: number): RecoveredOrphan[] {
    const now = this.clock.now();
    const cutoff = this.livenessClock.now() - lockTimeoutMs;
    const recovered: RecoveredOrphan[] = [];
    for (const row of [...this.#index(queue).running]) {
      const lostBy = row.lockBy as string;
      const worker = this.#workers.get(lostBy);
      if (worker && !worker.stopped && worker.lastSeen >= cutoff) continue;
      const error = `worker ${lostBy} was lost during attempt ${row.attempts}`;
      row.lastError = this.#endAttempt(row, now, "Lost", error);
      const status = row.attempts < row.maxAttempts ? "Failed" : "Killed";
      if (status === "Failed") row.runAt = now;
      else row.doneAt = now;
      this.#settle(row, status);
      recovered.push({ taskId: row.id, attempt: row.attempts, lostBy, status });
    }
    return recovered;
  }

  nextRunAt(queue: string): number | null {
    const { waiting, due } = this.#index(queue);
    let next = waiting.peek()?.runAt ?? null;
    for (const row of due.values()) {
      if (next === null || row.runAt < next) next = row.runAt;
    }
    return next;
  }

  registerWorker(info: WorkerInfo): void {
    const lastSeen = this.livenessClock.now();
    this.#workers.set(info.id, { info, lastSeen, stopped: false });
  }

  heartbeat(workerId: string): void {
    const worker = this.#workers.get(workerId);
    if (worker && !worker.stopped) worker.lastSeen = this.livenessClock.now();
  }

  deregisterWorker(workerId: string): void {
    const worker = this.#workers.get(workerId);
    if (worker) worker.stopped = true;
  }

  subscribe(queue: string, wake: () => void): () => void {
    const { wakers } = this.#index(queue);
    const entry = () => wake();
    wakers.add(entry);
    return () => {
      wakers.delete(entry);
    };
  }

  row(taskId: TaskId): Row | undefined {
    return this.#rows.get(taskId);
  }

  history(taskId: TaskId): readonly AttemptRecord[] {
    return this.#history.get(taskId) ?? [];
  }

  /** Forgets the queue's Done and Killed tasks that ended before `before`. */
  deleteFinished(queue: string, before: number): number {
    let deleted = 0;
    for (const [id, row] of this.#rows) {
      const ended = row.status === "Done" || row.status === "Killed";
      if (row.queue !== queue || !ended || (row.doneAt ?? before) >= before) {
        continue;
      }
      this.#rows.delete(id);
      this.#history.delete(id);
      this.#index(queue).counts[row.status]--;
      deleted++;
    }
    return deleted;
  }

  counts(queue: string): Record<TaskStatus, number> {
    return { ...this.#index(queue).counts };
  }

  /** The task, if `workerId` holds its lock for `attempt`. */
  #locked(taskId: TaskId, attempt: number, workerId: string): Row | null {
    const row = this.#rows.get(taskId);
    if (row?.status !== "Running") return null;
    return row.lockBy === workerId && row.attempts === attempt ? row : null;
  }

  /** Closes the running attempt and lets go of the lock. */
  #endAttempt(
    row: Row,
    now: number,
    outcome: AttemptOutcome,
    error: string | null,
  ): string | null {
    const text = error === null ? null : cleanError(error);
    if (row.open) {
      row.open.endedAt = now;
      row.open.outcome = outcome;
      row.open.error = text;
      row.open = null;
    }
    row.lockAt = null;
    row.lockBy = null;
    return text;
  }

  /** Gives the task its new status; a claimable one joins `waiting`. */
  #settle(row: Row, status: TaskStatus) {
    this.#move(row, status);
    if (status === "Pending" || status === "Failed") {
      this.#index(row.queue).enqueue(row, this.clock.now());
    }
  }

  #move(row: Row, status: TaskStatus) {
    const index = this.#index(row.queue);
    index.counts[row.status]--;
    index.counts[status]++;
    if (row.status === "Running") index.running.delete(row);
    if (status === "Running") index.running.add(row);
    row.status = status;
  }

  #index(queue: string): QueueIndex {
    let index = this.#queues.get(queue);
    if (!index) {
      index = new QueueIndex();
      this.#queues.set(queue, index);
    }
    return index;
  }
}

/** Wakes listeners after the push returns; one that throws harms none. */
function wakeAll(wakers: Set<() => void>) {
  for (const wake of wakers) {
    queueMicrotask(() => {
      try {
        wake();
      } catch {
        // A broken listener must not fail the push that woke it.
      }
    });
  }
}
