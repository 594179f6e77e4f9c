import { describe, expect, it } from "vitest";
import { clearCode, loadCode, saveCode } from "../../src/app/editor/persist.ts";
import {
  createSession,
  pushSpec,
  withMix,
} from "../../src/app/session/session.ts";
import { defaultSettings } from "../../src/app/store/settings.ts";
import { createAppStore } from "../../src/app/store/store.ts";
import { FakeEngine, taskRow } from "./fakeEngine.ts";

function setup() {
  const engine = new FakeEngine();
  const store = createAppStore();
  const session = createSession(engine, store);
  return { engine, store, session };
}

describe("session", () => {
  it("runs the code with the workers, concurrency and tasks of the controls", async () => {
    const { engine, session, store } = setup();
    store.getState().setSettings({ workers: 4, concurrency: 3 });
    expect(await session.run("export default {}")).toBe(true);
    const [call] = engine.called("run");
    expect(call?.args[0]).toMatchObject({
      code: "export default {}",
      workers: 4,
      concurrency: 3,
    });
    const options = call?.args[0] as { tasks: { count: number }[] };
    expect(options.tasks.map((t) => t.count)).toEqual([12, 4, 3]);
  });

  it("runs the form's tasks alone when the mix is off", async () => {
    const { engine, session, store } = setup();
    store.getState().setSettings({ mix: false });
    await session.run("x");
    expect(engine.called("run")[0]?.args[0]).toMatchObject({
      tasks: { count: 12, maxAttempts: 3 },
    });
  });

  it("starts nothing when the args are not JSON, and says why", async () => {
    const { engine, session, store } = setup();
    store.getState().setSettings({
      push: { ...defaultSettings.push, args: "{oops" },
    });
    expect(await session.run("x")).toBe(false);
    expect(engine.called("run")).toHaveLength(0);
    expect(store.getState().error).toMatch(/not valid JSON/);
  });

  it("drops the refusal once the form changes, but not other errors", async () => {
    const { session, store } = setup();
    store.getState().setSettings({
      push: { ...defaultSettings.push, args: "{oops" },
    });
    expect(await session.run("x")).toBe(false);
    expect(store.getState().error).toMatch(/not valid JSON/);
    store.getState().setSettings({ push: defaultSettings.push });
    expect(store.getState().error).toBeNull();
    store.getState().setError("the database could not open");
    store.getState().setSettings({ workers: 2 });
    expect(store.getState().error).toBe("the database could not open");
  });

  it("starts nothing while a number field holds text it does not take", async () => {
    const { engine, session, store } = setup();
    store.getState().setFieldProblem("Count", "whole number from 1 to 100000");
    expect(await session.run("x")).toBe(false);
    expect(engine.called("run")).toHaveLength(0);
    expect(store.getState().error).toBe(
      "Count takes a whole number from 1 to 100000; fix it, then press Run again. Nothing was run.",
    );
    store.getState().setFieldProblem("Count", null);
    expect(await session.run("x")).toBe(true);
  });

  it("shows compile errors and a message when the engine refuses the code", async () => {
    const { engine, session, store } = setup();
    engine.runResult = {
      ok: false,
      diagnostics: [{ message: "';' expected", line: 3, column: 9 }],
    };
    expect(await session.run("let x = ")).toBe(false);
    expect(store.getState().compileErrors).toHaveLength(1);
    expect(store.getState().error).toMatch(
      /did not compile.*nothing was started/,
    );
  });

  it("clears the previous run's board before a new run", async () => {
    const { engine, session, store } = setup();
    engine.emit([taskRow("a", "Done")]);
    store.getState().flush(0);
    expect(store.getState().board.tasks.size).toBe(1);
    await session.run("x");
    expect(store.getState().board.tasks.size).toBe(0);
  });

  it("puts an engine failure into words instead of throwing", async () => {
    const { engine, session, store } = setup();
    engine.run = async () => {
      throw new Error("database worker stopped");
    };
    expect(await session.run("x")).toBe(false);
    expect(store.getState().error).toBe("Run failed: database worker stopped");
  });

  it("feeds the engine's batches into the store", () => {
    const { engine, store } = setup();
    engine.emit([taskRow("a", "Pending")]);
    store.getState().flush(0);
    expect(store.getState().board.counts.Pending).toBe(1);
  });

  it("sends pause, resume, speed and faults to the engine", () => {
    const { engine, session, store } = setup();
    session.setPaused(true);
    session.setPaused(false);
    session.setSpeed(10);
    store.getState().setSettings({ failureRate: 0.25, latencyMs: 40 });
    session.applyFaults();
    expect(engine.calls.map((c) => c.method)).toEqual([
      "pause",
      "resume",
      "setSpeed",
      "setFaults",
    ]);
    expect(engine.called("setFaults")[0]?.args).toEqual([
      { failureRate: 0.25, latencyMs: 40 },
    ]);
  });

  it("turns the push form into a push spec", () => {
    expect(pushSpec(defaultSettings)).toMatchObject({
      args: defaultSettings.push.args,
      count: 12,
      priority: 0,
      delayMs: 0,
      maxAttempts: 3,
    });
  });
});

describe("example mix", () => {
  it("adds high-priority and flaky copies of the form's args", () => {
    const [form, vip, flaky] = withMix({
      args: '{"to":"a@b.c","n":1}',
      count: 5,
    });
    expect(form?.count).toBe(5);
    expect(vip).toMatchObject({
      args: { to: "vip@example.test", n: 1 },
      priority: 9,
    });
    expect(flaky).toMatchObject({ args: { to: "flaky@example.test", n: 1 } });
  });

  it("adds nothing to args without an address", () => {
    expect(withMix({ args: "[1, 2]" })).toHaveLength(1);
  });
});

describe("saved code", () => {
  it("comes back after a reload, and the default when nothing is saved", () => {
    clearCode();
    expect(loadCode("default")).toBe("default");
    saveCode("mine");
    expect(loadCode("default")).toBe("mine");
    clearCode();
  });
});
