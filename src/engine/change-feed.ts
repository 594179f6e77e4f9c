import type { Driver } from "../backends/postgres/driver.ts";
import type {
  AttemptOutcome,
  AttemptRecord,
  Json,
  TaskRecord,
  TaskStatus,
} from "../runtime/contract.ts";
import type { RowChange } from "./protocol.ts";

/** The schema of the playground's own tables (change log, sent emails). */
export const PLAYGROUND_SCHEMA = "playground";

/**
 * The role a user file's database handle runs as: it reads the
 * runtime's tables, writes its own and `playground.sent_emails`, and
 * cannot change a task, an attempt or the change log.
 */
export const APP_ROLE = "playground_app";

/**
 * The playground's tables and the triggers that copy every change of the
 * runtime's tables into `playground.changes`. The page learns task state
 * only from this log, never from what a handler worker says. Safe to run
 * again: every statement replaces what it finds.
 */
export function changeFeedSql(schema: string): string {
  const p = PLAYGROUND_SCHEMA;
  const triggers = ["tasks", "attempts", "workers"]
    .map(
      (table) => `
DROP TRIGGER IF EXISTS playground_changes ON ${schema}.${table};
CREATE TRIGGER playground_changes
  AFTER INSERT OR UPDATE ON ${schema}.${table}
  FOR EACH ROW EXECUTE FUNCTION ${p}.record_change();`,
    )
    .join("\n");
  return `
CREATE SCHEMA IF NOT EXISTS ${p};
CREATE TABLE IF NOT EXISTS ${p}.changes (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tbl text NOT NULL,
  old_row jsonb,
  new_row jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS ${p}.sent_emails (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  task_id text,
  recipient text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  sent_at timestamptz NOT NULL
);
CREATE OR REPLACE FUNCTION ${p}.record_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ${p}.changes (tbl, old_row, new_row)
  VALUES (TG_TABLE_NAME,
          CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END,
          to_jsonb(NEW));
  RETURN NULL;
END $$;
${triggers}
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    CREATE ROLE ${APP_ROLE} NOLOGIN;
  END IF;
END $$;
GRANT USAGE, CREATE ON SCHEMA public TO ${APP_ROLE};
GRANT USAGE ON SCHEMA ${schema}, ${p} TO ${APP_ROLE};
GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${APP_ROLE};
GRANT SELECT, INSERT ON ${p}.sent_emails TO ${APP_ROLE};
-- The session user is a superuser, who may take any role: code that
-- could run SET ROLE in the middle of a statement (a DO block, a
-- function of its own, set_config) would leave the app role. The
-- runtime, a superuser, is not bound by these.
REVOKE USAGE ON LANGUAGE plpgsql, sql FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pg_catalog.set_config(text, text, boolean)
  FROM PUBLIC;`;
}

type Row = Record<string, unknown>;

/** Takes every logged change, oldest first, and empties the log. */
export async function drainChanges(driver: Driver): Promise<RowChange[]> {
  const { rows } = await driver.query<{
    seq: number;
    tbl: string;
    old_row: Row | null;
    new_row: Row;
  }>(
    `DELETE FROM ${PLAYGROUND_SCHEMA}.changes RETURNING seq, tbl, old_row, new_row`,
  );
  rows.sort((a, b) => Number(a.seq) - Number(b.seq));
  return rows.map(toChange);
}

function toChange(row: {
  tbl: string;
  old_row: Row | null;
  new_row: Row;
}): RowChange {
  const { tbl, old_row: before, new_row: after } = row;
  if (tbl === "tasks") {
    return {
      kind: "task",
      task: taskRecord(after),
      before: before && taskRecord(before),
    };
  }
  if (tbl === "attempts") {
    return {
      kind: "attempt",
      attempt: attemptRecord(after),
      before: before && attemptRecord(before),
    };
  }
  return {
    kind: "worker",
    workerId: String(after.id),
    name: String(after.name),
    stoppedAt: time(after.stopped_at),
  };
}

/** A tasks row (as jsonb or as a query row) as the runtime's record. */
export function taskRecord(row: Row): TaskRecord<Json> {
  return {
    id: String(row.id),
    queue: String(row.queue),
    args: row.args as Json,
    status: row.status as TaskStatus,
    attempts: Number(row.attempts),
    context: {
      runAt: time(row.run_at) ?? 0,
      maxAttempts: Number(row.max_attempts),
      lastError: (row.last_error as string | null) ?? null,
      lockAt: time(row.lock_at),
      lockBy: (row.lock_by as string | null) ?? null,
      doneAt: time(row.done_at),
      priority: Number(row.priority),
    },
    createdAt: time(row.created_at) ?? 0,
  };
}

/** An attempts row as the runtime's record. */
export function attemptRecord(row: Row): AttemptRecord {
  return {
    taskId: String(row.task_id),
    attempt: Number(row.attempt),
    workerId: String(row.worker_id),
    startedAt: time(row.started_at) ?? 0,
    endedAt: time(row.ended_at),
    outcome: (row.outcome as AttemptOutcome | null) ?? null,
    error: (row.error as string | null) ?? null,
  };
}

/** A timestamptz from jsonb (ISO text) or from a query (Date). */
function time(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  const ms = Date.parse(String(value));
  return Number.isNaN(ms) ? null : ms;
}
