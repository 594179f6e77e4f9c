import { describe, expect, it } from "vitest";
import { eventsFromChanges } from "../../src/engine/change-events.ts";
import type { RowChange } from "../../src/engine/protocol.ts";
import type {
  AttemptRecord,
  Json,
  TaskRecord,
} from "../../src/runtime/contract.ts";

const task = (
  over: Partial<TaskRecord<Json>> = {},
  context = {},
): TaskRecord<Json> => ({
  id: "t1",
  queue: "email",
  args: {},
  status: "Pending",
  attempts: 0,
  createdAt: 1_000,
  ...over,
  context: {
    runAt: 1_000,
    maxAttempts: 3,
    lastError: null,
    lockAt: null,
    lockBy: null,
    doneAt: null,
    priority: 0,
    ...context,
  },
});

const attempt = (over: Partial<AttemptRecord> = {}): AttemptRecord => ({
  taskId: "t1",
  attempt: 1,
  workerId: "p1:email-01",
  startedAt: 2_000,
  endedAt: null,
  outcome: null,
  error: null,
  ...over,
});

const types = (changes: RowChange[]) =>
  eventsFromChanges(changes, 9_000).map((e) => e.type);

describe("eventsFromChanges", () => {
  it("reports a new task row as pushed, with the row itself", () => {
    expect(types([{ kind: "task", task: task(), before: null }])).toEqual([
      "task:row",
      "task:pushed",
    ]);
  });

  it("reports an opened attempt as locked and started by its worker", () => {
    const events = eventsFromChanges(
      [{ kind: "attempt", attempt: attempt(), before: null }],
      9_000,
    );
    expect(events.slice(1)).toEqual([
      {
        type: "task:locked",
        at: 2_000,
        taskId: "t1",
        attempt: 1,
        workerId: "p1:email-01",
      },
      {
        type: "task:started",
        at: 2_000,
        taskId: "t1",
        attempt: 1,
        workerId: "p1:email-01",
      },
    ]);
  });

  it("reports a failed attempt and the retry its task row schedules", () => {
    const ended = attempt({ endedAt: 2_500, outcome: "Failed", error: "busy" });
    const events = eventsFromChanges(
      [
        { kind: "attempt", attempt: ended, before: attempt() },
        {
          kind: "task",
          task: task(
            { status: "Failed", attempts: 1 },
            { runAt: 12_000, lastError: "busy" },
          ),
          before: task(
            { status: "Running", attempts: 1 },
            { lockBy: "p1:email-01", lockAt: 2_000 },
          ),
        },
      ],
      9_000,
    );
    expect(events.filter((e) => !e.type.endsWith(":row"))).toEqual([
      {
        type: "task:failed",
        at: 2_500,
        taskId: "t1",
        attempt: 1,
        workerId: "p1:email-01",
        error: "busy",
        durationMs: 500,
      },
      {
        type: "task:retry-scheduled",
        at: 9_000,
        taskId: "t1",
        attempt: 1,
        runAt: 12_000,
        delayMs: 3_000,
      },
    ]);
  });

  it("reports a lost attempt as an orphan recovered from its worker", () => {
    const lost = attempt({
      endedAt: 3_000,
      outcome: "Lost",
      error: "worker lost",
    });
    expect(
      types([{ kind: "attempt", attempt: lost, before: attempt() }]),
    ).toEqual(["attempt:row", "task:orphan-recovered"]);
  });

  it("reports nothing more for a row rewritten without a change of status", () => {
    const running = task(
      { status: "Running", attempts: 1 },
      { lockBy: "w", lockAt: 2 },
    );
    expect(types([{ kind: "task", task: running, before: running }])).toEqual([
      "task:row",
    ]);
  });
});
