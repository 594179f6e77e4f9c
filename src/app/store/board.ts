/**
 * The board: every task, attempt, worker instance and process the page
 * has seen, rebuilt from the engine's event batches. `applyEvents` folds
 * one batch into the board in place; it is the only place where the
 * page's idea of a task changes.
 *
 * Task and attempt rows (`task:row`, `attempt:row`) come from the
 * database and replace what the board held: they are the truth, and a
 * task's status is whatever its latest row says. The runtime's events
 * add what rows do not keep: backoff waits and lock hand-overs. Process
 * notices tie worker instances to the process (the "machine") that runs
 * them, so a lane can be killed.
 */
import type {
  ConsoleLine,
  EngineEvent,
  ProcessEnd,
} from "../../engine/protocol.ts";
import type {
  AttemptRecord,
  Json,
  StoredContext,
  TaskId,
  TaskRecord,
  TaskStatus,
} from "../../runtime/contract.ts";
import { applyLaneEvent, createLanes, type Lanes } from "./lanes.ts";

export type TaskRow = TaskRecord<Json>;

/** A wait between a failed attempt and the task's next run time. */
export interface Backoff {
  readonly taskId: TaskId;
  readonly attempt: number;
  readonly from: number;
  readonly until: number;
}

/** A lock taken back from a dead worker instance by another one. */
export interface HandOver {
  readonly taskId: TaskId;
  readonly attempt: number;
  readonly lostBy: string;
  readonly recoveredBy: string;
  readonly at: number;
}

export type LogLine = ConsoleLine & { readonly processId: string };

/** Console lines kept for the whole run, oldest dropped first. */
const CONSOLE_LIMIT = 2_000;

export interface Board extends Lanes {
  readonly tasks: Map<TaskId, TaskRow>;
  /** Task ids in the order the page first saw them. */
  readonly order: TaskId[];
  /** Each task's attempts, by attempt number. */
  readonly attempts: Map<TaskId, AttemptRecord[]>;
  /** Every attempt, for drawing; replaced in place when a row changes. */
  readonly bars: AttemptRecord[];
  /** Where each attempt sits in `bars`, by `taskId:attempt`. */
  readonly barIndex: Map<string, number>;
  readonly backoffs: Backoff[];
  readonly handOvers: HandOver[];
  readonly logs: Map<TaskId, LogLine[]>;
  /**
   * The context each attempt's handler saw: the task's row right after
   * the claim that started the attempt, by attempt number.
   */
  readonly seen: Map<TaskId, Map<number, StoredContext>>;
  readonly console: LogLine[];
  readonly counts: Record<TaskStatus, number>;
  /** Attempts that ended Done, in all. */
  done: number;
  /** The latest clock time seen in any event. */
  now: number;
  /** The earliest clock time seen: where the timeline starts. */
  start: number | null;
}

export function createBoard(): Board {
  return {
    ...createLanes(),
    tasks: new Map(),
    order: [],
    attempts: new Map(),
    bars: [],
    barIndex: new Map(),
    backoffs: [],
    handOvers: [],
    logs: new Map(),
    seen: new Map(),
    console: [],
    counts: { Pending: 0, Running: 0, Done: 0, Failed: 0, Killed: 0 },
    done: 0,
    now: 0,
    start: null,
  };
}

export function applyEvents(board: Board, batch: readonly EngineEvent[]) {
  for (const event of batch) {
    if (event.at > 0) {
      board.now = Math.max(board.now, event.at);
      board.start = Math.min(board.start ?? event.at, event.at);
    }
    applyEvent(board, event);
  }
}

function applyEvent(board: Board, event: EngineEvent) {
  switch (event.type) {
    case "task:row":
      return putTask(board, event.task);
    case "attempt:row":
      return putAttempt(board, event.attempt);
    case "task:retry-scheduled":
      board.backoffs.push({
        taskId: event.taskId,
        attempt: event.attempt,
        from: event.at,
        until: event.runAt,
      });
      return;
    case "task:orphan-recovered":
      board.handOvers.push({
        taskId: event.taskId,
        attempt: event.attempt,
        lostBy: event.lostBy,
        recoveredBy: event.recoveredBy,
        at: event.at,
      });
      return;
    case "console": {
      const { type: _, ...line } = event;
      board.console.push(line);
      if (board.console.length > CONSOLE_LIMIT) board.console.shift();
      if (line.taskId === null) return;
      const list = board.logs.get(line.taskId);
      if (list) list.push(line);
      else board.logs.set(line.taskId, [line]);
      return;
    }
    default:
      applyLaneEvent(board, event);
  }
}

function putTask(board: Board, row: TaskRow) {
  const before = board.tasks.get(row.id);
  if (before) board.counts[before.status]--;
  else board.order.push(row.id);
  board.counts[row.status]++;
  board.tasks.set(row.id, row);
  if (row.status === "Running" && row.attempts > 0) {
    let seen = board.seen.get(row.id);
    if (!seen) {
      seen = new Map();
      board.seen.set(row.id, seen);
    }
    if (!seen.has(row.attempts)) seen.set(row.attempts, row.context);
  }
  board.start = Math.min(board.start ?? row.createdAt, row.createdAt);
}

function putAttempt(board: Board, row: AttemptRecord) {
  let list = board.attempts.get(row.taskId);
  if (!list) {
    list = [];
    board.attempts.set(row.taskId, list);
  }
  const index = list.findIndex((a) => a.attempt === row.attempt);
  const before = index >= 0 ? list[index] : undefined;
  const key = `${row.taskId}:${row.attempt}`;
  if (before) list[index] = row;
  else {
    list.push(row);
    list.sort((a, b) => a.attempt - b.attempt);
  }
  const bar = board.barIndex.get(key);
  if (bar === undefined) {
    board.barIndex.set(key, board.bars.length);
    board.bars.push(row);
  } else board.bars[bar] = row;
  if (row.outcome === "Done" && before?.outcome !== "Done") board.done++;
  board.now = Math.max(board.now, row.endedAt ?? row.startedAt);
  board.start = Math.min(board.start ?? row.startedAt, row.startedAt);
  if (!board.workers.has(row.workerId)) {
    applyLaneEvent(board, {
      type: "worker:started",
      at: row.startedAt,
      workerId: row.workerId,
      name: row.workerId,
      queue: "",
    });
  }
}

/** Why a process ended, as the lane shows it. */
export const PROCESS_END_TEXT: Record<ProcessEnd, string> = {
  stopped: "stopped",
  killed: "killed",
  unresponsive: "stopped: it did not answer (a handler that never yields?)",
  crashed: "crashed",
};
