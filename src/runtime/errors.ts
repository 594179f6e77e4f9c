/**
 * The runtime's error vocabulary. Every error has a stable `code` to
 * branch on, and a message that says what happened and how to fix it.
 */

export type ErrorCode =
  | "INVALID_TASK"
  | "MISSING_STATE"
  | "CONTEXT_READ_ONLY"
  | "INVALID_OPTION"
  | "TIMED_OUT"
  | "WORKER_LOST"
  | "QUERY_QUEUED"
  | "DATABASE"
  | "HANDLER_FAILED"
  | "WORKER_STOPPED";

export class TasklabError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Args or push options that cannot be stored. Nothing was pushed. */
export class InvalidTaskError extends TasklabError {
  /** Where the problem is, e.g. `args.to[2]` or `options.priority`. */
  readonly field: string;

  constructor(field: string, message: string, options?: ErrorOptions) {
    super("INVALID_TASK", message, options);
    this.field = field;
  }
}

/** A handler needs shared state the worker was not given. */
export class MissingStateError extends TasklabError {
  constructor(message: string) {
    super("MISSING_STATE", message);
  }
}

/** A handler tried to write to its task's execution context. */
export class ContextReadOnlyError extends TasklabError {
  constructor(property: string) {
    super(
      "CONTEXT_READ_ONLY",
      `context.${property} is read-only: the execution context belongs to the backend. Keep per-task values in local variables, and shared values in state.`,
    );
  }
}

/** A worker, layer or storage option out of range. */
export class InvalidOptionError extends TasklabError {
  constructor(message: string) {
    super("INVALID_OPTION", message);
  }
}

/** An attempt ran past its timeout; its signal was aborted. */
export class TimeoutError extends TasklabError {
  constructor(ms: number) {
    super("TIMED_OUT", `attempt timed out after ${ms} ms`);
  }
}

/** Whatever a handler threw, as an Error with a readable message. */
export class HandlerError extends TasklabError {
  constructor(message: string, options?: ErrorOptions) {
    super("HANDLER_FAILED", message, options);
  }
}

/** The reason a running attempt's signal aborts when its worker stops. */
export class WorkerStoppedError extends TasklabError {
  constructor(workerId: string) {
    super(
      "WORKER_STOPPED",
      `worker ${workerId} stopped before this attempt finished; the task was released and will run again`,
    );
  }
}
