/**
 * The one small interface the Postgres backend talks through, so the
 * same SQL runs on PGlite (in memory, in a file, in a browser) and on a
 * PostgreSQL server (`pg`).
 *
 * Words:
 * - driver: one database, shared by every storage of a process. On a
 *   server it owns one pool; on PGlite it owns the single connection.
 * - handle: what queries go through. The driver is one; inside
 *   `transaction(fn)`, `fn` receives another that runs in the
 *   transaction. Queries on the outer handle do not join it.
 */

/** Rows of one statement. */
export interface QueryResult<T> {
  rows: T[];
}

/** Something SQL can be sent through. */
export interface Queryable {
  /** Runs one parameterised statement ($1, $2, ...). */
  query<T>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;
}

/** A database connection (PGlite) or pool (server). */
export interface Driver extends Queryable {
  /** Short name for messages: "pglite" or "pg". */
  readonly kind: string;
  /**
   * Runs `fn` in one transaction: committed when `fn` resolves, rolled
   * back when it throws. Query through the handle `fn` receives.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Calls `onPayload` for every notification on `channel`. Returns the
   * function that stops listening.
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
  ): Promise<() => Promise<void>>;
  /** Closes the database or pool. */
  close(): Promise<void>;
}
