import { PGlite, type Transaction } from "@electric-sql/pglite";
import type { Driver, Queryable, QueryResult } from "./driver.ts";
import { QueryQueuedError } from "./errors.ts";

/** Options of `PgliteDriver`. */
export interface PgliteDriverOptions {
  /**
   * How long a query or transaction may wait for the connection before
   * it is rejected with `QueryQueuedError`, in real milliseconds; 5,000
   * by default, `Infinity` to wait forever.
   */
  queueTimeoutMs?: number;
}

interface Waiter {
  start(): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The driver over one PGlite database.
 *
 * PGlite has one connection, so the driver runs one piece of work at a
 * time: a query, a whole transaction, or a LISTEN. States: idle (the
 * next piece starts at once), busy with a statement, or busy with a
 * transaction; pieces wait in arrival order. Finishing a piece starts
 * the next waiter, or returns to idle.
 *
 * A waiter still waiting after `queueTimeoutMs` while a transaction
 * holds the connection leaves the queue and rejects with
 * `QueryQueuedError`. That is how a query sent through the outer handle
 * from inside a transaction (which could never run) becomes an error
 * naming its cause instead of a silent hang. Behind a plain statement
 * it keeps waiting: a statement always finishes on its own, and a
 * large insert must not fail the claims queued behind it.
 *
 * The limit is measured in real time on purpose, not through the task
 * clock: it guards against real stuck work, and a fake clock that no
 * test advances would switch the guard off exactly where hangs happen.
 */
export class PgliteDriver implements Driver {
  readonly kind = "pglite";
  /** The PGlite database; query it through the driver, not directly. */
  readonly db: PGlite;
  readonly #queueTimeoutMs: number;
  #holder: "idle" | "statement" | "transaction" = "idle";
  #waiting: Waiter[] = [];

  constructor(db: PGlite, options: PgliteDriverOptions = {}) {
    this.db = db;
    this.#queueTimeoutMs = options.queueTimeoutMs ?? 5_000;
  }

  /**
   * Opens PGlite in memory, or at `dataDir` (a directory in Node,
   * `idb://name` in a browser), and wraps it.
   */
  static async create(
    options: PgliteDriverOptions & { dataDir?: string } = {},
  ): Promise<PgliteDriver> {
    const db = await PGlite.create(options.dataDir);
    return new PgliteDriver(db, options);
  }

  query<T>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
    return this.#exclusive("statement", () =>
      this.db.query<T>(sql, params as unknown[]),
    );
  }

  async exec(sql: string): Promise<void> {
    await this.#exclusive("statement", () => this.db.exec(sql));
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#exclusive("transaction", () =>
      this.db.transaction((tx) => fn(transactionHandle(tx))),
    );
  }

  async listen(
    channel: string,
    onPayload: (payload: string) => void,
  ): Promise<() => Promise<void>> {
    const unlisten = await this.#exclusive("statement", () =>
      this.db.listen(channel, onPayload),
    );
    return () => this.#exclusive("statement", () => unlisten());
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }

  #exclusive<T>(
    kind: "statement" | "transaction",
    work: () => Promise<T>,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        timer: undefined,
        start: () => {
          this.#holder = kind;
          work()
            .then(resolve, reject)
            .finally(() => this.#next());
        },
      };
      if (this.#holder === "idle") return waiter.start();
      this.#waiting.push(waiter);
      const limit = this.#queueTimeoutMs;
      if (!Number.isFinite(limit)) return;
      const check = () => {
        if (this.#holder !== "transaction") {
          waiter.timer = setTimeout(check, limit);
          return;
        }
        this.#waiting = this.#waiting.filter((w) => w !== waiter);
        reject(new QueryQueuedError(limit));
      };
      waiter.timer = setTimeout(check, limit);
    });
  }

  #next(): void {
    const waiter = this.#waiting.shift();
    if (!waiter) {
      this.#holder = "idle";
      return;
    }
    clearTimeout(waiter.timer);
    waiter.start();
  }
}

function transactionHandle(tx: Transaction): Queryable {
  return {
    query: <T>(sql: string, params?: readonly unknown[]) =>
      tx.query<T>(sql, params as unknown[]),
    exec: async (sql: string) => {
      await tx.exec(sql);
    },
  };
}
