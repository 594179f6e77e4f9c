/**
 * Every task, one row each: virtualised, so 10,000 rows cost what the
 * visible few cost. Sorting by a column header; filtering by status.
 * A click selects the task for the detail view.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useRef } from "react";
import { TASK_STATUSES } from "../../runtime/contract.ts";
import { useApp } from "../context.tsx";
import { laneLabel } from "../store/lanes.ts";
import type { SortKey } from "../store/store.ts";
import { useThrottled } from "../useThrottled.ts";
import { argsSummary, visibleRows } from "./rows.ts";
import { Time } from "./Time.tsx";

const ROW_HEIGHT = 26;

/** `null`: not sortable. Task ids are ULIDs, so their order is push order. */
const COLUMNS: { key: SortKey | null; label: string }[] = [
  { key: "seq", label: "Task id" },
  { key: null, label: "Args" },
  { key: "status", label: "Status" },
  { key: "attempts", label: "Attempt" },
  { key: "priority", label: "Priority" },
  { key: "runAt", label: "Run at" },
  { key: "lockBy", label: "Lock" },
  { key: "lastError", label: "Last error" },
];

export function TaskTable() {
  const board = useApp((s) => s.board);
  const version = useThrottled(
    useApp((s) => s.version),
    150,
  );
  const filter = useApp((s) => s.filter);
  const sort = useApp((s) => s.sort);
  const selected = useApp((s) => s.selected);
  const setFilter = useApp((s) => s.setFilter);
  const sortBy = useApp((s) => s.sortBy);
  const select = useApp((s) => s.select);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version stands for the board's contents
  const ids = useMemo(
    () => visibleRows(board, filter, sort),
    [board, filter, sort, version],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialRect: { width: 800, height: 300 },
  });

  return (
    <section className="panel tasks" aria-label="Tasks">
      <header className="panel-head">
        <h2>Tasks</h2>
        <label>
          Status{" "}
          <select
            data-testid="status-filter"
            value={filter}
            onChange={(e) => setFilter(e.target.value as typeof filter)}
          >
            <option value="All">All</option>
            {TASK_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">{ids.length} shown</span>
      </header>
      <div className="table">
        <div className="row head">
          {COLUMNS.map(({ key, label }) =>
            key === null ? (
              <span key={label} className="cell">
                {label}
              </span>
            ) : (
              <button
                type="button"
                key={label}
                className="cell"
                onClick={() => sortBy(key)}
                title={`Sort by ${label.toLowerCase()}`}
              >
                {label}
                {sort.key === key ? (sort.descending ? " ▼" : " ▲") : ""}
              </button>
            ),
          )}
        </div>
        <div className="table-body" ref={scroller}>
          <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
            {virtual.getVirtualItems().map((item) => {
              const task = board.tasks.get(ids[item.index] as string);
              if (!task) return null;
              const { context } = task;
              return (
                <button
                  type="button"
                  key={task.id}
                  data-testid="task-row"
                  data-task-id={task.id}
                  data-status={task.status}
                  data-lock-by={context.lockBy ?? ""}
                  className={`row${task.id === selected ? " selected" : ""}`}
                  style={{ transform: `translateY(${item.start}px)` }}
                  onClick={() => select(task.id)}
                >
                  <span className="cell mono">{task.id.slice(-10)}</span>
                  <span className="cell mono">{argsSummary(task.args)}</span>
                  <span className="cell">
                    <span className={`badge s-${task.status}`}>
                      {task.status}
                    </span>
                  </span>
                  <span className="cell num">
                    {task.attempts}/{context.maxAttempts}
                  </span>
                  <span className="cell num" title={String(context.priority)}>
                    {context.priority}
                  </span>
                  <span className="cell mono">
                    <Time ms={context.runAt} now={board.now} />
                  </span>
                  <span className="cell mono" title={context.lockBy ?? ""}>
                    {context.lockBy ? laneLabel(context.lockBy) : ""}
                  </span>
                  <span className="cell error" title={context.lastError ?? ""}>
                    {context.lastError ?? ""}
                  </span>
                </button>
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}
