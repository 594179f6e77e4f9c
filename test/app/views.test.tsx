import {
  act,
  cleanup,
  fireEvent,
  screen,
  waitFor,
} from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ConsolePanel } from "../../src/app/console/ConsolePanel.tsx";
import { PushControls } from "../../src/app/controls/PushControls.tsx";
import { RunBar } from "../../src/app/controls/RunBar.tsx";
import { StatusCounts } from "../../src/app/controls/StatusCounts.tsx";
import { SqlConsole } from "../../src/app/sql/SqlConsole.tsx";
import { TaskDetail } from "../../src/app/tasks/TaskDetail.tsx";
import { TaskTable } from "../../src/app/tasks/TaskTable.tsx";
import { Timeline } from "../../src/app/timeline/Timeline.tsx";
import type { EngineEvent } from "../../src/engine/protocol.ts";
import { attemptRow, T0, taskRow } from "./fakeEngine.ts";
import { renderView } from "./render.tsx";

afterEach(cleanup);

const rows = () => screen.queryAllByTestId("task-row");
const DAY = 86_400_000;

describe("task table", () => {
  it("shows each task with its status and id as test hooks", () => {
    renderView(<TaskTable />, [
      taskRow("01A", "Done"),
      taskRow("01B", "Failed"),
    ]);
    expect(rows().map((r) => [r.dataset.taskId, r.dataset.status])).toEqual([
      ["01A", "Done"],
      ["01B", "Failed"],
    ]);
  });

  it("filters by status", () => {
    renderView(<TaskTable />, [
      taskRow("01A", "Done"),
      taskRow("01B", "Failed"),
    ]);
    fireEvent.change(screen.getByTestId("status-filter"), {
      target: { value: "Failed" },
    });
    expect(rows().map((r) => r.dataset.taskId)).toEqual(["01B"]);
  });

  it("sorts by priority when its header is clicked, then the other way", () => {
    renderView(<TaskTable />, [
      taskRow("01A", "Pending", { context: { priority: 5 } }),
      taskRow("01B", "Pending", { context: { priority: 1 } }),
      taskRow("01C", "Pending", { context: { priority: 9 } }),
    ]);
    fireEvent.click(screen.getByRole("button", { name: /^Priority/ }));
    expect(rows().map((r) => r.dataset.taskId)).toEqual(["01B", "01A", "01C"]);
    fireEvent.click(screen.getByRole("button", { name: /^Priority/ }));
    expect(rows().map((r) => r.dataset.taskId)).toEqual(["01C", "01A", "01B"]);
  });

  it("renders only the visible rows of 10,000 tasks", () => {
    const batch = Array.from({ length: 10_000 }, (_, i) =>
      taskRow(`T${String(i).padStart(5, "0")}`, "Pending"),
    );
    renderView(<TaskTable />, batch);
    expect(screen.getByText("10000 shown")).toBeTruthy();
    expect(rows().length).toBeGreaterThan(0);
    expect(rows().length).toBeLessThan(60);
  });

  it("shows the date of a run time on another day, the whole time on hover", () => {
    renderView(<TaskTable />, [
      taskRow("01A", "Pending", { context: { runAt: T0 + 1_500 } }),
      taskRow("01B", "Pending", { context: { runAt: T0 + 400 * DAY } }),
    ]);
    const runAt = (id: string) =>
      screen
        .getAllByTestId("task-row")
        .find((r) => r.dataset.taskId === id)
        ?.querySelector("time");
    expect(runAt("01A")?.textContent).toBe("00:00:01.500");
    expect(runAt("01B")?.textContent).toBe("2031-02-05 00:00");
    expect(runAt("01B")?.title).toBe("2031-02-05T00:00:00.000Z");
  });

  it("selects a task for the detail view", () => {
    const { store } = renderView(<TaskTable />, [taskRow("01A", "Done")]);
    fireEvent.click(rows()[0] as HTMLElement);
    expect(store.getState().selected).toBe("01A");
  });
});

describe("status counts", () => {
  it("shows the number of tasks in every status", () => {
    renderView(<StatusCounts />, [
      taskRow("a", "Done"),
      taskRow("b", "Done"),
      taskRow("c", "Killed"),
    ]);
    expect(screen.getByTestId("status-count-Done").textContent).toBe("2");
    expect(screen.getByTestId("status-count-Killed").textContent).toBe("1");
    expect(screen.getByTestId("status-count-Pending").textContent).toBe("0");
    expect(screen.getByTestId("status-count-Running").textContent).toBe("0");
    expect(screen.getByTestId("status-count-Failed").textContent).toBe("0");
  });
});

const twoWorkers: EngineEvent[] = [
  { type: "process:started", at: T0, processId: "p1" },
  { type: "process:started", at: T0, processId: "p2" },
  {
    type: "worker:started",
    at: T0,
    workerId: "p1:email",
    name: "email",
    queue: "email",
  },
  {
    type: "worker:started",
    at: T0,
    workerId: "p2:email",
    name: "email",
    queue: "email",
  },
  { type: "process:ready", at: T0, processId: "p1", workerIds: ["p1:email"] },
  { type: "process:ready", at: T0, processId: "p2", workerIds: ["p2:email"] },
];

describe("timeline", () => {
  it("has a lane per worker instance and kills its process on request", () => {
    const { engine } = renderView(<Timeline />, twoWorkers);
    const lanes = screen.getAllByTestId("worker-lane");
    expect(lanes.map((l) => l.dataset.workerId)).toEqual([
      "p1:email",
      "p2:email",
    ]);
    fireEvent.click(screen.getAllByTestId("kill-worker")[1] as HTMLElement);
    expect(engine.called("killWorker")[0]?.args).toEqual(["p2"]);
  });

  it("shows a killed worker's lane as killed, without a kill button", () => {
    renderView(<Timeline />, [
      ...twoWorkers,
      {
        type: "process:ended",
        at: T0 + 5,
        processId: "p1",
        end: "killed",
        detail: null,
      },
    ]);
    const [first] = screen.getAllByTestId("worker-lane");
    expect(first?.dataset.state).toBe("killed");
    expect(screen.getAllByTestId("kill-worker")).toHaveLength(1);
  });

  it("labels the axis with distinct times before any event arrives", () => {
    const { container } = renderView(<Timeline />);
    const labels = [...container.querySelectorAll(".axis span")].map(
      (span) => span.textContent,
    );
    expect(labels).toEqual(["0 s", "2 s", "4 s", "6 s", "8 s", "10 s"]);
  });

  it("keeps the labels at the ends of the axis inside it", () => {
    const { container } = renderView(<Timeline />);
    const spans = [...container.querySelectorAll<HTMLElement>(".axis span")];
    expect(spans[0]?.style.transform).toBe("none");
    expect(spans.at(-1)?.style.transform).toBe("translateX(-100%)");
    expect(spans[2]?.style.transform).toBe("");
  });
});

describe("task detail", () => {
  it("shows args, each attempt with its error, and the handler's output", () => {
    const { store } = renderView(<TaskDetail />, [
      taskRow("01A", "Done", { args: { to: "ada@example.com" }, attempts: 2 }),
      attemptRow("01A", 1, "p1:email", {
        endedAt: T0 + 150,
        outcome: "Failed",
        error: "smtp down",
      }),
      attemptRow("01A", 2, "p2:email", { endedAt: T0 + 260, outcome: "Done" }),
      {
        type: "console",
        at: T0,
        processId: "p2",
        level: "info",
        text: "sent to ada",
        taskId: "01A",
        attempt: 2,
        workerId: "p2:email",
      },
    ]);
    act(() => store.getState().select("01A"));
    const detail = screen.getByTestId("task-detail");
    expect(detail.textContent).toContain("ada@example.com");
    expect(detail.textContent).toContain("smtp down");
    expect(detail.textContent).toContain("[info] sent to ada");
    expect(screen.getAllByTestId("attempt")).toHaveLength(2);
  });

  it("shows the date of a run time that is not today", () => {
    const { store } = renderView(<TaskDetail />, [
      taskRow("01A", "Pending", { context: { runAt: T0 + 3 * DAY + 5_000 } }),
    ]);
    act(() => store.getState().select("01A"));
    const runAt = screen.getByText("runAt").nextElementSibling;
    expect(runAt?.textContent).toBe("2030-01-04 00:00");
    expect(runAt?.querySelector("time")?.dateTime).toBe(
      "2030-01-04T00:00:05.000Z",
    );
  });
});

describe("console", () => {
  it("lists handler output with its worker and task, and opens the task", () => {
    const { store } = renderView(<ConsolePanel />, [
      {
        type: "console",
        at: T0,
        processId: "p1",
        level: "info",
        text: "sent to ada",
        taskId: "01ABCDEF",
        attempt: 1,
        workerId: "p1:email-01M8YP658JXPAR1V28TAY4ZECG",
      },
    ]);
    const line = screen.getByText(/sent to ada/);
    expect(line.textContent).toContain("p1 email ABCDEF#1");
    fireEvent.click(line);
    expect(store.getState().selected).toBe("01ABCDEF");
  });
});

describe("push controls", () => {
  it("says next to the field when the args are not JSON, and refuses to push", () => {
    renderView(<PushControls />);
    fireEvent.change(screen.getByTestId("push-args"), {
      target: { value: "{to: 1}" },
    });
    expect(screen.getByTestId("args-error").textContent).toMatch(
      /not valid JSON/,
    );
    expect(
      (screen.getByTestId("push-button") as HTMLButtonElement).disabled,
    ).toBe(true);
  });

  it("pushes the form's tasks while a handler runs", () => {
    const { engine } = renderView(<PushControls />, [
      { type: "engine:state", at: 0, state: "running" },
    ]);
    fireEvent.change(screen.getByTestId("push-count"), {
      target: { value: "7" },
    });
    fireEvent.click(screen.getByTestId("push-button"));
    expect(engine.called("push")[0]?.args[0]).toMatchObject({ count: 7 });
  });
});

describe("run bar", () => {
  it("runs on click and on Ctrl+Enter, and shows the engine's state", () => {
    let runs = 0;
    renderView(<RunBar onRun={() => runs++} />, [
      { type: "engine:state", at: 0, state: "idle" },
    ]);
    fireEvent.click(screen.getByTestId("run-button"));
    fireEvent.keyDown(window, { key: "Enter", ctrlKey: true });
    expect(runs).toBe(2);
    expect(screen.getByTestId("engine-state").textContent).toBe("Idle");
    expect(screen.getByText(/Ctrl\/⌘\+Enter run/)).toBeTruthy();
  });

  it("stops, pauses and changes speed through the engine while running", () => {
    const { engine } = renderView(<RunBar onRun={() => {}} />, [
      { type: "engine:state", at: 0, state: "running" },
    ]);
    fireEvent.click(screen.getByTestId("pause-button"));
    fireEvent.change(screen.getByTestId("speed"), { target: { value: "10" } });
    fireEvent.click(screen.getByTestId("stop-button"));
    expect(engine.calls.map((c) => c.method)).toEqual([
      "pause",
      "setSpeed",
      "stop",
    ]);
  });

  it("says what went wrong", () => {
    const { store } = renderView(<RunBar onRun={() => {}} />);
    act(() => store.getState().setError("Run failed: database worker stopped"));
    expect(screen.getByRole("alert").textContent).toBe(
      "Run failed: database worker stopped",
    );
  });
});

describe("SQL console", () => {
  it("shows rows as a table", async () => {
    const { engine } = renderView(<SqlConsole />);
    engine.sqlResult = { columns: ["status", "count"], rows: [["Done", 20]] };
    fireEvent.change(screen.getByTestId("sql-input"), {
      target: { value: "select 1" },
    });
    fireEvent.click(screen.getByTestId("sql-run"));
    await waitFor(() =>
      expect(screen.getByTestId("sql-result").textContent).toContain("Done20"),
    );
    expect(engine.called("sql")[0]?.args).toEqual(["select 1"]);
  });

  it("shows the database's error", async () => {
    const { engine } = renderView(<SqlConsole />);
    engine.sqlResult = { error: 'relation "nope" does not exist' };
    fireEvent.click(screen.getByTestId("sql-run"));
    await waitFor(() =>
      expect(screen.getByTestId("sql-error").textContent).toContain("nope"),
    );
  });
});
