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

/** The most characters of error text a storage keeps. */
export const MAX_ERROR_CHARS = 4_000;
/** How many causes of an error its text names before it counts the rest. */
export const MAX_ERROR_CAUSES = 5;
/** How deep a thrown object is drawn; deeper values show as `{…}`. */
export const MAX_RENDER_DEPTH = 5;
// Counting a cause chain stops here, so a chain that never ends (each
// `cause` a getter making a new error) cannot hang the worker.
const MAX_COUNTED_CAUSES = 10_000;

// Errors made by toError: their message already draws what was thrown,
// so their own name and cause would only repeat it.
const wrappers = new WeakSet<Error>();

/**
 * Turns anything a handler threw (an Error, a string, undefined, an
 * object) into an Error with a readable message, keeping it as `cause`.
 */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  const error = new HandlerError(describeThrown(thrown), { cause: thrown });
  wrappers.add(error);
  return error;
}

/**
 * The text stored as `lastError`. An Error reads as JavaScript prints
 * it, `name: message`, whatever its class (`Error: boom`, `TypeError:
 * bad`), then one `caused by:` line per cause, at most
 * MAX_ERROR_CAUSES of them. A value that is not an Error reads as
 * toError describes it, with no class name the handler never used.
 */
export function errorText(error: Error): string {
  if (wrappers.has(error)) return error.message;
  const lines = [headline(error)];
  const seen = new Set<unknown>([error]);
  let cause = nextCause(error);
  while (cause !== undefined && lines.length <= MAX_ERROR_CAUSES) {
    if (seen.has(cause)) return [...lines, "caused by: [Circular]"].join("\n");
    seen.add(cause);
    lines.push(`caused by: ${causeText(cause)}`);
    cause = nextCause(cause);
  }
  if (cause !== undefined) lines.push(moreCauses(cause, seen));
  return lines.join("\n");
}

/**
 * `text` cut to MAX_ERROR_CHARS, ending with a note of how many
 * characters were cut. A surrogate pair is kept whole or cut whole.
 */
export function capErrorText(text: string): string {
  if (text.length <= MAX_ERROR_CHARS) return text;
  // Room for the note of the longest cut, so the result stays in bounds.
  const room = MAX_ERROR_CHARS - cutNote(text.length).length;
  const kept = cut(text, room);
  return kept + cutNote(text.length - kept.length);
}

function describeThrown(thrown: unknown): string {
  if (thrown === undefined) return "handler threw undefined";
  if (thrown === null) return "handler threw null";
  if (typeof thrown === "string") return thrown || "handler threw ''";
  const message = read(thrown, "message");
  if (typeof message === "string" && message) return message;
  return `handler threw ${render(thrown)}`;
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) return headline(cause);
  return render(cause);
}

/** The chain goes on through Errors; any other cause is drawn whole. */
function nextCause(cause: unknown): unknown {
  return cause instanceof Error ? read(cause, "cause") : undefined;
}

function headline(error: unknown): string {
  const name = read(error, "name");
  const message = read(error, "message");
  const nameText = typeof name === "string" ? name : "";
  const messageText =
    typeof message === "string" || message === undefined
      ? (message ?? "")
      : render(message);
  if (!nameText) return messageText;
  return messageText ? `${nameText}: ${messageText}` : nameText;
}

function moreCauses(cause: unknown, seen: Set<unknown>): string {
  let count = 0;
  let next = cause;
  while (next !== undefined && !seen.has(next)) {
    if (count === MAX_COUNTED_CAUSES) {
      return `… over ${count.toLocaleString("en-US")} more causes`;
    }
    seen.add(next);
    count++;
    next = nextCause(next);
  }
  return `… ${count.toLocaleString("en-US")} more causes`;
}

/**
 * Draws any value as JSON-like text, and never throws: a cycle shows
 * as `[Circular]`, nesting past MAX_RENDER_DEPTH as `{…}` or `[…]`,
 * and drawing stops near MAX_ERROR_CHARS.
 */
function render(value: unknown): string {
  return draw(value, 0, { left: MAX_ERROR_CHARS, path: new Set() });
}

interface Drawing {
  /** Characters still to spend. */
  left: number;
  /** The objects being drawn, outermost first: meeting one is a cycle. */
  path: Set<object>;
}

function draw(
  value: unknown,
  depth: number,
  at: Drawing,
  viaJSON = true,
): string {
  const left = at.left;
  let text: string;
  try {
    text = drawValue(value, depth, at, viaJSON);
  } catch {
    text = "[unreadable]";
  }
  // What this value spent is its text, however its children counted.
  at.left = left - text.length;
  return text;
}

function drawValue(
  value: unknown,
  depth: number,
  at: Drawing,
  viaJSON: boolean,
): string {
  if (typeof value === "string") return drawString(value, at.left);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return `[Function ${value.name}]`;
  if (typeof value !== "object" || value === null) return String(value);
  if (at.path.has(value)) return "[Circular]";
  if (value instanceof Error) return `[${headline(value)}]`;
  const toJSON = viaJSON ? read(value, "toJSON") : undefined;
  // As in JSON.stringify, toJSON is asked once per value, not of its result.
  if (typeof toJSON === "function") {
    return draw(toJSON.call(value), depth, at, false);
  }
  const isArray = Array.isArray(value);
  if (depth >= MAX_RENDER_DEPTH) return isArray ? "[…]" : "{…}";
  at.path.add(value);
  try {
    const body = isArray
      ? drawItems(value, (item) => draw(item, depth + 1, at), at)
      : drawItems(Object.keys(value), (key) => drawEntry(value, key), at);
    return isArray ? `[${body}]` : `${className(value)}{${body}}`;
  } finally {
    at.path.delete(value);
  }

  function drawEntry(object: object, key: string): string {
    let item: string;
    try {
      const value = (object as Record<string, unknown>)[key];
      item = draw(value, depth + 1, at);
    } catch {
      item = "[unreadable]"; // a getter that throws
    }
    return `${JSON.stringify(key)}:${item}`;
  }
}

function drawString(text: string, max: number): string {
  const kept = cut(text, max);
  return kept === text ? JSON.stringify(text) : `${JSON.stringify(kept)}…`;
}

function drawItems<T>(
  items: readonly T[],
  drawItem: (item: T) => string,
  at: Drawing,
): string {
  const parts: string[] = [];
  for (const item of items) {
    if (at.left <= 0) {
      parts.push(`… ${items.length - parts.length} more`);
      break;
    }
    parts.push(drawItem(item));
    at.left -= 1; // the comma
  }
  return parts.join(",");
}

/** `Name ` for an instance of a class, nothing for a plain object. */
function className(object: object): string {
  const proto = Object.getPrototypeOf(object);
  if (proto === null || proto === Object.prototype) return "";
  const name = read(proto, "constructor");
  return typeof name === "function" && name.name ? `${name.name} ` : "";
}

/** At most `max` characters of `text`, never half a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = Math.max(max, 0);
  const last = text.charCodeAt(end - 1);
  const halfPair = last >= 0xd800 && last <= 0xdbff;
  return text.slice(0, halfPair ? end - 1 : end);
}

function cutNote(cutChars: number): string {
  return `… [truncated ${cutChars.toLocaleString("en-US")} characters]`;
}

/** A property, or undefined when reading it throws (a getter, a Proxy). */
function read(value: unknown, key: string): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
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
