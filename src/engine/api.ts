/**
 * The engine's page-side API: what the app calls and what it receives.
 * The messages between threads are in `protocol.ts`, which re-exports
 * everything here so the app needs one import.
 */
import type {
  AttemptRecord,
  Json,
  RuntimeEvent,
  TaskRecord,
  TaskStatus,
} from "../runtime/contract.ts";
import type { ConsoleLine, FaultSettings } from "./protocol.ts";

/** Options of `Engine.create`. */
export interface EngineOptions {
  /** Where the snapshot is; `${BASE_URL}pglite-snapshot.tar.gz` by default. */
  readonly snapshotUrl?: string | null;
  /**
   * Real seconds a process may leave pings unanswered; 3 by default,
   * under the 5 s lock timeout, so a stuck handler is stopped (and says
   * so) before orphan recovery would call its worker lost.
   */
  readonly unresponsiveAfterS?: number;
}

/** The most tasks one push may ask for. */
export const MAX_COUNT = 100_000;

/** Tasks to push: `count` copies of one args value. */
export interface PushSpec {
  /** The args as JSON text, or a value. */
  readonly args: string | Json;
  readonly count?: number;
  readonly priority?: number;
  readonly delayMs?: number;
  readonly maxAttempts?: number;
  /** The queue; the user file's queue by default. */
  readonly queue?: string;
}

/** What `Engine.run` starts. */
export interface RunOptions {
  /** The TypeScript of the user file. */
  readonly code: string;
  /** Processes to start; 3 by default. */
  readonly workers?: number;
  /** Handler calls per worker instance at once; 2 by default. */
  readonly concurrency?: number;
  /** Tasks to push once the processes are started; none by default. */
  readonly tasks?: PushSpec | readonly PushSpec[];
  /** The queue every worker of the file serves; "email" by default. */
  readonly queue?: string;
  /** Start from an empty database (true by default). */
  readonly reset?: boolean;
}

/** A compile problem, 1-based like an editor's markers. */
export interface CompileDiagnostic {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

/** The outcome of `run`: compile errors mean nothing was started. */
export type RunResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly diagnostics: readonly CompileDiagnostic[] };

/** The outcome of a push. */
export type PushResult =
  | { readonly ok: true; readonly taskIds: readonly string[] }
  | { readonly ok: false; readonly field: string; readonly message: string };

/** A SQL console result. */
export type SqlResult =
  | {
      readonly columns: readonly string[];
      readonly rows: readonly (readonly unknown[])[];
      /** Rows changed, for statements that return none. */
      readonly affectedRows?: number;
    }
  | { readonly error: string };

/** Every task and attempt row. */
export interface EngineSnapshot {
  readonly tasks: readonly TaskRecord<Json>[];
  readonly attempts: readonly AttemptRecord[];
}

/** Why a process ended. */
export type ProcessEnd =
  | "stopped"
  | "killed"
  /** It left pings unanswered (a handler that never yields). */
  | "unresponsive"
  /** Its file failed to load, or the worker threw at the top level. */
  | "crashed";

/** Where the engine is; see the supervisor's account of states. */
export type EngineState = "idle" | "starting" | "running" | "stopping";

/** What the engine itself reports, besides the runtime's events. */
export type EngineNotice =
  | { readonly type: "engine:state"; readonly state: EngineState }
  | {
      readonly type: "engine:clock";
      readonly speed: number;
      readonly paused: boolean;
    }
  | { readonly type: "process:started"; readonly processId: string }
  | {
      readonly type: "process:ready";
      readonly processId: string;
      /** Instance ids as the process reported them (labels only). */
      readonly workerIds: readonly string[];
    }
  | {
      readonly type: "process:ended";
      readonly processId: string;
      readonly end: ProcessEnd;
      readonly detail: string | null;
    }
  | ({ readonly type: "console"; readonly processId: string } & ConsoleLine)
  | {
      readonly type: "compile-error";
      readonly diagnostics: readonly CompileDiagnostic[];
    }
  | { readonly type: "task:row"; readonly task: TaskRecord<Json> }
  | { readonly type: "attempt:row"; readonly attempt: AttemptRecord };

/**
 * One item of a batch: a runtime event (derived from database changes,
 * so `at` is the clock time the change recorded) or an engine notice.
 */
export type EngineEvent =
  | RuntimeEvent
  | (EngineNotice & { readonly at: number });

/** Receives events in batches, at most one per animation frame. */
export type EngineListener = (batch: readonly EngineEvent[]) => void;

/** The engine as the app sees it. `Engine.create` returns one. */
export interface EngineApi {
  /** Compiles `code`, resets the database, starts processes, pushes. */
  run(options: RunOptions): Promise<RunResult>;
  /** Stops every process gracefully; tasks and rows stay. */
  stop(): Promise<void>;
  /** Pushes tasks through the runtime's storage. */
  push(spec: PushSpec): Promise<PushResult>;
  /** Terminates one process at once, like a crashed machine. */
  killWorker(processId: string): void;
  /** Starts one more process with the running file. */
  addWorker(): Promise<string | null>;
  /** Clock ms per real ms, from 0.1 to 100. */
  setSpeed(speed: number): void;
  pause(): void;
  resume(): void;
  setFaults(faults: Partial<FaultSettings>): void;
  /** Runs one SQL statement (or a script) from the console. */
  sql(text: string): Promise<SqlResult>;
  snapshot(): Promise<EngineSnapshot>;
  subscribe(listener: EngineListener): () => void;
  /** Live process ids, in start order. */
  readonly processes: readonly string[];
  readonly state: EngineState;
  /** Stops everything and ends the database worker. */
  dispose(): Promise<void>;
}

/** The statuses, re-exported so the app needs one import. */
export type { TaskStatus };
