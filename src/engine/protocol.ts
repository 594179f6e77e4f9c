/**
 * The engine's contract: the messages between the page, the database
 * worker and the handler workers, and the page-side API the app uses.
 *
 * Words (DESIGN.md's glossary, as the engine uses them):
 * - engine: the page-side object (`Engine`) that owns the database
 *   worker, the handler processes and the clock.
 * - database worker: one module Web Worker holding PGlite. It answers
 *   SQL from MessagePorts and is the only source of task state.
 * - process: one handler worker, inside its own sandboxed iframe (origin
 *   `null`), standing for one machine. It runs the real runtime: one
 *   worker instance per worker the user's file declares.
 * - user file: the TypeScript in the editor, compiled in the page.
 * - supervisor: the part of the engine that starts processes, pings
 *   them, and terminates those that stop answering.
 * - speed: how many clock milliseconds pass per real millisecond.
 *
 * Trust: nothing a process says is taken as task state. Task and
 * attempt rows reach the page from the database worker's change feed
 * (triggers on the runtime's tables); a process only sends pongs,
 * console lines and load errors, and the page shows those as the
 * handler's own output.
 */
import type { AttemptRecord, Json, TaskRecord } from "../runtime/contract.ts";
import type { EngineSnapshot, SqlResult } from "./api.ts";

/** An error as it crosses a thread: PostgreSQL's fields are kept. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  /** SQLSTATE for database errors, or a Tasklab error code. */
  readonly code?: string;
  readonly constraint?: string;
  readonly detail?: string;
}

// ---------------------------------------------------------------------
// SQL ports: a process (or the page) <-> the database worker.

/** A request sent over a SQL port. `tx` targets an open transaction. */
export type DbRequest =
  | {
      readonly id: number;
      readonly op: "query";
      readonly sql: string;
      readonly params: readonly unknown[];
      readonly tx?: number;
    }
  | {
      readonly id: number;
      readonly op: "exec";
      readonly sql: string;
      readonly tx?: number;
    }
  /** Opens a transaction; the reply's result is its `tx` number. */
  | { readonly id: number; readonly op: "begin" }
  | { readonly id: number; readonly op: "commit"; readonly tx: number }
  | { readonly id: number; readonly op: "rollback"; readonly tx: number }
  | { readonly id: number; readonly op: "listen"; readonly channel: string }
  | { readonly id: number; readonly op: "unlisten"; readonly channel: string };

/** What the database worker sends back over a SQL port. */
export type DbReply =
  | { readonly id: number; readonly ok: true; readonly result: DbResult }
  | { readonly id: number; readonly ok: false; readonly error: WireError }
  /** A NOTIFY on a channel this port listens to. */
  | { readonly notify: string; readonly payload: string };

/** `rows` for query, the transaction number for begin, else null. */
export type DbResult = { readonly rows: unknown[] } | number | null;

// ---------------------------------------------------------------------
// Page <-> database worker (its own `postMessage` channel).

/** The page's commands to the database worker. */
export type DbWorkerCommand =
  | {
      readonly type: "open";
      /** URL of the gzipped data-dir snapshot; null to create afresh. */
      readonly snapshotUrl: string | null;
    }
  /**
   * A new SQL port for a process or the page. `role` "app" marks the
   * handle a user file gets for its own tables; "page" is the engine's
   * own, which a pause does not hold.
   */
  | {
      readonly type: "connect";
      readonly processId: string;
      readonly role: "runtime" | "app" | "page";
      readonly port: MessagePort;
    }
  /** A process is gone: roll back its open transactions, drop its ports. */
  | { readonly type: "disconnect"; readonly processId: string }
  /** While paused, SQL from processes waits; the page's still runs. */
  | { readonly type: "pause" }
  | { readonly type: "resume" }
  /** A statement from the SQL console. */
  | { readonly type: "sql"; readonly id: number; readonly text: string }
  /** Every task and attempt row, for a view that starts afresh. */
  | { readonly type: "snapshot"; readonly id: number }
  /** Deletes every task, attempt and worker row (a new run). */
  | { readonly type: "reset"; readonly id: number };

/** The database worker's messages to the page. */
export type DbWorkerMessage =
  | {
      readonly type: "ready";
      readonly from: "snapshot" | "fresh";
      readonly ms: number;
    }
  | { readonly type: "failed"; readonly error: WireError }
  /** Rows changed since the last batch, oldest change first. */
  | { readonly type: "changes"; readonly changes: readonly RowChange[] }
  | { readonly type: "sql"; readonly id: number; readonly result: SqlResult }
  | {
      readonly type: "snapshot";
      readonly id: number;
      readonly snapshot: EngineSnapshot;
    }
  | { readonly type: "reset"; readonly id: number };

/** One row written by the runtime, as the change feed reports it. */
export type RowChange =
  | {
      readonly kind: "task";
      readonly task: TaskRecord<Json>;
      /** The row before this change; null for a push. */
      readonly before: TaskRecord<Json> | null;
    }
  | {
      readonly kind: "attempt";
      readonly attempt: AttemptRecord;
      readonly before: AttemptRecord | null;
    }
  | {
      readonly kind: "worker";
      readonly workerId: string;
      readonly name: string;
      readonly stoppedAt: number | null;
    };

// ---------------------------------------------------------------------
// Page <-> sandbox iframe (window.postMessage; the iframe is origin null).

/** The page's commands to a sandbox iframe. */
export type SandboxCommand =
  /**
   * Create the handler worker from `source` (a `blob:` URL made inside
   * the iframe) and hand it `control` and `db`, transferred.
   */
  | {
      readonly type: "boot";
      readonly source: string;
      /** The worker's name, shown in the browser's tools. */
      readonly name: string;
      /** Posted to the new worker first, with the ports. */
      readonly init: { readonly type: "init"; readonly queue: string };
    }
  | { readonly type: "terminate" };

/**
 * The iframe's messages: it is loaded and listening; its worker died on
 * its own (an uncaught error at the top, or out of memory). The page
 * takes the second only as a reason to end the process.
 */
export type SandboxMessage =
  | { readonly type: "sandbox-ready" }
  | { readonly type: "worker-error"; readonly message: string };

// ---------------------------------------------------------------------
// Page <-> handler worker (the control port).

/** Shared time: clock ms = `atClock` + (real now - `atReal`) * speed. */
export interface ClockState {
  /** Real `Date.now()` when this state began. */
  readonly atReal: number;
  /** Clock time at `atReal`. */
  readonly atClock: number;
  /** Clock ms per real ms; 0 while paused. */
  readonly speed: number;
}

/** Faults the engine injects around every handler call. */
export interface FaultSettings {
  /** 0..1: the share of attempts that fail before the handler runs. */
  readonly failureRate: number;
  /** Clock ms added before every handler call. */
  readonly latencyMs: number;
}

/** Settings of one process's run. */
export interface ProcessStart {
  readonly type: "start";
  readonly processId: string;
  /** The user file compiled to CommonJS. */
  readonly code: string;
  /** Handler calls each worker instance runs at once. */
  readonly concurrency: number;
  readonly clock: ClockState;
  readonly faults: FaultSettings;
  /** Liveness settings, in real ms (liveness keeps to real time). */
  readonly lockTimeoutMs: number;
  readonly heartbeatMs: number;
  /** Real ms one attempt may run before its timeout aborts it. */
  readonly attemptLimitMs: number;
}

/** The page's messages to a handler worker. */
export type ControlCommand =
  | ProcessStart
  | { readonly type: "ping"; readonly seq: number }
  | { readonly type: "clock"; readonly clock: ClockState }
  | { readonly type: "faults"; readonly faults: FaultSettings }
  | { readonly type: "stop"; readonly deadlineMs: number };

/** Console levels a handler can write at. */
export type ConsoleLevel = "debug" | "info" | "warn" | "error";

/**
 * A handler worker's messages to the page. None of them changes task
 * state: the page shows them as the handler's own words.
 */
export type ControlMessage =
  | { readonly type: "pong"; readonly seq: number }
  /** The file loaded and its workers started, with instance ids. */
  | { readonly type: "started"; readonly workerIds: readonly string[] }
  /** The file threw while loading or building its workers. */
  | { readonly type: "load-error"; readonly error: WireError }
  | {
      readonly type: "console";
      readonly lines: readonly ConsoleLine[];
    }
  | { readonly type: "stopped" };

/** One line of handler output, tied to its task when known. */
export interface ConsoleLine {
  readonly at: number;
  readonly level: ConsoleLevel;
  readonly text: string;
  /** Null when the line was written outside any one attempt. */
  readonly taskId: string | null;
  readonly attempt: number | null;
  readonly workerId: string | null;
}

// The page-side API (`EngineApi`, `RunOptions`, events) lives in api.ts.
export type * from "./api.ts";
