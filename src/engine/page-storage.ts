import type { Driver } from "../backends/postgres/driver.ts";
import { PostgresStorage } from "../backends/postgres/storage.ts";
import type { Clock, Json, PushOptions } from "../runtime/contract.ts";
import { InvalidTaskError } from "../runtime/errors.ts";
import { MAX_COUNT, type PushResult, type PushSpec } from "./api.ts";
import { TASKLAB_SCHEMA } from "./database.ts";

/**
 * Pushes `spec.count` copies of one task through the runtime's own
 * storage, so the page validates exactly as a worker process would.
 * Bad input comes back as a field and a message for the form.
 */
export async function pushTasks(
  driver: Driver,
  clock: Clock,
  queue: string,
  spec: PushSpec,
): Promise<PushResult> {
  let args: Json;
  try {
    args = typeof spec.args === "string" ? JSON.parse(spec.args) : spec.args;
  } catch (error) {
    return {
      ok: false,
      field: "args",
      message: `args are not valid JSON: ${(error as Error).message}`,
    };
  }
  const count = spec.count ?? 1;
  if (!(Number.isInteger(count) && count >= 1 && count <= MAX_COUNT)) {
    return {
      ok: false,
      field: "count",
      message: `count must be a whole number from 1 to ${MAX_COUNT}, got ${count}`,
    };
  }
  const options: PushOptions = {};
  if (spec.priority !== undefined) options.priority = spec.priority;
  if (spec.delayMs) options.delayMs = spec.delayMs;
  if (spec.maxAttempts !== undefined) options.maxAttempts = spec.maxAttempts;
  const storage = new PostgresStorage<Json>({
    driver,
    clock,
    queue: spec.queue ?? queue,
    schema: TASKLAB_SCHEMA,
  });
  try {
    const taskIds = await storage.pushMany(
      Array.from({ length: count }, () => ({ args, options })),
    );
    return { ok: true, taskIds };
  } catch (error) {
    const field = error instanceof InvalidTaskError ? error.field : "task";
    return { ok: false, field, message: (error as Error).message };
  }
}

/**
 * Fails, in the database, every attempt that the instances of a stopped
 * process still hold: a retry when attempts are left, else killed. The
 * finish is fenced like any other, so a task recovered meanwhile is
 * left alone.
 */
export async function failAttemptsOf(
  driver: Driver,
  clock: Clock,
  processId: string,
  error: string,
): Promise<void> {
  const { rows } = await driver.query<{
    id: string;
    queue: string;
    attempts: number;
    max_attempts: number;
    lock_by: string;
  }>(
    `SELECT id, queue, attempts, max_attempts, lock_by FROM ${TASKLAB_SCHEMA}.tasks WHERE status = 'Running' AND starts_with(lock_by, $1)`,
    [`${processId}:`],
  );
  const first = rows[0];
  if (!first) return;
  const storage = new PostgresStorage({
    driver,
    clock,
    queue: first.queue,
    schema: TASKLAB_SCHEMA,
  });
  const now = clock.now();
  await storage.finish(
    rows.map((row) => ({
      taskId: row.id,
      attempt: row.attempts,
      workerId: row.lock_by,
      end:
        row.attempts >= row.max_attempts
          ? { kind: "kill" as const, error }
          : { kind: "retry" as const, error, runAt: now },
    })),
  );
}
