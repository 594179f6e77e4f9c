/**
 * The page's state, in one zustand store.
 *
 * Batches from the engine are queued as they arrive (`ingest`) and folded
 * into the board once per display frame (`flush`, driven by
 * requestAnimationFrame), so a flood of events costs one render per
 * frame, not one per event. The board is mutated in place; `version`
 * moves on every flush and is what views subscribe to.
 *
 * The engine moves idle -> starting -> running -> stopping -> idle and
 * says so with `engine:state`; the store mirrors it. Anything that goes
 * wrong lands in `error`, said so a person can act on it, until the next
 * action clears it.
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import type {
  CompileDiagnostic,
  EngineEvent,
  EngineState,
} from "../../engine/protocol.ts";
import type { TaskId, TaskStatus } from "../../runtime/contract.ts";
import { applyEvents, type Board, createBoard } from "./board.ts";
import { defaultSettings, type Settings } from "./settings.ts";
import { createThroughput, sample, type Throughput } from "./throughput.ts";

export type SortKey =
  | "seq"
  | "status"
  | "attempts"
  | "priority"
  | "runAt"
  | "lockBy"
  | "lastError";

export interface AppState {
  readonly board: Board;
  /** Moves on every change to the board. */
  version: number;
  /** The engine is loading until it reports its database ready. */
  engine: EngineState | "loading" | "unavailable";
  error: string | null;
  /** Errors that kept the last Run from starting anything. */
  compileErrors: readonly CompileDiagnostic[];
  paused: boolean;
  /** Clock ms per real ms: 1 is real time. */
  speed: number;
  /** Tasks done per real second, over the last few seconds. */
  throughput: Throughput;
  filter: TaskStatus | "All";
  sort: { key: SortKey; descending: boolean };
  selected: TaskId | null;
  /** The timeline keeps its right edge at the latest event. */
  followLive: boolean;
  settings: Settings;
  /**
   * Number fields whose typed text is not a value they take, by label,
   * with what they take: Run and Push refuse while any is listed.
   */
  fieldProblems: ReadonlyMap<string, string>;

  ingest(batch: readonly EngineEvent[]): void;
  flush(realNow?: number): void;
  reset(): void;
  setEngine(engine: AppState["engine"], error?: string | null): void;
  setError(error: string | null): void;
  /**
   * Shows why the form kept Run or Push from starting; the message goes
   * as soon as the form changes.
   */
  refuse(error: string): void;
  setCompileErrors(list: readonly CompileDiagnostic[]): void;
  setFilter(filter: TaskStatus | "All"): void;
  sortBy(key: SortKey): void;
  select(taskId: TaskId | null): void;
  setFollowLive(follow: boolean): void;
  setSettings(change: Partial<Settings>): void;
  setFieldProblem(label: string, problem: string | null): void;
}

export type AppStore = StoreApi<AppState>;

/** The first field problem in words ("Count takes a …"), or null. */
export function fieldProblemText(
  problems: AppState["fieldProblems"],
): string | null {
  const [first] = problems;
  return first ? `${first[0]} takes a ${first[1]}` : null;
}

/** Events folded into the board per frame at most (about 10 ms). */
export const EVENTS_PER_FRAME = 2_500;

export function createAppStore(): AppStore {
  let queue: EngineEvent[] = [];
  // Whether `error` is a refusal of the form's values (see `refuse`).
  let formError = false;
  return createStore<AppState>()((set, get) => ({
    board: createBoard(),
    version: 0,
    engine: "loading",
    error: null,
    compileErrors: [],
    paused: false,
    speed: 1,
    throughput: createThroughput(),
    filter: "All",
    sort: { key: "seq", descending: false },
    selected: null,
    followLive: true,
    settings: defaultSettings,
    fieldProblems: new Map(),

    ingest(batch) {
      for (const event of batch) queue.push(event);
    },
    flush(realNow = performance.now()) {
      const state = get();
      const throughput = sample(state.throughput, realNow, state.board.done);
      if (queue.length === 0) {
        if (throughput !== state.throughput) set({ throughput });
        return;
      }
      // A push of thousands of tasks arrives as one batch; folding it in
      // over a few frames keeps each frame short.
      const batch =
        queue.length > EVENTS_PER_FRAME
          ? queue.slice(0, EVENTS_PER_FRAME)
          : queue;
      queue = batch === queue ? [] : queue.slice(EVENTS_PER_FRAME);
      applyEvents(state.board, batch);
      const next: Partial<AppState> = { version: state.version + 1 };
      for (const event of batch) {
        if (event.type === "engine:state") next.engine = event.state;
        if (event.type === "engine:clock") {
          next.speed = event.speed;
          next.paused = event.paused;
        }
        if (event.type === "compile-error") {
          next.compileErrors = event.diagnostics;
        }
      }
      next.throughput = sample(throughput, realNow, state.board.done);
      set(next);
    },
    reset() {
      queue = [];
      set({
        board: createBoard(),
        version: get().version + 1,
        selected: null,
        throughput: createThroughput(),
      });
    },
    setEngine: (engine, error = null) => set({ engine, error }),
    setError: (error) => {
      formError = false;
      set({ error });
    },
    refuse: (error) => {
      formError = true;
      set({ error });
    },
    setCompileErrors: (compileErrors) => set({ compileErrors }),
    setFilter: (filter) => set({ filter }),
    sortBy(key) {
      const { sort } = get();
      const descending = sort.key === key ? !sort.descending : false;
      set({ sort: { key, descending } });
    },
    select: (selected) => set({ selected }),
    setFollowLive: (followLive) => set({ followLive }),
    setSettings: (change) => {
      const settings = { ...get().settings, ...change };
      set(formError ? { settings, error: null } : { settings });
      formError = false;
    },
    setFieldProblem(label, problem) {
      const current = get().fieldProblems;
      if ((current.get(label) ?? null) === problem) return;
      const fieldProblems = new Map(current);
      if (problem) fieldProblems.set(label, problem);
      else fieldProblems.delete(label);
      set({ fieldProblems });
    },
  }));
}

/**
 * Flushes the store once per display frame. Returns the stop function.
 */
export function flushEveryFrame(
  store: AppStore,
  frame: (callback: (now: number) => void) => number = requestAnimationFrame,
  cancel: (handle: number) => void = cancelAnimationFrame,
): () => void {
  let handle = 0;
  const tick = (now: number) => {
    store.getState().flush(now);
    handle = frame(tick);
  };
  handle = frame(tick);
  return () => cancel(handle);
}
