/**
 * Migration 2: the claim and finish statements as PL/pgSQL functions.
 *
 * Why functions: PL/pgSQL keeps each statement's plan for the life of
 * the connection, while a parameterised query is parsed and planned on
 * every call. These statements run once per batch of tasks, and on
 * PGlite planning them cost about as much as running them: as
 * functions the claim-and-finish loop does about half again as many
 * tasks per CPU second.
 *
 * Times are epoch-ms float8 parameters from the storage's clock.
 */
export const hotPathFunctions = (s: string) => `
-- Locks up to cardinality(p_owners) due tasks of one queue, larger
-- priority first, then earlier run time; slot i goes to worker
-- instance p_owners[i]. Opens an attempt row for each.
CREATE FUNCTION ${s}.claim_tasks(p_queue text, p_now float8, p_owners text[])
RETURNS TABLE (id text, args jsonb, attempts integer, max_attempts integer,
  priority integer, last_error text, run_at float8, lock_by text)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH due AS (
    SELECT id FROM ${s}.tasks
    WHERE queue = p_queue AND status IN ('Pending', 'Failed')
      AND run_at <= to_timestamp(p_now / 1000)
    ORDER BY priority DESC, run_at, id
    LIMIT cardinality(p_owners)
    FOR UPDATE SKIP LOCKED
  ), slots AS (
    SELECT id, row_number() OVER () AS slot FROM due
  ), locked AS (
    UPDATE ${s}.tasks t
    SET status = 'Running', attempts = t.attempts + 1,
      lock_at = to_timestamp(p_now / 1000), lock_by = p_owners[slots.slot]
    FROM slots WHERE t.id = slots.id
    RETURNING t.id, t.args, t.attempts, t.max_attempts, t.priority,
      t.last_error, t.run_at, t.lock_by
  ), opened AS (
    INSERT INTO ${s}.attempts (task_id, attempt, worker_id, started_at)
    SELECT id, attempts, lock_by, to_timestamp(p_now / 1000) FROM locked
  )
  SELECT id, args, attempts, max_attempts, priority, last_error,
    round(date_part('epoch', run_at) * 1000), lock_by
  FROM locked;
END
$fn$;

-- Ends successful attempts, each fenced by its lock (worker instance and
-- attempt); returns the ids whose finish took effect.
CREATE FUNCTION ${s}.finish_done(p_now float8, p_ids text[],
  p_attempts integer[], p_workers text[])
RETURNS TABLE (id text)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH ended AS (
    UPDATE ${s}.tasks t
    SET status = 'Done', done_at = to_timestamp(p_now / 1000),
      lock_at = NULL, lock_by = NULL
    WHERE t.id = ANY(p_ids)
      AND t.lock_by = p_workers[array_position(p_ids, t.id)]
      AND t.attempts = p_attempts[array_position(p_ids, t.id)]
    RETURNING t.id, t.attempts
  ), closed AS (
    UPDATE ${s}.attempts a
    SET ended_at = to_timestamp(p_now / 1000), outcome = 'Done'
    FROM ended e
    WHERE a.task_id = e.id AND a.attempt = e.attempts AND a.ended_at IS NULL
  )
  SELECT id FROM ended;
END
$fn$;

-- Ends failed attempts, fenced like finish_done: p_statuses[i] is
-- 'Failed' (with the next run time p_run_at[i]) or 'Killed' (with
-- p_done_at[i]); p_errors[i] becomes last_error and the attempt's error.
CREATE FUNCTION ${s}.finish_failed(p_now float8, p_ids text[],
  p_attempts integer[], p_workers text[], p_statuses text[],
  p_errors text[], p_run_at float8[], p_done_at float8[])
RETURNS TABLE (id text)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH ended AS (
    UPDATE ${s}.tasks t
    SET status = p_statuses[array_position(p_ids, t.id)],
      last_error = COALESCE(p_errors[array_position(p_ids, t.id)], t.last_error),
      run_at = COALESCE(to_timestamp(p_run_at[array_position(p_ids, t.id)] / 1000), t.run_at),
      done_at = to_timestamp(p_done_at[array_position(p_ids, t.id)] / 1000),
      lock_at = NULL, lock_by = NULL
    WHERE t.id = ANY(p_ids)
      AND t.lock_by = p_workers[array_position(p_ids, t.id)]
      AND t.attempts = p_attempts[array_position(p_ids, t.id)]
    RETURNING t.id, t.attempts, t.status,
      p_errors[array_position(p_ids, t.id)] AS error
  ), closed AS (
    UPDATE ${s}.attempts a
    SET ended_at = to_timestamp(p_now / 1000), outcome = e.status, error = e.error
    FROM ended e
    WHERE a.task_id = e.id AND a.attempt = e.attempts AND a.ended_at IS NULL
  )
  SELECT id FROM ended;
END
$fn$;
`;
