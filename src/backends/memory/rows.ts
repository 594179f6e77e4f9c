/**
 * The shapes the memory store keeps: task rows, attempt history rows,
 * worker rows, and the per-queue index that makes claims cheap.
 */
import type {
  AttemptRecord,
  TaskId,
  TaskStatus,
  WorkerInfo,
} from "../../runtime/contract.ts";
import { TASK_STATUSES } from "../../runtime/contract.ts";
import { Heap } from "./heap.ts";

/** A stored task. Mutable, so it never leaves the memory backend. */
export interface Row {
  readonly id: TaskId;
  readonly queue: string;
  /** Stored as text, so nobody can change args after the push. */
  readonly argsJson: string;
  readonly maxAttempts: number;
  readonly priority: number;
  readonly createdAt: number;
  status: TaskStatus;
  attempts: number;
  runAt: number;
  lastError: string | null;
  lockAt: number | null;
  lockBy: string | null;
  doneAt: number | null;
  /** The history row of the attempt running now. */
  open: HistoryRow | null;
}

export type HistoryRow = {
  -readonly [K in keyof AttemptRecord]: AttemptRecord[K];
};

export interface WorkerRow {
  info: WorkerInfo;
  lastSeen: number;
  stopped: boolean;
}

/** One queue's claimable heaps, running tasks, counts and listeners. */
export class QueueIndex {
  readonly waiting = new Heap<Row>(
    (a, b) => a.runAt < b.runAt || (a.runAt === b.runAt && a.id < b.id),
  );
  readonly due = new Heap<Row>(claimsFirst);
  readonly running = new Set<Row>();
  readonly counts = Object.fromEntries(
    TASK_STATUSES.map((status) => [status, 0]),
  ) as Record<TaskStatus, number>;
  readonly wakers = new Set<() => void>();

  /** Queues a claimable task; one already due skips `waiting`. */
  enqueue(row: Row, now: number): void {
    if (row.runAt <= now) this.due.push(row);
    else this.waiting.push(row);
  }
}

/** Claim order: larger priority, then earlier run time, then id. */
function claimsFirst(a: Row, b: Row): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.runAt !== b.runAt) return a.runAt < b.runAt;
  return a.id < b.id;
}
