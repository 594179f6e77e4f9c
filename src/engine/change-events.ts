import type { RuntimeEvent } from "../runtime/contract.ts";
import type { EngineEvent, RowChange } from "./protocol.ts";

/**
 * Turns the database's change feed into the events the views draw: the
 * new rows themselves (`task:row`, `attempt:row`) and the runtime events
 * they prove. Every event here comes from a row the runtime wrote, never
 * from what a handler worker said, so a handler cannot fake one.
 * `now` stamps events whose row carries no time of its own.
 */
export function eventsFromChanges(
  changes: readonly RowChange[],
  now: number,
): EngineEvent[] {
  const events: EngineEvent[] = [];
  const add = (event: RuntimeEvent) => events.push(event);
  for (const change of changes) {
    if (change.kind === "task") {
      const { task, before } = change;
      events.push({ type: "task:row", at: now, task });
      if (!before) {
        add({
          type: "task:pushed",
          at: task.createdAt,
          taskId: task.id,
          queue: task.queue,
          runAt: task.context.runAt,
          priority: task.context.priority,
        });
        continue;
      }
      if (before.status === task.status) continue;
      const ids = { taskId: task.id, attempt: task.attempts };
      if (task.status === "Failed") {
        add({
          type: "task:retry-scheduled",
          at: now,
          ...ids,
          runAt: task.context.runAt,
          delayMs: Math.max(0, task.context.runAt - now),
        });
      } else if (task.status === "Killed") {
        add({
          type: "task:killed",
          at: task.context.doneAt ?? now,
          ...ids,
          reason: task.context.lastError ?? "killed",
        });
      } else if (
        task.status === "Pending" &&
        before.status === "Running" &&
        before.context.lockBy
      ) {
        add({
          type: "task:released",
          at: now,
          taskId: task.id,
          attempt: before.attempts,
          workerId: before.context.lockBy,
        });
      }
    } else if (change.kind === "attempt") {
      const { attempt: a, before } = change;
      events.push({ type: "attempt:row", at: now, attempt: a });
      const ids = {
        taskId: a.taskId,
        attempt: a.attempt,
        workerId: a.workerId,
      };
      if (!before) {
        add({ type: "task:locked", at: a.startedAt, ...ids });
        add({ type: "task:started", at: a.startedAt, ...ids });
        continue;
      }
      if (before.outcome !== null || a.outcome === null) continue;
      const at = a.endedAt ?? now;
      const durationMs = Math.max(0, at - a.startedAt);
      if (a.outcome === "Done") {
        add({ type: "task:succeeded", at, ...ids, durationMs });
      } else if (a.outcome === "Lost") {
        add({
          type: "task:orphan-recovered",
          at,
          taskId: a.taskId,
          attempt: a.attempt,
          lostBy: a.workerId,
          recoveredBy: "",
          status: "Failed",
        });
      } else {
        add({
          type: "task:failed",
          at,
          ...ids,
          error: a.error ?? "",
          durationMs,
        });
      }
    } else if (change.stoppedAt !== null) {
      add({
        type: "worker:stopped",
        at: change.stoppedAt,
        workerId: change.workerId,
        released: 0,
      });
    }
  }
  return events;
}
