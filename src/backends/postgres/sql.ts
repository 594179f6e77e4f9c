/**
 * Every statement the Postgres storage sends, for one schema. Times go
 * in as epoch-ms parameters taken from the storage's clock (never
 * `now()`), and come out as epoch-ms numbers, so a fake clock drives
 * the database too.
 */

/** SQL for a timestamptz from an epoch-ms parameter. */
const at = (param: string) => `to_timestamp(${param}::float8 / 1000)`;

/**
 * SQL for epoch ms from a timestamptz column: float8 arithmetic
 * (cheaper than extract()'s numeric), rounded to the whole ms written.
 */
const ms = (column: string) => `round(date_part('epoch', ${column}) * 1000)`;

const CLAIMABLE = "status IN ('Pending', 'Failed')";

/** The columns of a task row, as `TaskRow` reads them. */
const taskColumns = (t: string) => `
  ${t}.id, ${t}.queue, ${t}.args, ${t}.status, ${t}.attempts,
  ${t}.max_attempts, ${t}.priority, ${t}.last_error, ${t}.lock_by,
  ${ms(`${t}.run_at`)} AS run_at, ${ms(`${t}.lock_at`)} AS lock_at,
  ${ms(`${t}.done_at`)} AS done_at, ${ms(`${t}.created_at`)} AS created_at`;

export type Statements = ReturnType<typeof statements>;

export function statements(s: string) {
  return {
    /** $1 queue, $2 now, $3 ids[], $4 args[], $5 maxAttempts[],
     * $6 runAt[], $7 priority[], $8 channel. One row: inserted. */
    push: `
      WITH inserted AS (
        INSERT INTO ${s}.tasks
          (id, queue, args, max_attempts, run_at, priority, created_at)
        SELECT u.id, $1, u.args, u.max_attempts, ${at("u.run_at")},
          u.priority, ${at("$2")}
        FROM unnest($3::text[], $4::jsonb[], $5::int[], $6::float8[],
          $7::int[]) AS u(id, args, max_attempts, run_at, priority)
        RETURNING 1
      )
      SELECT count(*)::int AS inserted, pg_notify($8, $1)::text AS notified
      FROM inserted`,

    /** $1 queue, $2 now, $3 owners[]: the worker instance for each
     * slot, one slot per task wanted (several workers' claims go in one
     * statement). See migration 2 for the function. */
    claim: `SELECT id, args, attempts, max_attempts, priority, last_error,
        run_at, lock_by FROM ${s}.claim_tasks($1, $2, $3)`,

    /** $1 now, $2 ids[], $3 attempts[], $4 worker ids[] of attempts
     * that succeeded. Returns the id of each task whose finish took
     * effect. */
    finishDone: `SELECT id FROM ${s}.finish_done($1, $2, $3, $4)`,

    /** As finishDone, for failures: $5 statuses[], $6 errors[], $7
     * runAt[], $8 doneAt[]. */
    finish: `SELECT id FROM ${s}.finish_failed($1, $2, $3, $4, $5, $6,
        $7, $8)`,

    /** $1 now, $2 task id, $3 attempt, $4 worker id. */
    release: `
      WITH released AS (
        UPDATE ${s}.tasks
        SET status = 'Pending', attempts = attempts - 1,
          lock_at = NULL, lock_by = NULL
        WHERE id = $2 AND status = 'Running' AND attempts = $3
          AND lock_by = $4
        RETURNING id
      ), closed AS (
        UPDATE ${s}.attempts a
        SET ended_at = ${at("$1")}, outcome = 'Lost',
          error = 'released at stop'
        FROM released r
        WHERE a.task_id = r.id AND a.attempt = $3 AND a.ended_at IS NULL
      )
      SELECT count(*)::int AS released FROM released`,

    /** $1 queue, $2 now, $3 cutoff (a heartbeat older is dead). */
    recoverOrphans: `
      WITH lost AS (
        SELECT t.id, t.lock_by FROM ${s}.tasks t
        WHERE t.queue = $1 AND t.status = 'Running'
          AND NOT EXISTS (
            SELECT 1 FROM ${s}.workers w
            WHERE w.id = t.lock_by AND w.stopped_at IS NULL
              AND w.last_seen >= ${at("$3")})
        FOR UPDATE SKIP LOCKED
      ), recovered AS (
        UPDATE ${s}.tasks t
        SET status = CASE WHEN t.attempts < t.max_attempts THEN 'Failed'
            ELSE 'Killed' END,
          run_at = CASE WHEN t.attempts < t.max_attempts THEN ${at("$2")}
            ELSE t.run_at END,
          done_at = CASE WHEN t.attempts < t.max_attempts THEN NULL
            ELSE ${at("$2")} END,
          last_error = 'worker ' || lost.lock_by
            || ' was lost during attempt ' || t.attempts,
          lock_at = NULL, lock_by = NULL
        FROM lost WHERE t.id = lost.id
        RETURNING t.id, t.attempts, t.status, t.last_error,
          lost.lock_by AS lost_by
      ), closed AS (
        UPDATE ${s}.attempts a
        SET ended_at = ${at("$2")}, outcome = 'Lost', error = r.last_error
        FROM recovered r
        WHERE a.task_id = r.id AND a.attempt = r.attempts
          AND a.ended_at IS NULL
      )
      SELECT id, attempts, status, lost_by FROM recovered`,

    /** $1 id, $2 name, $3 queue, $4 now. */
    registerWorker: `
      INSERT INTO ${s}.workers (id, name, queue, started_at, last_seen)
      VALUES ($1, $2, $3, ${at("$4")}, ${at("$4")})
      ON CONFLICT (id) DO UPDATE
      SET last_seen = excluded.last_seen, stopped_at = NULL`,

    /** $1 id, $2 now. */
    heartbeat: `UPDATE ${s}.workers SET last_seen = ${at("$2")}
      WHERE id = $1 AND stopped_at IS NULL`,

    /** $1 id, $2 now. */
    deregisterWorker: `UPDATE ${s}.workers
      SET last_seen = ${at("$2")}, stopped_at = ${at("$2")} WHERE id = $1`,

    /** $1 queue. */
    nextRunAt: `SELECT ${ms("min(run_at)")} AS run_at FROM ${s}.tasks
      WHERE queue = $1 AND ${CLAIMABLE}`,

    /** $1 id. */
    get: `SELECT ${taskColumns("t")} FROM ${s}.tasks t WHERE t.id = $1`,

    /** $1 task id. */
    attempts: `
      SELECT task_id, attempt, worker_id, ${ms("started_at")} AS started_at,
        ${ms("ended_at")} AS ended_at, outcome, error
      FROM ${s}.attempts WHERE task_id = $1 ORDER BY id`,

    /** $1 queue. */
    counts: `SELECT status, count(*)::int AS n FROM ${s}.tasks
      WHERE queue = $1 GROUP BY status`,

    /** $1 queue, $2 before (ms): ended tasks and their attempts. */
    deleteFinished: `
      WITH gone AS (
        DELETE FROM ${s}.tasks
        WHERE queue = $1 AND status IN ('Done', 'Killed')
          AND done_at < ${at("$2")}
        RETURNING id
      ), history AS (
        DELETE FROM ${s}.attempts a USING gone WHERE a.task_id = gone.id
      )
      SELECT count(*)::int AS deleted FROM gone`,

    /** Makes deleted rows' space reusable (PGlite has no autovacuum). */
    vacuum: `VACUUM ${s}.tasks, ${s}.attempts`,

    /** Lets the write-ahead log be recycled (PGlite has no checkpointer). */
    checkpoint: "CHECKPOINT",

    /** $1 queue, $2 statuses[] or null, $3 limit, $4 id to start after. */
    list: `SELECT ${taskColumns("t")} FROM ${s}.tasks t
      WHERE t.queue = $1 AND ($2::text[] IS NULL OR t.status = ANY($2))
        AND ($4::text IS NULL OR t.id > $4)
      ORDER BY t.id LIMIT $3`,
  };
}
