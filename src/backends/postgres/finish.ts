import type {
  AttemptEnd,
  Clock,
  Finish,
  TaskId,
} from "../../runtime/contract.ts";
import { clampRunAt, cleanError } from "../../runtime/validate.ts";

/** Runs the `finishDone` ("done") or `finish` ("other") statement. */
type RunFinish = (
  kind: "done" | "other",
  params: unknown[],
) => Promise<TaskId[]>;

/**
 * Ends a batch of attempts, fenced, and says for each finish whether it
 * took effect. Per round: successes in one statement, retries and
 * kills in another (only when the round has them).
 */
export async function finishInRounds(
  finishes: readonly Finish[],
  clock: Clock,
  run: RunFinish,
): Promise<boolean[]> {
  const took = new Map<Finish, boolean>();
  for (const round of rounds(finishes)) {
    const now = clock.now();
    const done = round.filter((f) => f.end.kind === "done");
    const others = round.filter((f) => f.end.kind !== "done");
    const ended = new Set<TaskId>();
    if (done.length > 0) {
      for (const id of await run("done", doneParams(done, now))) ended.add(id);
    }
    if (others.length > 0) {
      const params = finishParams(others, now);
      for (const id of await run("other", params)) ended.add(id);
    }
    for (const f of round) took.set(f, ended.has(f.taskId));
  }
  return finishes.map((f) => took.get(f) ?? false);
}

/**
 * Splits a batch so that no task appears twice in one round: the
 * finish statement fences each task once, so a second report of the
 * same task (a stale one beside a live one) must go in a later round.
 */
function rounds(finishes: readonly Finish[]): Finish[][] {
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

/** The parameters of `finishDone` for successes of one round. */
function doneParams(finishes: readonly Finish[], now: number): unknown[] {
  return [
    now,
    finishes.map((f) => f.taskId),
    finishes.map((f) => f.attempt),
    finishes.map((f) => f.workerId),
  ];
}

/** The parameters of `finish` for one round. */
function finishParams(finishes: readonly Finish[], now: number): unknown[] {
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
 * attempt's outcome) and times. Failure text is cleaned and capped
 * here too, so the SQL path never throws on a NUL or a lone surrogate,
 * and an end given straight to `finish` cannot store megabytes.
 */
function storedEnd(end: AttemptEnd, now: number) {
  switch (end.kind) {
    case "done":
      return { status: "Done", error: null, runAt: null, doneAt: now };
    case "retry":
      return {
        status: "Failed",
        error: cleanError(end.error),
        runAt: clampRunAt(end.runAt, now),
        doneAt: null,
      };
    case "kill":
      return {
        status: "Killed",
        error: cleanError(end.error),
        runAt: null,
        doneAt: now,
      };
  }
}
