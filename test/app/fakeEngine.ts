/**
 * An in-memory stand-in for the engine, for component tests only: it
 * records what the app asked and emits whatever batch a test hands it.
 */
import type {
  EngineApi,
  EngineEvent,
  EngineListener,
  EngineSnapshot,
  EngineState,
  FaultSettings,
  PushResult,
  PushSpec,
  RunOptions,
  RunResult,
  SqlResult,
} from "../../src/engine/protocol.ts";
import type {
  AttemptRecord,
  Json,
  TaskRecord,
  TaskStatus,
} from "../../src/runtime/contract.ts";

export class FakeEngine implements EngineApi {
  state: EngineState = "idle";
  processes: string[] = [];
  readonly calls: { method: string; args: unknown[] }[] = [];
  runResult: RunResult = { ok: true };
  sqlResult: SqlResult = { columns: ["n"], rows: [[1]] };
  #listeners = new Set<EngineListener>();

  emit(batch: readonly EngineEvent[]) {
    for (const listener of this.#listeners) listener(batch);
  }

  #record(method: string, ...args: unknown[]) {
    this.calls.push({ method, args });
  }

  called(method: string) {
    return this.calls.filter((c) => c.method === method);
  }

  async run(options: RunOptions): Promise<RunResult> {
    this.#record("run", options);
    if (this.runResult.ok) this.state = "running";
    return this.runResult;
  }
  async stop() {
    this.#record("stop");
    this.state = "idle";
  }
  async push(spec: PushSpec): Promise<PushResult> {
    this.#record("push", spec);
    return { ok: true, taskIds: [] };
  }
  killWorker(processId: string) {
    this.#record("killWorker", processId);
  }
  async addWorker() {
    return null;
  }
  setSpeed(speed: number) {
    this.#record("setSpeed", speed);
  }
  pause() {
    this.#record("pause");
  }
  resume() {
    this.#record("resume");
  }
  setFaults(faults: Partial<FaultSettings>) {
    this.#record("setFaults", faults);
  }
  async sql(text: string): Promise<SqlResult> {
    this.#record("sql", text);
    return this.sqlResult;
  }
  async snapshot(): Promise<EngineSnapshot> {
    return { tasks: [], attempts: [] };
  }
  subscribe(listener: EngineListener) {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
  async dispose() {
    this.#listeners.clear();
  }
}

const T0 = Date.UTC(2030, 0, 1);

/** A task row as the engine's change feed would send it. */
export function taskRow(
  id: string,
  status: TaskStatus,
  change: Partial<Omit<TaskRecord<Json>, "context">> & {
    context?: Partial<TaskRecord<Json>["context"]>;
  } = {},
): EngineEvent {
  const { context, ...rest } = change;
  return {
    type: "task:row",
    at: T0,
    task: {
      id,
      queue: "email",
      args: { to: `${id}@example.com` },
      status,
      attempts: status === "Pending" ? 0 : 1,
      createdAt: T0,
      ...rest,
      context: {
        runAt: T0,
        maxAttempts: 3,
        lastError: null,
        lockAt: null,
        lockBy: null,
        doneAt: null,
        priority: 0,
        ...context,
      },
    },
  };
}

export function attemptRow(
  taskId: string,
  attempt: number,
  workerId: string,
  change: Partial<AttemptRecord> = {},
): EngineEvent {
  return {
    type: "attempt:row",
    at: T0,
    attempt: {
      taskId,
      attempt,
      workerId,
      startedAt: T0 + attempt * 100,
      endedAt: null,
      outcome: null,
      error: null,
      ...change,
    },
  };
}

export { T0 };
