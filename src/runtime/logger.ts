import type { LogFields, Logger } from "./contract.ts";

const LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LEVELS)[number];

/** Discards everything: the default, so library code stays quiet. */
export const noopLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => noopLogger,
};

/** Writes lines at or above `level` to the console, with their scope. */
export function consoleLogger(
  level: LogLevel = "info",
  scope: LogFields = {},
): Logger {
  const min = LEVELS.indexOf(level);
  const write = (at: LogLevel) => (message: string, fields?: LogFields) => {
    if (LEVELS.indexOf(at) < min) return;
    console[at](`[tasklab] ${message}`, { ...scope, ...fields });
  };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (more) => consoleLogger(level, { ...scope, ...more }),
  };
}
