/**
 * What handlers printed, newest last, with the worker and task of each
 * line; a click on a line opens its task. The task detail shows the
 * same lines per attempt.
 */
import { useApp } from "../context.tsx";
import { laneLabel } from "../store/lanes.ts";
import { useThrottled } from "../useThrottled.ts";

/** Lines drawn at most; the board keeps more. */
const SHOWN = 200;

export function ConsolePanel() {
  const board = useApp((s) => s.board);
  useThrottled(
    useApp((s) => s.version),
    200,
  );
  const select = useApp((s) => s.select);
  const lines = board.console.slice(-SHOWN);

  return (
    <section className="panel console" aria-label="Handler console">
      <header className="panel-head">
        <h2>Console</h2>
        <span className="muted">{board.console.length} lines</span>
      </header>
      <div className="console-lines" data-testid="console">
        {lines.length === 0 && (
          <p className="muted">What handlers print shows here.</p>
        )}
        {lines.map((line, i) => (
          <button
            type="button"
            // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity
            key={board.console.length - lines.length + i}
            className={`console-line ${line.level}`}
            disabled={line.taskId === null}
            onClick={() => line.taskId && select(line.taskId)}
          >
            <span className="muted">
              {line.workerId ? laneLabel(line.workerId) : line.processId}
              {line.taskId && ` ${line.taskId.slice(-6)}#${line.attempt}`}
            </span>{" "}
            {line.text}
          </button>
        ))}
      </div>
    </section>
  );
}
