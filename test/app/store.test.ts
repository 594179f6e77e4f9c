import { describe, expect, it } from "vitest";
import { applyEvents, createBoard } from "../../src/app/store/board.ts";
import { laneLabel } from "../../src/app/store/lanes.ts";
import {
  createAppStore,
  EVENTS_PER_FRAME,
  flushEveryFrame,
} from "../../src/app/store/store.ts";
import { createThroughput, sample } from "../../src/app/store/throughput.ts";
import { attemptRow, T0, taskRow } from "./fakeEngine.ts";

describe("board", () => {
  it("counts each task once, under the status of its latest row", () => {
    const board = createBoard();
    applyEvents(board, [taskRow("a", "Pending"), taskRow("b", "Pending")]);
    applyEvents(board, [taskRow("a", "Running"), taskRow("a", "Done")]);
    expect(board.counts).toEqual({
      Pending: 1,
      Running: 0,
      Done: 1,
      Failed: 0,
      Killed: 0,
    });
    expect(board.order).toEqual(["a", "b"]);
  });

  it("replaces an attempt row by task and attempt, and counts Done once", () => {
    const board = createBoard();
    applyEvents(board, [attemptRow("a", 1, "p1:w")]);
    applyEvents(board, [
      attemptRow("a", 1, "p1:w", { endedAt: T0 + 300, outcome: "Done" }),
      attemptRow("a", 1, "p1:w", { endedAt: T0 + 300, outcome: "Done" }),
    ]);
    expect(board.bars).toHaveLength(1);
    expect(board.bars[0]?.outcome).toBe("Done");
    expect(board.attempts.get("a")).toHaveLength(1);
    expect(board.done).toBe(1);
  });

  it("opens a lane for a worker first seen in an attempt row", () => {
    const board = createBoard();
    applyEvents(board, [attemptRow("a", 1, "p2:email-1")]);
    expect(board.workers.get("p2:email-1")?.processId).toBe("p2");
  });

  it("keeps the context each attempt's handler saw", () => {
    const board = createBoard();
    applyEvents(board, [
      taskRow("a", "Running", {
        attempts: 1,
        context: { lockBy: "p1:w", lastError: null },
      }),
      taskRow("a", "Failed", { attempts: 1, context: { lastError: "boom" } }),
      taskRow("a", "Running", {
        attempts: 2,
        context: { lockBy: "p2:w", lastError: "boom" },
      }),
    ]);
    const seen = board.seen.get("a");
    expect(seen?.get(1)?.lockBy).toBe("p1:w");
    expect(seen?.get(2)?.lastError).toBe("boom");
  });

  it("records backoff waits and lock hand-overs from runtime events", () => {
    const board = createBoard();
    applyEvents(board, [
      {
        type: "task:retry-scheduled",
        at: T0,
        taskId: "a",
        attempt: 1,
        runAt: T0 + 500,
        delayMs: 500,
      },
      {
        type: "task:orphan-recovered",
        at: T0 + 900,
        taskId: "b",
        attempt: 1,
        lostBy: "p1:w",
        recoveredBy: "p2:w",
        status: "Failed",
      },
    ]);
    expect(board.backoffs).toEqual([
      { taskId: "a", attempt: 1, from: T0, until: T0 + 500 },
    ]);
    expect(board.handOvers[0]).toMatchObject({
      lostBy: "p1:w",
      recoveredBy: "p2:w",
    });
  });

  it("marks the lanes of a killed process as killed", () => {
    const board = createBoard();
    applyEvents(board, [
      { type: "process:started", at: T0, processId: "p1" },
      {
        type: "worker:started",
        at: T0,
        workerId: "p1:email-1",
        name: "email",
        queue: "email",
      },
      {
        type: "process:ready",
        at: T0,
        processId: "p1",
        workerIds: ["p1:email-1"],
      },
      {
        type: "process:ended",
        at: T0 + 10,
        processId: "p1",
        end: "killed",
        detail: null,
      },
    ]);
    expect(board.workers.get("p1:email-1")?.state).toBe("killed");
    expect(board.processes.get("p1")?.end).toBe("killed");
  });

  it("files console lines under their task, and all of them in the console", () => {
    const board = createBoard();
    const line = {
      at: T0,
      level: "info" as const,
      taskId: "a",
      attempt: 1,
      workerId: "p1:w",
      processId: "p1",
    };
    applyEvents(board, [
      { type: "console", ...line, text: "sending" },
      { type: "console", ...line, taskId: null, attempt: null, text: "boot" },
    ]);
    expect(board.logs.get("a")?.map((l) => l.text)).toEqual(["sending"]);
    expect(board.console).toHaveLength(2);
  });
});

describe("lane labels", () => {
  it("name the process and the worker, without the instance's ULID", () => {
    expect(laneLabel("p2:email_worker-01M8YP658JXPAR1V28TAY4ZECG")).toBe(
      "p2 email_worker",
    );
    expect(laneLabel("solo")).toBe("solo");
  });
});

describe("app store", () => {
  it("applies queued batches only when flushed, once per flush", () => {
    const store = createAppStore();
    store.getState().ingest([taskRow("a", "Pending")]);
    store.getState().ingest([taskRow("b", "Pending")]);
    expect(store.getState().board.tasks.size).toBe(0);
    const before = store.getState().version;
    store.getState().flush(0);
    expect(store.getState().board.tasks.size).toBe(2);
    expect(store.getState().version).toBe(before + 1);
    store.getState().flush(16);
    expect(store.getState().version).toBe(before + 1);
  });

  it("spreads a huge batch over several frames, in order", () => {
    const store = createAppStore();
    const batch = Array.from({ length: EVENTS_PER_FRAME + 10 }, (_, i) =>
      taskRow(`t${i}`, "Pending"),
    );
    store.getState().ingest(batch);
    store.getState().flush(0);
    expect(store.getState().board.tasks.size).toBe(EVENTS_PER_FRAME);
    store.getState().flush(16);
    expect(store.getState().board.order.at(-1)).toBe(
      `t${EVENTS_PER_FRAME + 9}`,
    );
  });

  it("mirrors the engine's state, clock and compile errors", () => {
    const store = createAppStore();
    store.getState().ingest([
      { type: "engine:state", at: 0, state: "running" },
      { type: "engine:clock", at: 0, speed: 10, paused: true },
      {
        type: "compile-error",
        at: 0,
        diagnostics: [{ message: "';' expected", line: 2, column: 5 }],
      },
    ]);
    store.getState().flush(0);
    const state = store.getState();
    expect(state.engine).toBe("running");
    expect(state.speed).toBe(10);
    expect(state.paused).toBe(true);
    expect(state.compileErrors[0]?.line).toBe(2);
  });

  it("flushes on animation frames until stopped", () => {
    const store = createAppStore();
    const frames: ((now: number) => void)[] = [];
    const stop = flushEveryFrame(
      store,
      (callback) => frames.push(callback),
      () => {},
    );
    store.getState().ingest([taskRow("a", "Pending")]);
    frames.shift()?.(16);
    expect(store.getState().board.tasks.size).toBe(1);
    stop();
  });

  it("sorts by a column, and again the other way", () => {
    const store = createAppStore();
    store.getState().sortBy("priority");
    expect(store.getState().sort).toEqual({
      key: "priority",
      descending: false,
    });
    store.getState().sortBy("priority");
    expect(store.getState().sort).toEqual({
      key: "priority",
      descending: true,
    });
  });
});

describe("throughput", () => {
  it("is tasks done per second over the window", () => {
    let t = createThroughput();
    t = sample(t, 0, 0);
    t = sample(t, 1000, 50);
    t = sample(t, 2000, 100);
    expect(t.perSecond).toBe(50);
  });

  it("ignores samples that come too soon", () => {
    const t = sample(createThroughput(), 0, 0);
    expect(sample(t, 10, 5)).toBe(t);
  });
});
