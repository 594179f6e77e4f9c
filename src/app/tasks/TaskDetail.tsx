/**
 * One task in full: its args, the context its handler saw at each
 * attempt, how each attempt ended and took, and what the handler
 * printed for it.
 */
import type { ReactNode } from "react";
import type { StoredContext } from "../../runtime/contract.ts";
import { useApp } from "../context.tsx";
import { Time } from "./Time.tsx";

export function TaskDetail() {
  const board = useApp((s) => s.board);
  useApp((s) => s.version);
  const selected = useApp((s) => s.selected);
  const select = useApp((s) => s.select);
  const task = selected ? board.tasks.get(selected) : undefined;

  if (!task) {
    return (
      <section className="panel detail" aria-label="Task detail">
        <header className="panel-head">
          <h2>Task</h2>
        </header>
        <p className="muted">Select a task in the table or on the timeline.</p>
      </section>
    );
  }
  const attempts = board.attempts.get(task.id) ?? [];
  const seen = board.seen.get(task.id);
  const logs = board.logs.get(task.id) ?? [];

  return (
    <section
      className="panel detail"
      aria-label="Task detail"
      data-testid="task-detail"
    >
      <header className="panel-head">
        <h2>
          Task <span className="mono">{task.id}</span>
        </h2>
        <span className={`badge s-${task.status}`}>{task.status}</span>
        <button type="button" onClick={() => select(null)}>
          Close
        </button>
      </header>
      <h3>Args</h3>
      <pre className="code">{JSON.stringify(task.args, null, 2)}</pre>
      <h3>Context now</h3>
      <ContextTable context={task.context} now={board.now} />
      <h3>Attempts</h3>
      {attempts.length === 0 && <p className="muted">Not started yet.</p>}
      <ol className="attempts">
        {attempts.map((a) => {
          const context = seen?.get(a.attempt);
          const lines = logs.filter((l) => l.attempt === a.attempt);
          return (
            <li key={a.attempt} data-testid="attempt">
              <div>
                <strong>#{a.attempt}</strong> on{" "}
                <span className="mono">{a.workerId}</span> at{" "}
                <Time ms={a.startedAt} now={board.now} />:{" "}
                <span className={`badge o-${a.outcome ?? "Running"}`}>
                  {a.outcome ?? "running"}
                </span>
                {a.endedAt !== null && ` after ${a.endedAt - a.startedAt} ms`}
              </div>
              {a.error && <div className="error">{a.error}</div>}
              {context && (
                <details>
                  <summary>Context the handler saw</summary>
                  <ContextTable context={context} now={board.now} />
                </details>
              )}
              {lines.length > 0 && (
                <pre className="code console">
                  {lines.map((l) => `[${l.level}] ${l.text}`).join("\n")}
                </pre>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function ContextTable(props: { context: StoredContext; now: number }) {
  const { context, now } = props;
  const time = (ms: number | null) =>
    ms === null ? "null" : <Time ms={ms} now={now} />;
  const rows: [string, ReactNode][] = [
    ["runAt", time(context.runAt)],
    ["maxAttempts", context.maxAttempts],
    ["priority", context.priority],
    ["lastError", context.lastError ?? "null"],
    ["lockBy", context.lockBy ?? "null"],
    ["lockAt", time(context.lockAt)],
    ["doneAt", time(context.doneAt)],
  ];
  return (
    <table className="context">
      <tbody>
        {rows.map(([key, value]) => (
          <tr key={key}>
            <th scope="row" className="mono">
              {key}
            </th>
            <td className="mono">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
