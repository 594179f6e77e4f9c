import { InvalidTaskError, TasklabError } from "../../runtime/errors.ts";

/**
 * A statement the database refused. `sqlstate` is PostgreSQL's error
 * code (e.g. `40P01`); branch on it, never on the message.
 */
export class DatabaseError extends TasklabError {
  readonly sqlstate: string | null;
  readonly operation: string;

  constructor(operation: string, cause: unknown) {
    const state = sqlstateOf(cause);
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      "DATABASE",
      `${operation} failed${state ? ` (SQLSTATE ${state})` : ""}: ${reason}`,
      { cause },
    );
    this.sqlstate = state;
    this.operation = operation;
  }
}

/**
 * A query waited too long for PGlite's single connection. Nothing was
 * sent to the database; the query can be retried.
 */
export class QueryQueuedError extends TasklabError {
  constructor(waitedMs: number) {
    super(
      "QUERY_QUEUED",
      `A query waited ${waitedMs} ms for PGlite's single connection while a transaction held it, and was not run. If it was sent from inside driver.transaction(fn), send it through the handle fn receives (tx.query), not the outer driver: the transaction cannot finish while it waits for a query queued behind it. Otherwise, keep transactions short.`,
    );
  }
}

/** The SQLSTATE of an error from PGlite or `pg`, if it has one. */
export function sqlstateOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** Constraint names of the schema, as the push option they guard. */
const CHECKED_FIELDS: Record<string, string> = {
  tasks_max_attempts_check: "options.maxAttempts",
  tasks_status_check: "status",
  tasks_attempts_check: "attempts",
};

/**
 * Turns an error from a push statement into a Tasklab error: data the
 * database cannot store becomes `InvalidTaskError`, anything else a
 * `DatabaseError`. Errors that are already Tasklab's pass through.
 */
export function pushError(cause: unknown): Error {
  if (cause instanceof TasklabError) return cause;
  switch (sqlstateOf(cause)) {
    case "23514": {
      const constraint = (cause as { constraint?: string }).constraint;
      const field = CHECKED_FIELDS[constraint ?? ""] ?? "task";
      return new InvalidTaskError(
        field,
        `${field} breaks the rule ${constraint ?? "of the tasks table"}; nothing was pushed. Fix the value and push again.`,
        { cause },
      );
    }
    // Untranslatable character (a NUL in jsonb) or text that is not
    // valid Unicode: the args cannot be stored as given.
    case "22P05":
    case "22021":
    case "22P02":
      return new InvalidTaskError(
        "args",
        `args hold text PostgreSQL cannot store (a NUL character or a lone surrogate); nothing was pushed. Remove or encode those characters. (${(cause as Error).message})`,
        { cause },
      );
    case "23505":
      return new InvalidTaskError(
        "id",
        "a task with this id already exists; nothing was pushed",
        { cause },
      );
    default:
      return new DatabaseError("push", cause);
  }
}

/** Wraps an error of any other operation, keeping Tasklab errors. */
export function databaseError(operation: string, cause: unknown): Error {
  return cause instanceof TasklabError
    ? cause
    : new DatabaseError(operation, cause);
}
