/**
 * What a playground file exports, and how a handler worker loads it.
 *
 * A file's default export lists the workers to run. Each one receives a
 * `WorkerBuilder` that already has the playground's backend (PostgreSQL
 * on the page's PGlite), concurrency and layers, plus what the
 * playground offers for shared state; it adds its own state and layers
 * and builds its handler:
 *
 *   export default {
 *     workers: [
 *       { name: "email", build: (b, pg) => b.data(Mailer, pg.emailClient).build(send) },
 *     ],
 *   } satisfies PlaygroundFile<Email>;
 */
import type { PgContext } from "../backends/postgres/rows.ts";
import type { WorkerBuilder } from "../runtime/builder.ts";
import type { Worker } from "../runtime/worker.ts";

/** A handle on the playground's database, for a file's own tables. */
export interface Database {
  query<T = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: T[] }>;
}

/** One email, as the playground's email client takes it. */
export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** The task that sent it, shown next to it in `playground.sent_emails`. */
  readonly taskId?: string;
}

/** Sends nothing: every email lands in `playground.sent_emails`. */
export interface EmailClient {
  send(email: OutgoingEmail): Promise<{ id: number }>;
}

/** Counters and observations, kept per process. */
export interface Metrics {
  count(name: string, by?: number): void;
  observe(name: string, value: number): void;
  /** Totals so far in this process. */
  read(): Readonly<Record<string, { count: number; sum: number }>>;
}

/** Settings of the process the file runs in. */
export interface PlaygroundConfig {
  /** "p1", "p2", ...: the process, like a machine's host name. */
  readonly processId: string;
  /** Handler calls each worker runs at once. */
  readonly concurrency: number;
  /** The queue every worker of the file serves. */
  readonly queue: string;
}

/** What the playground offers a file for its shared state. */
export interface Playground {
  readonly database: Database;
  readonly emailClient: EmailClient;
  readonly config: PlaygroundConfig;
  readonly metrics: Metrics;
}

/** One worker a file declares. */
export interface PlaygroundWorker<Args> {
  /** 1-100 letters, digits or . _ : - */
  readonly name: string;
  build(
    builder: WorkerBuilder<Args, PgContext>,
    playground: Playground,
  ): Worker;
}

/** A playground file's default export. */
export interface PlaygroundFile<Args = unknown> {
  readonly workers: readonly PlaygroundWorker<Args>[];
}

/** The user file threw while loading, or exports the wrong shape. */
export class UserFileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UserFileError";
  }
}

/**
 * Runs a compiled (CommonJS) file with `require` limited to `modules`
 * and returns its default export, checked.
 */
export function loadUserFile(
  code: string,
  modules: Readonly<Record<string, unknown>>,
): PlaygroundFile {
  const module: { exports: Record<string, unknown> } = { exports: {} };
  const require = (name: string): unknown => {
    if (Object.hasOwn(modules, name)) return modules[name];
    const offered = Object.keys(modules)
      .map((n) => `"${n}"`)
      .join(", ");
    throw new UserFileError(
      `require("${name}"): a playground file can import only ${offered}`,
    );
  };
  try {
    new Function("require", "module", "exports", code)(
      require,
      module,
      module.exports,
    );
  } catch (error) {
    if (error instanceof UserFileError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserFileError(`the file threw while loading: ${reason}`, {
      cause: error,
    });
  }
  return checkFile(module.exports.default);
}

function checkFile(value: unknown): PlaygroundFile {
  const workers = (value as { workers?: unknown } | null)?.workers;
  const ok =
    Array.isArray(workers) &&
    workers.length > 0 &&
    workers.every(
      (w) => typeof w?.name === "string" && typeof w?.build === "function",
    );
  if (!ok) {
    throw new UserFileError(
      "the file's default export must be { workers: [{ name, build(builder, playground) }] } with at least one worker: export default { workers: [...] } satisfies PlaygroundFile<Args>",
    );
  }
  return value as PlaygroundFile;
}
