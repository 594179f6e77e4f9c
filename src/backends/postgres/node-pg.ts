import pg from "pg";
import type { Driver, Queryable, QueryResult } from "./driver.ts";

/** Options of `NodePgDriver`: an existing pool, or how to make one. */
export interface NodePgDriverOptions {
  /** Use this pool; the driver will not end it on `close()`. */
  pool?: pg.Pool;
  /** `postgres://user:pass@host:port/db`, when no pool is given. */
  connectionString?: string;
  /** Connections in the pool it makes; 10 by default. */
  max?: number;
  /**
   * How long a query waits for a free connection before it fails, in
   * ms; 10,000 by default, so an exhausted pool is an error, not a hang.
   */
  connectionTimeoutMs?: number;
}

type Listener = (payload: string) => void;

/**
 * The driver over a PostgreSQL server, through one `pg.Pool`. Make one
 * per process and share it between storages: each storage borrows a
 * connection per statement, so many workers need few connections.
 *
 * LISTEN runs on one connection held for the driver's lifetime and
 * shared by every listener of the process. States of that connection:
 * none (no listener yet), connected (channels listened), lost (it
 * failed; the driver reconnects after a second and listens again).
 * Notifications missed while lost are covered by workers' polling.
 */
export class NodePgDriver implements Driver {
  readonly kind = "pg";
  readonly pool: pg.Pool;
  readonly #ownsPool: boolean;
  #listener: Promise<pg.PoolClient> | null = null;
  #channels = new Map<string, Set<Listener>>();
  #closed = false;

  constructor(options: NodePgDriverOptions) {
    this.#ownsPool = !options.pool;
    this.pool =
      options.pool ??
      new pg.Pool({
        connectionString: options.connectionString,
        max: options.max ?? 10,
        connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
      });
    // An idle connection the server dropped must not crash the process;
    // the pool replaces it on the next query.
    if (this.#ownsPool) this.pool.on("error", () => {});
  }

  async query<T>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<T>> {
    const result = await this.pool.query(sql, params as unknown[]);
    return { rows: result.rows as T[] };
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const result = await fn(clientHandle(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async listen(
    channel: string,
    onPayload: Listener,
  ): Promise<() => Promise<void>> {
    const client = await this.#listenerClient();
    let listeners = this.#channels.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.#channels.set(channel, listeners);
      await client.query(`LISTEN ${channel}`);
    }
    listeners.add(onPayload);
    return async () => {
      const current = this.#channels.get(channel);
      if (!current?.delete(onPayload) || current.size > 0) return;
      this.#channels.delete(channel);
      const held = await this.#listener?.catch(() => null);
      await held?.query(`UNLISTEN ${channel}`).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const held = await this.#listener?.catch(() => null);
    this.#listener = null;
    this.#channels.clear();
    held?.release(true);
    if (this.#ownsPool) await this.pool.end();
  }

  #listenerClient(): Promise<pg.PoolClient> {
    if (this.#listener) return this.#listener;
    const connecting = this.pool.connect().then((client) => {
      client.on("notification", (message) => {
        for (const listener of this.#channels.get(message.channel) ?? []) {
          listener(message.payload ?? "");
        }
      });
      client.on("error", (error) => this.#lost(client, error));
      return client;
    });
    this.#listener = connecting;
    connecting.catch(() => {
      if (this.#listener === connecting) this.#listener = null;
    });
    return connecting;
  }

  #lost(client: pg.PoolClient, error: Error): void {
    client.release(error);
    this.#listener = null;
    if (this.#closed || this.#channels.size === 0) return;
    setTimeout(() => void this.#relisten(), 1_000);
  }

  async #relisten(): Promise<void> {
    if (this.#closed || this.#listener) return;
    try {
      const client = await this.#listenerClient();
      for (const channel of this.#channels.keys()) {
        await client.query(`LISTEN ${channel}`);
      }
    } catch {
      setTimeout(() => void this.#relisten(), 1_000);
    }
  }
}

function clientHandle(client: pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params?: readonly unknown[]) {
      const result = await client.query(sql, params as unknown[]);
      return { rows: result.rows as T[] };
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}
