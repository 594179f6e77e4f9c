/**
 * The timeline's lane labels: one per worker instance, with the kill
 * button of the process running it while that process lives.
 */
import { useApp, useSession } from "../context.tsx";
import { PROCESS_END_TEXT } from "../store/board.ts";
import { laneLabel } from "../store/lanes.ts";
import { LANE_HEIGHT } from "./draw.ts";

export function LaneLabels() {
  const board = useApp((s) => s.board);
  useApp((s) => s.version);
  const session = useSession();
  return (
    <div className="lanes">
      {[...board.workers.values()].map((lane) => {
        const process = lane.processId
          ? board.processes.get(lane.processId)
          : undefined;
        const alive = lane.state === "running" && process?.state !== "ended";
        return (
          <div
            key={lane.id}
            className={`lane-label ${lane.state}`}
            data-testid="worker-lane"
            data-worker-id={lane.id}
            data-process-id={lane.processId ?? ""}
            data-state={lane.state}
            style={{ height: LANE_HEIGHT }}
            title={
              process?.end
                ? `${lane.id}: ${PROCESS_END_TEXT[process.end]}`
                : lane.id
            }
          >
            <span className="mono">{laneLabel(lane.id)}</span>
            {alive && lane.processId && (
              <button
                type="button"
                data-testid="kill-worker"
                title={`Terminate ${lane.processId} now, like a crashed machine`}
                onClick={() => session?.killWorker(lane.processId as string)}
              >
                Kill
              </button>
            )}
            {!alive && <span className="muted">{lane.state}</span>}
          </div>
        );
      })}
      {board.workers.size === 0 && (
        <p className="muted">Workers appear here when you press Run.</p>
      )}
    </div>
  );
}
