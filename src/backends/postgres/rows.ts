import { freezeContext } from "../../runtime/context.ts";
import type {
  AttemptOutcome,
  AttemptRecord,
  StoredContext,
  Task,
  TaskRecord,
  TaskStatus,
} from "../../runtime/contract.ts";

/**
 * The execution context of a Postgres task: the stored columns, as
 * epoch-ms times. Handlers read it; nobody writes it.
 */
export type PgContext = StoredContext;

/** A task row as `statements` select it. */
export interface TaskRow {
  id: string;
  queue: string;
  args: unknown;
  status: TaskStatus;
  attempts: number;
  max_attempts: number;
  priority: number;
  last_error: string | null;
  lock_by: string | null;
  run_at: number;
  lock_at: number | null;
  done_at: number | null;
  created_at: number;
}

/** An attempt history row. */
export interface AttemptRow {
  task_id: string;
  attempt: number;
  worker_id: string;
  started_at: number;
  ended_at: number | null;
  outcome: AttemptOutcome | null;
  error: string | null;
}

export function contextOf(row: TaskRow): PgContext {
  return {
    runAt: row.run_at,
    maxAttempts: row.max_attempts,
    lastError: row.last_error,
    lockAt: row.lock_at,
    lockBy: row.lock_by,
    doneAt: row.done_at,
    priority: row.priority,
  };
}

/** A row the claim returns: only what the claim does not decide. */
export interface ClaimRow {
  id: string;
  args: unknown;
  attempts: number;
  max_attempts: number;
  priority: number;
  last_error: string | null;
  run_at: number;
  /** The worker instance the slot of this row belongs to. */
  lock_by: string;
}

/** The task a claim hands to worker instance `lockBy` at `lockAt`. */
export function toTask<Args>(
  row: ClaimRow,
  lockBy: string,
  lockAt: number,
): Task<Args, PgContext> {
  const context: PgContext = {
    runAt: row.run_at,
    maxAttempts: row.max_attempts,
    lastError: row.last_error,
    lockAt,
    lockBy,
    doneAt: null,
    priority: row.priority,
  };
  return {
    args: row.args as Args,
    parts: {
      taskId: row.id,
      attempt: row.attempts,
      context: freezeContext(context),
    },
  };
}

export function toRecord<Args>(row: TaskRow): TaskRecord<Args> {
  return {
    id: row.id,
    queue: row.queue,
    args: row.args as Args,
    status: row.status,
    attempts: row.attempts,
    context: contextOf(row),
    createdAt: row.created_at,
  };
}

export function toAttempt(row: AttemptRow): AttemptRecord {
  return {
    taskId: row.task_id,
    attempt: row.attempt,
    workerId: row.worker_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    outcome: row.outcome,
    error: row.error,
  };
}

/** Claim order: larger priority first, then earlier run time, then id. */
export function byClaimOrder(a: ClaimRow, b: ClaimRow): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.run_at !== b.run_at) return a.run_at - b.run_at;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
