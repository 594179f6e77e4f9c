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
 * Which attempt wrote a line: the one whose handler is being called
 * right now (the synchronous part of a call), else the only attempt
 * running in this process; with several running after an `await`,
 * the line is the process's, not a task's. Lines go out in batches.
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

  write(level: ConsoleLevel, text: string): void {
    if (this.#pending.length >= MAX_PENDING) {
      this.#dropped++;
      return;
    }
    const ids = this.current ?? this.#only();
    this.#pending.push({
      at: this.#now(),
      level,
      text: text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}…` : text,
      taskId: ids?.taskId ?? null,
      attempt: ids?.attempt ?? null,
      workerId: ids?.workerId ?? null,
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
