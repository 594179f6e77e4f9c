/**
 * Migration 1: tasks, their attempt history, and worker instances.
 * `s` is the schema name, already checked to be a plain identifier.
 */
export const init = (s: string) => `
CREATE TABLE ${s}.tasks (
  id text PRIMARY KEY,
  queue text NOT NULL,
  args jsonb NOT NULL,
  status text NOT NULL DEFAULT 'Pending'
    CONSTRAINT tasks_status_check
    CHECK (status IN ('Pending', 'Running', 'Done', 'Failed', 'Killed')),
  attempts integer NOT NULL DEFAULT 0
    CONSTRAINT tasks_attempts_check CHECK (attempts >= 0),
  max_attempts integer NOT NULL
    CONSTRAINT tasks_max_attempts_check CHECK (max_attempts >= 1),
  run_at timestamptz NOT NULL,
  priority integer NOT NULL DEFAULT 0,
  last_error text,
  lock_at timestamptz,
  lock_by text,
  done_at timestamptz,
  created_at timestamptz NOT NULL,
  CONSTRAINT tasks_lock_check
    CHECK ((status = 'Running') = (lock_by IS NOT NULL AND lock_at IS NOT NULL))
);

-- The claim reads only this index: claimable tasks of one queue in
-- claim order.
CREATE INDEX tasks_claim_idx ON ${s}.tasks (queue, priority DESC, run_at, id)
  WHERE status IN ('Pending', 'Failed');

-- Orphan recovery reads only locked tasks.
CREATE INDEX tasks_running_idx ON ${s}.tasks (queue, lock_by)
  WHERE status = 'Running';

-- One row per attempt. A released attempt does not count, so its
-- number comes back on the next claim: rows are told apart by a
-- sequence. A task has at most one open attempt, the one its lock
-- belongs to: every statement that ends a lock closes that row. No
-- foreign key and no index to guard this: the statements write both
-- tables together, and each guard cost about a tenth of the claim and
-- finish throughput. Delete a task's attempts with the task.
CREATE TABLE ${s}.attempts (
  task_id text NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  attempt integer NOT NULL CONSTRAINT attempts_attempt_check CHECK (attempt >= 1),
  worker_id text NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  outcome text CONSTRAINT attempts_outcome_check
    CHECK (outcome IN ('Done', 'Failed', 'Killed', 'Lost')),
  error text,
  CONSTRAINT attempts_end_check CHECK ((ended_at IS NULL) = (outcome IS NULL)),
  PRIMARY KEY (task_id, id)
);

CREATE TABLE ${s}.workers (
  id text PRIMARY KEY,
  name text NOT NULL,
  queue text NOT NULL,
  started_at timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  stopped_at timestamptz
);
`;
