/**
 * Push validation, shared by every storage so that a task refused by one
 * backend is refused by all of them, with the same message.
 *
 * A task is accepted only if it can be stored losslessly in PostgreSQL
 * `jsonb` and run when asked: args must be plain JSON without NUL
 * characters or lone surrogates, and every option must be in range.
 * Whatever is refused throws `InvalidTaskError` naming the field.
 */
import type { Json, PushOptions } from "./contract.ts";
import { capErrorText } from "./error-text.ts";
import { InvalidTaskError } from "./errors.ts";
import { copyArgs, findBadChar } from "./validate-args.ts";

export { MAX_ARGS_CHARS, MAX_ARGS_DEPTH } from "./validate-args.ts";

/** The longest delay a task can be pushed with: 100 years. */
export const MAX_DELAY_MS = 100 * 365.25 * 24 * 3_600_000;
/** The earliest run time accepted: 0001-01-01T00:00:00Z. */
export const MIN_RUN_AT = -62_135_596_800_000;
/** The default number of attempts a task gets. */
export const DEFAULT_MAX_ATTEMPTS = 25;

/** The range of priority and max attempts (PostgreSQL integer columns). */
export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;
const OPTION_NAMES = ["priority", "runAt", "delayMs", "maxAttempts"];

/** A task as storages keep it: JSON args and every option resolved. */
export interface NormalizedPush {
  /** A fresh copy, detached from the caller's object. */
  args: Json;
  runAt: number;
  priority: number;
  maxAttempts: number;
}

/**
 * Checks one task before it is stored and fills in the defaults
 * (priority 0, 25 attempts, due now). Times are whole milliseconds; a
 * fraction rounds up, so a task never runs early.
 */
export function normalizePush(
  args: unknown,
  options: PushOptions | undefined,
  now: number,
): NormalizedPush {
  const copy = copyArgs(args);
  const opts = checkOptionsObject(options);
  return { args: copy, ...resolveOptions(opts, now) };
}

/**
 * `normalizePush` for a batch. A refusal names the task's place in the
 * batch, so one bad task among thousands can be found.
 */
export function normalizePushes(
  tasks: readonly { args: unknown; options?: PushOptions }[],
  now: number,
): NormalizedPush[] {
  return tasks.map((task, i) => {
    try {
      return normalizePush(task.args, task.options, now);
    } catch (error) {
      if (!(error instanceof InvalidTaskError) || tasks.length === 1) {
        throw error;
      }
      throw new InvalidTaskError(
        error.field,
        `task ${i} of ${tasks.length}: ${error.message}; nothing was pushed`,
        { cause: error },
      );
    }
  });
}

/**
 * Replaces NUL characters and lone surrogates with U+FFFD, so any text
 * (an error message, a log line) can be stored and shown.
 */
export function cleanText(text: string): string {
  let bad = findBadChar(text, 0);
  if (bad === null) return text;
  let out = "";
  let from = 0;
  while (bad !== null) {
    out += `${text.slice(from, bad.index)}\uFFFD`;
    from = bad.index + 1;
    bad = findBadChar(text, from);
  }
  return out + text.slice(from);
}

/**
 * Error text as every storage keeps it: cut to MAX_ERROR_CHARS with a
 * note of how much was cut, then cleaned like `cleanText`. Storages
 * call it on every error they are given, so a handler that throws
 * megabytes, or a caller of `finish`, cannot bloat a task's row.
 */
export function cleanError(text: string): string {
  return cleanText(capErrorText(text));
}

/**
 * A retry's run time as a storage can keep it: a non-finite time, or
 * one past the longest delay, becomes the longest delay from now.
 */
export function clampRunAt(runAt: number, now: number): number {
  const latest = now + MAX_DELAY_MS;
  if (!Number.isFinite(runAt) || runAt > latest) return latest;
  return Math.max(Math.ceil(runAt), MIN_RUN_AT);
}

function checkOptionsObject(options: unknown): Record<string, unknown> {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new InvalidTaskError(
      "options",
      `push options must be an object like { priority, runAt, delayMs, maxAttempts }, got ${describe(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) {
      throw new InvalidTaskError(
        `options.${key}`,
        `options.${key} is not a push option; use ${OPTION_NAMES.join(", ")}`,
      );
    }
  }
  return options as Record<string, unknown>;
}

function resolveOptions(opts: Record<string, unknown>, now: number) {
  const priority = integerOption(opts, "priority", 0, INT32_MIN);
  const maxAttempts = integerOption(
    opts,
    "maxAttempts",
    DEFAULT_MAX_ATTEMPTS,
    1,
  );
  const { runAt: at, delayMs: delay } = opts;
  if (at !== undefined && delay !== undefined) {
    throw new InvalidTaskError(
      "options.delayMs",
      "options.delayMs cannot be given together with options.runAt; give one of them (runAt: a time in ms since the epoch, delayMs: ms from now)",
    );
  }
  let runAt = now;
  if (delay !== undefined) {
    if (typeof delay !== "number" || !Number.isFinite(delay) || delay < 0) {
      throw new InvalidTaskError(
        "options.delayMs",
        `options.delayMs is ${describe(delay)}; it must be a finite number of ms, 0 or more`,
      );
    }
    runAt = now + Math.ceil(delay);
  } else if (at !== undefined) {
    if (typeof at !== "number" || !Number.isFinite(at)) {
      throw new InvalidTaskError(
        "options.runAt",
        `options.runAt is ${describe(at)}; it must be a finite time in ms since the epoch, e.g. Date.now() + 60_000`,
      );
    }
    runAt = Math.ceil(at);
  }
  checkRunAt(runAt, now, delay !== undefined ? "delayMs" : "runAt");
  return { runAt, priority, maxAttempts };
}

function checkRunAt(runAt: number, now: number, name: string) {
  if (runAt - now > MAX_DELAY_MS) {
    throw new InvalidTaskError(
      `options.${name}`,
      `options.${name} puts the run time at ${describeTime(runAt)}, more than 100 years ahead; the runtime cannot honour a run time that far away (the limit is MAX_DELAY_MS = ${MAX_DELAY_MS} ms). Push it later, or keep the date in args`,
    );
  }
  if (runAt < MIN_RUN_AT) {
    throw new InvalidTaskError(
      `options.${name}`,
      `options.${name} puts the run time at ${describeTime(runAt)}, before the year 1, which PostgreSQL cannot store; to run at once, leave runAt out`,
    );
  }
}

function integerOption(
  opts: Record<string, unknown>,
  name: string,
  fallback: number,
  min: number,
): number {
  const value = opts[name];
  if (value === undefined) return fallback;
  if (
    typeof value !== "number" ||
    !Number.isInteger(value) ||
    value < min ||
    value > INT32_MAX
  ) {
    throw new InvalidTaskError(
      `options.${name}`,
      `options.${name} is ${describe(value)}; it must be an integer from ${min} to ${INT32_MAX}`,
    );
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n (a bigint)`;
  if (typeof value === "object" && value !== null) return "an object";
  return String(value);
}

function describeTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? `${ms} ms` : date.toISOString();
}
