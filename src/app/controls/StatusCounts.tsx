/**
 * Counts per status (also the legend of the table's badges), the
 * throughput, and the legend of the timeline's marks.
 */
import { TASK_STATUSES } from "../../runtime/contract.ts";
import { useApp } from "../context.tsx";

export function StatusCounts() {
  const counts = useApp((s) => s.board.counts);
  useApp((s) => s.version);
  const perSecond = useApp((s) => s.throughput.perSecond);
  return (
    <div className="counts" title="Tasks by status">
      {TASK_STATUSES.map((status) => (
        <span key={status} className={`count s-${status}`}>
          <span className="swatch" />
          {status}{" "}
          <strong data-testid={`status-count-${status}`}>
            {counts[status]}
          </strong>
        </span>
      ))}
      <span className="count" title="Tasks done per second, last 3 s">
        <strong data-testid="throughput">{perSecond.toFixed(0)}</strong>
        /s
      </span>
    </div>
  );
}

export function Legend() {
  return (
    <div className="legend muted" title="Timeline legend">
      <span className="count o-Done">
        <span className="swatch" /> done
      </span>
      <span className="count o-Failed">
        <span className="swatch" /> failed
      </span>
      <span className="count o-Killed">
        <span className="swatch" /> killed
      </span>
      <span className="count o-Lost">
        <span className="swatch" /> lost (worker died)
      </span>
      <span className="count o-Running">
        <span className="swatch" /> running
      </span>
      <span>- - - backoff wait</span>
      <span>╱ next attempt</span>
      <span>● lock hand-over</span>
    </div>
  );
}
