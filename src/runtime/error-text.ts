/**
 * The text of an error as storages keep it: whatever a handler threw,
 * made readable, its causes named, and the whole cut to a bound.
 */
import { HandlerError } from "./errors.ts";
import { cut, headline, read, render } from "./render-value.ts";

/** The most characters of error text a storage keeps. */
export const MAX_ERROR_CHARS = 4_000;
/** How many causes of an error its text names before it counts the rest. */
export const MAX_ERROR_CAUSES = 5;
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
  const lines = [headline(error, MAX_ERROR_CHARS)];
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
  return `handler threw ${render(thrown, MAX_ERROR_CHARS)}`;
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) return headline(cause, MAX_ERROR_CHARS);
  return render(cause, MAX_ERROR_CHARS);
}

/** The chain goes on through Errors; any other cause is drawn whole. */
function nextCause(cause: unknown): unknown {
  return cause instanceof Error ? read(cause, "cause") : undefined;
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

function cutNote(cutChars: number): string {
  return `… [truncated ${cutChars.toLocaleString("en-US")} characters]`;
}
