/**
 * What the controls set: how many workers run, and the tasks a Run (or
 * a Push) sends. Text fields stay text here, so a half-typed number or
 * JSON value is kept as typed and checked where it is used.
 */
export interface Settings {
  /** Processes ("machines") to start. */
  workers: number;
  /** Handler calls each worker instance runs at once. */
  concurrency: number;
  /** 0..1: the share of attempts made to fail before the handler runs. */
  failureRate: number;
  /** Clock ms added before every handler call. */
  latencyMs: number;
  /** Run also pushes a few high-priority and a few flaky tasks. */
  mix: boolean;
  push: PushForm;
}

export interface PushForm {
  /** JSON text of the args. */
  args: string;
  count: number;
  priority: number;
  delayMs: number;
  maxAttempts: number;
}

export const defaultSettings: Settings = {
  workers: 3,
  concurrency: 2,
  failureRate: 0,
  latencyMs: 0,
  mix: true,
  push: {
    args: JSON.stringify({
      to: "ada@example.com",
      subject: "Welcome",
      text: "Hello from Tasklab",
    }),
    count: 12,
    priority: 0,
    delayMs: 0,
    maxAttempts: 3,
  },
};

/** A message for args that are not JSON, or null when they are fine. */
export function argsProblem(text: string): string | null {
  if (text.trim() === "") return "Args are empty: write a JSON value, e.g. {}";
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return `Args are not valid JSON: ${detail}`;
  }
}
