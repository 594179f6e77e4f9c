/**
 * Worker instances and the processes that run them: the timeline's
 * lanes. A process (one sandboxed handler worker, a "machine") starts,
 * reports its worker instances when its file has loaded, and ends:
 * stopped, killed, unresponsive or crashed. An instance's lane stays on
 * the timeline after it ends, so the hand-over of its tasks stays
 * visible.
 */
import type { EngineEvent, ProcessEnd } from "../../engine/protocol.ts";

export interface Lane {
  /** The runtime's worker instance id. */
  readonly id: string;
  readonly name: string;
  /** The process running it, when known. */
  processId: string | null;
  readonly startedAt: number;
  stoppedAt: number | null;
  state: "running" | "stopped" | "killed";
}

export interface ProcessView {
  readonly id: string;
  workerIds: string[];
  state: "starting" | "ready" | "ended";
  end: ProcessEnd | null;
  detail: string | null;
}

export interface Lanes {
  readonly workers: Map<string, Lane>;
  readonly processes: Map<string, ProcessView>;
}

export function createLanes(): Lanes {
  return { workers: new Map(), processes: new Map() };
}

/** Instance ids are `<processId>:<...>`; the prefix names the process. */
export function processOfWorker(workerId: string): string | null {
  const colon = workerId.indexOf(":");
  return colon > 0 ? workerId.slice(0, colon) : null;
}

/**
 * A short name for a lane: "p2 email_worker" for the instance id
 * "p2:email_worker-01J…" (the ULID makes it unique, not readable).
 */
export function laneLabel(workerId: string): string {
  const process = processOfWorker(workerId);
  const rest = process ? workerId.slice(process.length + 1) : workerId;
  const name = rest.replace(/-[0-9A-HJKMNP-TV-Z]{26}$/, "");
  return process ? `${process} ${name}` : name;
}

export function applyLaneEvent(lanes: Lanes, event: EngineEvent) {
  switch (event.type) {
    case "worker:started": {
      if (lanes.workers.has(event.workerId)) return;
      lanes.workers.set(event.workerId, {
        id: event.workerId,
        name: event.name,
        processId: processOfWorker(event.workerId),
        startedAt: event.at,
        stoppedAt: null,
        state: "running",
      });
      return;
    }
    case "worker:stopped": {
      const lane = lanes.workers.get(event.workerId);
      if (lane && lane.stoppedAt === null) {
        lane.stoppedAt = event.at;
        lane.state = "stopped";
      }
      return;
    }
    case "process:started":
      lanes.processes.set(event.processId, {
        id: event.processId,
        workerIds: [],
        state: "starting",
        end: null,
        detail: null,
      });
      return;
    case "process:ready": {
      const process = lanes.processes.get(event.processId);
      if (process) {
        process.state = "ready";
        process.workerIds = [...event.workerIds];
      }
      for (const id of event.workerIds) {
        const lane = lanes.workers.get(id);
        if (lane) lane.processId = event.processId;
        else {
          lanes.workers.set(id, {
            id,
            name: id,
            processId: event.processId,
            startedAt: event.at,
            stoppedAt: null,
            state: "running",
          });
        }
      }
      return;
    }
    case "process:ended": {
      const process = lanes.processes.get(event.processId);
      if (process) {
        process.state = "ended";
        process.end = event.end;
        process.detail = event.detail;
      }
      for (const lane of lanes.workers.values()) {
        if (lane.processId !== event.processId || lane.stoppedAt !== null) {
          continue;
        }
        lane.stoppedAt = event.at;
        lane.state = event.end === "stopped" ? "stopped" : "killed";
      }
      return;
    }
    default:
      return;
  }
}
