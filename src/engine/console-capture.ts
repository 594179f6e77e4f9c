import type { LogFields, Logger } from "../runtime/contract.ts";
import type { ConsoleLevel, ConsoleLine } from "./protocol.ts";

/** The attempt a line belongs to. */
export interface AttemptIds {
  readonly taskId: string;
  readonly attempt: number;
  readonly workerId: string;
}

const LEVELS: Record<string, ConsoleLevel> = {
  debug: "debug",
  log: "info",
  info: "info",
  warn: "warn",
  error: "error",
};

/** Longest line kept; a handler printing megabytes cannot flood the page. */
const MAX_LINE = 4_000;
/** Lines kept between two flushes; the rest are counted and dropped. */
const MAX_PENDING = 500;

/**
 * Captures a handler worker's console and ties each line to its attempt.
 *
 * Which attempt wrote a `console` line: the one whose handler is being
 * called right now (the synchronous part of a call), else the only
 * attempt running in this process; with several running after an
 * `await`, the line is the process's, not a task's (`task.log` lines
 * always know their task). Lines go out in batches.
 */
export class ConsoleCapture {
  readonly running = new Set<AttemptIds>();
  current: AttemptIds | null = null;
  readonly #now: () => number;
  readonly #send: (lines: ConsoleLine[]) => void;
  #pending: ConsoleLine[] = [];
  #dropped = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(now: () => number, send: (lines: ConsoleLine[]) => void) {
    this.#now = now;
    this.#send = send;
  }

  /** Replaces `target`'s console methods with capturing ones. */
  install(target: Console): void {
    for (const [method, level] of Object.entries(LEVELS)) {
      (target as unknown as Record<string, unknown>)[method] = (
        ...values: unknown[]
      ) => this.write(level, values.map(format).join(" "));
    }
  }

  /** Queues one line; `ids` overrides the attempt guessed for it. */
  write(
    level: ConsoleLevel,
    text: string,
    ids?: Pick<ConsoleLine, "taskId" | "attempt" | "workerId">,
  ): void {
    if (this.#pending.length >= MAX_PENDING) {
      this.#dropped++;
      return;
    }
    const guess = this.current ?? this.#only();
    this.#pending.push({
      at: this.#now(),
      level,
      text: text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}…` : text,
      taskId: ids ? ids.taskId : (guess?.taskId ?? null),
      attempt: ids ? ids.attempt : (guess?.attempt ?? null),
      workerId: ids ? ids.workerId : (guess?.workerId ?? null),
    });
    this.#timer ??= setTimeout(() => this.flush(), 50);
  }

  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#dropped > 0) {
      const dropped = this.#dropped;
      this.#dropped = 0;
      this.#pending.push({
        at: this.#now(),
        level: "warn",
        text: `${dropped} console lines dropped: a handler printed faster than the page can show`,
        taskId: null,
        attempt: null,
        workerId: null,
      });
    }
    if (this.#pending.length === 0) return;
    const lines = this.#pending;
    this.#pending = [];
    this.#send(lines);
  }

  #only(): AttemptIds | null {
    if (this.running.size !== 1) return null;
    return this.running.values().next().value ?? null;
  }
}

/**
 * A runtime logger whose lines land in the capture, tied to the task in
 * their scope: what a handler writes through `task.log` is always
 * attributed, even among several attempts after an `await`.
 */
export function captureLogger(
  capture: ConsoleCapture,
  scope: LogFields = {},
): Logger {
  const write =
    (level: ConsoleLevel) => (message: string, fields?: LogFields) => {
      if (level === "debug") return;
      const extra = fields && Object.keys(fields).length > 0;
      const text = extra ? `${message} ${format(fields)}` : message;
      const taskId = typeof scope.taskId === "string" ? scope.taskId : null;
      const running = [...capture.running].find((r) => r.taskId === taskId);
      capture.write(level, text, {
        taskId,
        attempt: running?.attempt ?? null,
        workerId: typeof scope.worker === "string" ? scope.worker : null,
      });
    };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (more) => captureLogger(capture, { ...scope, ...more }),
  };
}

function format(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error)
    return value.stack ?? `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
