import type { Driver, Queryable } from "../backends/postgres/driver.ts";
import { checkAppStatement } from "./app-statement.ts";
import { APP_ROLE } from "./change-feed.ts";
import type { DbReply, DbRequest, DbResult } from "./protocol.ts";
import { toWireError } from "./wire.ts";

/** Options of `DbHost`. */
export interface DbHostOptions {
  /**
   * Real ms a transaction may sit without a statement before it is
   * rolled back, so a process that died inside one cannot hold PGlite's
   * single connection for ever. 10,000 by default.
   */
  idleTransactionMs?: number;
}

interface OpenTransaction {
  readonly processId: string;
  readonly handle: Queryable;
  readonly finish: (commit: boolean) => Promise<void>;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
}

/** Who a SQL port belongs to. */
export type PortRole = "runtime" | "app" | "page";

interface Connection {
  readonly processId: string;
  readonly role: PortRole;
  readonly port: MessagePort;
  readonly unlisten: Map<string, () => Promise<void>>;
}

/** Thrown inside a transaction's body to make the driver roll back. */
const ROLLBACK = Symbol("rollback");

/**
 * Serves SQL ports on one database. Each process gets its own port;
 * statements run on the driver in arrival order (PGlite has one
 * connection), a transaction holds it from `begin` to `commit`.
 *
 * States: open, or paused. While paused, statements outside a
 * transaction wait in the host (not in the driver, so they do not run
 * into its queue limit); statements inside an open transaction still
 * run so that it can end. `resume` sends the waiting ones on, in order.
 * `disconnect` rolls back the process's transactions and stops its
 * listens: a killed process leaves nothing locked.
 */
export class DbHost {
  readonly #driver: Driver;
  readonly #idleMs: number;
  readonly #connections = new Set<Connection>();
  readonly #transactions = new Map<number, OpenTransaction>();
  #held: (() => void)[] = [];
  #paused = false;
  #nextTx = 1;

  constructor(driver: Driver, options: DbHostOptions = {}) {
    this.#driver = driver;
    this.#idleMs = options.idleTransactionMs ?? 10_000;
  }

  /**
   * Serves `port`. The page's port runs even while paused; an "app"
   * port (a user file's own handle) runs single statements as the
   * restricted role `APP_ROLE`, which can read the runtime's tables but
   * not change them.
   */
  connect(
    processId: string,
    port: MessagePort,
    role: PortRole = "runtime",
  ): void {
    const connection: Connection = {
      processId,
      port,
      role,
      unlisten: new Map(),
    };
    this.#connections.add(connection);
    port.onmessage = (event: MessageEvent<DbRequest>) => {
      const request = event.data;
      const run = () => void this.#answer(connection, request);
      const held = role !== "page" && !("tx" in request && request.tx);
      if (held && this.#paused) {
        this.#held.push(run);
      } else run();
    };
  }

  async disconnect(processId: string): Promise<void> {
    for (const connection of [...this.#connections]) {
      if (connection.processId !== processId) continue;
      this.#connections.delete(connection);
      connection.port.close();
      for (const stop of connection.unlisten.values()) {
        await stop().catch(() => {});
      }
    }
    for (const [id, tx] of [...this.#transactions]) {
      if (tx.processId === processId) await this.#end(id, false);
    }
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    const held = this.#held;
    this.#held = [];
    for (const run of held) run();
  }

  async #answer(connection: Connection, request: DbRequest): Promise<void> {
    let reply: DbReply;
    try {
      reply = {
        id: request.id,
        ok: true,
        result: await this.#run(connection, request),
      };
    } catch (error) {
      reply = { id: request.id, ok: false, error: toWireError(error) };
    }
    try {
      connection.port.postMessage(reply);
    } catch {
      // The process is gone; its port no longer takes messages.
    }
  }

  async #run(connection: Connection, request: DbRequest): Promise<DbResult> {
    if (connection.role === "app") return this.#runAsApp(request);
    switch (request.op) {
      case "query": {
        const target = this.#target(request.tx);
        const { rows } = await target.query(request.sql, request.params);
        return { rows };
      }
      case "exec":
        await this.#target(request.tx).exec(request.sql);
        return null;
      case "begin":
        return this.#begin(connection.processId);
      case "commit":
        await this.#end(request.tx, true);
        return null;
      case "rollback":
        await this.#end(request.tx, false);
        return null;
      case "listen": {
        if (connection.unlisten.has(request.channel)) return null;
        const stop = await this.#driver.listen(request.channel, (payload) => {
          try {
            connection.port.postMessage({ notify: request.channel, payload });
          } catch {
            // A closed port: disconnect will stop this listen.
          }
        });
        connection.unlisten.set(request.channel, stop);
        return null;
      }
      case "unlisten": {
        const stop = connection.unlisten.get(request.channel);
        connection.unlisten.delete(request.channel);
        await stop?.();
        return null;
      }
    }
  }

  async #runAsApp(request: DbRequest): Promise<DbResult> {
    if (request.op !== "query") {
      throw new Error(
        `the playground's database handle runs single statements with query(sql, params); "${request.op}" is not offered`,
      );
    }
    checkAppStatement(request.sql);
    return this.#driver.transaction(async (tx) => {
      await tx.exec(`SET LOCAL ROLE ${APP_ROLE}`);
      const { rows } = await tx.query(request.sql, request.params);
      return { rows };
    });
  }

  #target(tx: number | undefined): Queryable {
    if (tx === undefined) return this.#driver;
    const open = this.#transactions.get(tx);
    if (!open) {
      throw new Error(
        `transaction ${tx} is not open: it was committed, rolled back, or rolled back after ${this.#idleMs} ms without a statement`,
      );
    }
    this.#touch(tx, open);
    return open.handle;
  }

  #begin(processId: string): Promise<number> {
    const id = this.#nextTx++;
    return new Promise((started, failed) => {
      let finish!: (commit: boolean) => void;
      const body = (handle: Queryable) =>
        new Promise<void>((resolve, reject) => {
          finish = (commit) => (commit ? resolve() : reject(ROLLBACK));
          const open: OpenTransaction = {
            processId,
            handle,
            idleTimer: undefined,
            finish: async (commit) => {
              finish(commit);
              await done.catch((error) => {
                if (error !== ROLLBACK) throw error;
              });
            },
          };
          this.#transactions.set(id, open);
          this.#touch(id, open);
          started(id);
        });
      const done = this.#driver.transaction(body);
      done.catch((error) => {
        if (!this.#transactions.has(id) && error !== ROLLBACK) failed(error);
      });
    });
  }

  async #end(tx: number, commit: boolean): Promise<void> {
    const open = this.#transactions.get(tx);
    if (!open) {
      if (commit) throw new Error(`transaction ${tx} is not open`);
      return;
    }
    clearTimeout(open.idleTimer);
    this.#transactions.delete(tx);
    await open.finish(commit);
  }

  #touch(tx: number, open: OpenTransaction): void {
    clearTimeout(open.idleTimer);
    open.idleTimer = setTimeout(() => void this.#end(tx, false), this.#idleMs);
  }
}
