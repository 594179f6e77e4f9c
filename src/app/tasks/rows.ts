/**
 * The task table's rows: the board's tasks filtered by status and
 * sorted. Push order needs no sort, which keeps the common case cheap
 * while thousands of tasks change every frame.
 */
import type { Json, TaskId } from "../../runtime/contract.ts";
import type { Board, TaskRow } from "../store/board.ts";
import type { AppState, SortKey } from "../store/store.ts";

type Compare = (a: TaskRow, b: TaskRow) => number;

const byText = (pick: (t: TaskRow) => string | null): Compare => {
  return (a, b) => (pick(a) ?? "").localeCompare(pick(b) ?? "");
};

const COMPARE: Record<Exclude<SortKey, "seq">, Compare> = {
  status: byText((t) => t.status),
  attempts: (a, b) => a.attempts - b.attempts,
  priority: (a, b) => a.context.priority - b.context.priority,
  runAt: (a, b) => a.context.runAt - b.context.runAt,
  lockBy: byText((t) => t.context.lockBy),
  lastError: byText((t) => t.context.lastError),
};

export function visibleRows(
  board: Board,
  filter: AppState["filter"],
  sort: AppState["sort"],
): TaskId[] {
  let ids = board.order;
  if (filter !== "All") {
    ids = ids.filter((id) => board.tasks.get(id)?.status === filter);
  }
  if (sort.key === "seq") {
    return sort.descending ? [...ids].reverse() : ids;
  }
  const compare = COMPARE[sort.key];
  const rows = ids.map((id) => board.tasks.get(id) as TaskRow);
  rows.sort(sort.descending ? (a, b) => compare(b, a) : compare);
  return rows.map((row) => row.id);
}

/** A short, one-line view of a task's args for the table. */
export function argsSummary(args: Json, limit = 60): string {
  const text = JSON.stringify(args) ?? "";
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
