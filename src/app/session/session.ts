/**
 * The page's side of a run: turns clicks into engine calls and engine
 * answers into store changes. Views call these actions and never hold
 * the engine themselves.
 *
 * Every action catches what the engine throws and puts a readable
 * message in the store's `error`, so a failure shows next to the
 * controls instead of vanishing into the console.
 */
import type { EngineApi, PushSpec, SqlResult } from "../../engine/protocol.ts";
import { argsProblem, type Settings } from "../store/settings.ts";
import { type AppStore, fieldProblemText } from "../store/store.ts";

export interface Session {
  /** Compiles and runs `code`, pushing the tasks the push form describes. */
  run(code: string): Promise<boolean>;
  stop(): Promise<void>;
  /** Pushes the push form's tasks to the running file's queue. */
  push(): Promise<void>;
  killWorker(processId: string): void;
  setSpeed(speed: number): void;
  setPaused(paused: boolean): void;
  /** Sends the fault settings in the store to the engine. */
  applyFaults(): void;
  sql(text: string): Promise<SqlResult>;
  dispose(): void;
}

export function createSession(engine: EngineApi, store: AppStore): Session {
  const unsubscribe = engine.subscribe((batch) =>
    store.getState().ingest(batch),
  );
  const fail = (what: string, error: unknown) => {
    const detail = error instanceof Error ? error.message : String(error);
    store.getState().setError(`${what}: ${detail}`);
  };

  return {
    async run(code) {
      const state = store.getState();
      const { settings, setError, setCompileErrors, reset } = state;
      const field = fieldProblemText(state.fieldProblems);
      if (field) {
        state.refuse(
          `${field}; fix it, then press Run again. Nothing was run.`,
        );
        return false;
      }
      const spec = pushSpec(settings);
      if (typeof spec === "string") {
        state.refuse(spec);
        return false;
      }
      const tasks = settings.mix ? withMix(spec) : spec;
      setError(null);
      setCompileErrors([]);
      try {
        if (engine.state !== "idle") await engine.stop();
        reset();
        engine.setFaults({
          failureRate: settings.failureRate,
          latencyMs: settings.latencyMs,
        });
        const result = await engine.run({
          code,
          workers: settings.workers,
          concurrency: settings.concurrency,
          tasks,
        });
        if (result.ok) return true;
        setCompileErrors(result.diagnostics);
        setError(
          `The handler did not compile (${result.diagnostics.length} error${result.diagnostics.length === 1 ? "" : "s"}); nothing was started. Fix the marked lines and run again.`,
        );
        return false;
      } catch (error) {
        fail("Run failed", error);
        return false;
      }
    },
    async stop() {
      try {
        await engine.stop();
      } catch (error) {
        fail("Stop failed", error);
      }
    },
    async push() {
      const spec = pushSpec(store.getState().settings);
      if (typeof spec === "string") {
        store.getState().refuse(spec);
        return;
      }
      try {
        const result = await engine.push(spec);
        store
          .getState()
          .setError(
            result.ok
              ? null
              : `Push refused (${result.field}): ${result.message}`,
          );
      } catch (error) {
        fail("Push failed", error);
      }
    },
    killWorker(processId) {
      try {
        engine.killWorker(processId);
      } catch (error) {
        fail(`Could not kill ${processId}`, error);
      }
    },
    setSpeed(speed) {
      engine.setSpeed(speed);
    },
    setPaused(paused) {
      if (paused) engine.pause();
      else engine.resume();
    },
    applyFaults() {
      const { failureRate, latencyMs } = store.getState().settings;
      engine.setFaults({ failureRate, latencyMs });
    },
    async sql(text) {
      try {
        return await engine.sql(text);
      } catch (error) {
        return {
          error: error instanceof Error ? error.message : String(error),
        };
      }
    },
    dispose() {
      unsubscribe();
    },
  };
}

/**
 * The form's tasks plus the example's mix: a few with a high priority
 * (they take the handler's fast path) and a few to "flaky" addresses
 * (their first attempt fails, so retries and backoff show). Args that
 * are not an object with `to` get no mix.
 */
export function withMix(spec: PushSpec): PushSpec[] {
  const args =
    typeof spec.args === "string" ? JSON.parse(spec.args) : spec.args;
  if (
    !args ||
    typeof args !== "object" ||
    Array.isArray(args) ||
    !("to" in args)
  ) {
    return [spec];
  }
  return [
    spec,
    {
      ...spec,
      args: { ...args, to: "vip@example.test" },
      count: 4,
      priority: 9,
    },
    { ...spec, args: { ...args, to: "flaky@example.test" }, count: 3 },
  ];
}

/** The push form as a `PushSpec`, or a message saying what to fix. */
export function pushSpec(settings: Settings): PushSpec | string {
  const form = settings.push;
  const problem = argsProblem(form.args);
  if (problem) return problem;
  return {
    args: form.args,
    count: form.count,
    priority: form.priority,
    delayMs: form.delayMs,
    maxAttempts: form.maxAttempts,
  };
}
