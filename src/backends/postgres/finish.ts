import type { AttemptEnd, Finish, TaskId } from "../../runtime/contract.ts";
import { clampRunAt, cleanText } from "../../runtime/validate.ts";

/**
 * Splits a batch so that no task appears twice in one round: the
 * finish statement fences each task once, so a second report of the
 * same task (a stale one beside a live one) must go in a later round.
 */
export function rounds(finishes: readonly Finish[]): Finish[][] {
  const result: Finish[][] = [];
  const times = new Map<TaskId, number>();
  for (const finish of finishes) {
    const round = times.get(finish.taskId) ?? 0;
    times.set(finish.taskId, round + 1);
    if (round === result.length) result.push([]);
    result[round]?.push(finish);
  }
  return result;
}

/** The parameters of the finish statement for one round. */
export function finishParams(
  finishes: readonly Finish[],
  now: number,
): unknown[] {
  const ends = finishes.map((f) => storedEnd(f.end, now));
  return [
    now,
    finishes.map((f) => f.taskId),
    finishes.map((f) => f.attempt),
    finishes.map((f) => f.workerId),
    ends.map((e) => e.status),
    ends.map((e) => e.error),
    ends.map((e) => e.runAt),
    ends.map((e) => e.doneAt),
  ];
}

/**
 * What one attempt end writes: the task's new status (also the
 * attempt's outcome) and times. Failure text is cleaned here too, so
 * the SQL path never throws on a NUL or a lone surrogate.
 */
function storedEnd(end: AttemptEnd, now: number) {
  switch (end.kind) {
    case "done":
      return { status: "Done", error: null, runAt: null, doneAt: now };
    case "retry":
      return {
        status: "Failed",
        error: cleanText(end.error),
        runAt: clampRunAt(end.runAt, now),
        doneAt: null,
      };
    case "kill":
      return {
        status: "Killed",
        error: cleanText(end.error),
        runAt: null,
        doneAt: now,
      };
  }
}
