import type {
  Driver,
  Queryable,
  QueryResult,
} from "../backends/postgres/driver.ts";
import type { DbReply, DbRequest, DbResult } from "./protocol.ts";
import { RemoteError } from "./wire.ts";

type Pending = {
  resolve: (result: DbResult) => void;
  reject: (error: Error) => void;
};

/** A request without its id; the driver numbers them. */
type Request = DbRequest extends infer R
  ? R extends DbRequest
    ? Omit<R, "id">
    : never
  : never;

/**
 * The Postgres driver of a handler worker: every statement goes over a
 * MessagePort to the database worker, which runs it on PGlite. The
 * runtime's `PostgresStorage` uses it like any other driver. Errors come
 * back with their SQLSTATE in `code`, so the storage can branch on it.
 */
export class PortDriver implements Driver {
  readonly kind = "pglite-port";
  readonly #port: MessagePort;
  readonly #post: (message: DbRequest) => void;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Map<string, Set<(payload: string) => void>>();
  #nextId = 1;
  #closed = false;

  constructor(port: MessagePort) {
    this.#port = port;
    // Bound now, before any user code runs in this worker: patching
    // MessagePort.prototype later cannot reach this port or its SQL.
    this.#post = port.postMessage.bind(port);
    port.onmessage = (event: MessageEvent<DbReply>) =>
      this.#receive(event.data);
  }

  async query<T>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<QueryResult<T>> {
    const result = await this.#send({ op: "query", sql, params });
    return result as QueryResult<T>;
  }

  async exec(sql: string): Promise<void> {
    await this.#send({ op: "exec", sql });
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const tx = (await this.#send({ op: "begin" })) as number;
    const handle: Queryable = {
      query: async <R>(sql: string, params: readonly unknown[] = []) =>
        (await this.#send({ op: "query", sql, params, tx })) as QueryResult<R>,
      exec: async (sql: string) => {
        await this.#send({ op: "exec", sql, tx });
      },
    };
    let value: T;
    try {
      value = await fn(handle);
    } catch (error) {
      await this.#send({ op: "rollback", tx }).catch(() => {});
      throw error;
    }
    await this.#send({ op: "commit", tx });
    return value;
  }

  async listen(
    channel: string,
    onPayload: (payload: string) => void,
  ): Promise<() => Promise<void>> {
    let callbacks = this.#listeners.get(channel);
    if (!callbacks) {
      callbacks = new Set();
      this.#listeners.set(channel, callbacks);
      await this.#send({ op: "listen", channel });
    }
    callbacks.add(onPayload);
    return async () => {
      const set = this.#listeners.get(channel);
      if (!set?.delete(onPayload) || set.size > 0) return;
      this.#listeners.delete(channel);
      if (!this.#closed) await this.#send({ op: "unlisten", channel });
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const error = new Error("the database port was closed");
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    this.#port.close();
  }

  #send(request: Request): Promise<DbResult> {
    if (this.#closed) {
      return Promise.reject(new Error("the database port is closed"));
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#post({ ...request, id } as DbRequest);
    });
  }

  #receive(reply: DbReply): void {
    if ("notify" in reply) {
      for (const callback of this.#listeners.get(reply.notify) ?? []) {
        callback(reply.payload);
      }
      return;
    }
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.result);
    else pending.reject(new RemoteError(reply.error));
  }
}
