import handlerWorkerSource from "virtual:tasklab-handler-worker";
import { eventsFromChanges } from "./change-events.ts";
import { compileUserFile } from "./compile.ts";
import { EventBatcher } from "./event-batcher.ts";
import { failAttemptsOf, pushTasks } from "./page-storage.ts";
import { PortDriver } from "./port-driver.ts";
import type {
  ClockState,
  DbWorkerCommand,
  DbWorkerMessage,
  EngineApi,
  EngineEvent,
  EngineListener,
  EngineNotice,
  EngineOptions,
  EngineSnapshot,
  EngineState,
  FaultSettings,
  PushResult,
  PushSpec,
  RunOptions,
  RunResult,
  SqlResult,
} from "./protocol.ts";
import { rebase, ScaledClock } from "./scaled-clock.ts";
import { type ProcessSettings, Supervisor } from "./supervisor.ts";

/**
 * Runtime settings of the playground. Heartbeats and the lock timeout
 * are in real ms: at 100× speed a heartbeat slowed by a busy database
 * must not make a live process look dead. So is the attempt limit: a
 * handler's own work takes real time at any speed.
 */
const SETTINGS: ProcessSettings = {
  heartbeatMs: 1_000,
  lockTimeoutMs: 5_000,
  attemptLimitMs: 60_000,
};

/**
 * The playground's engine, on the page.
 *
 * States: idle (database open, no processes) → starting (`run`: the file
 * compiled, the database reset, processes booting) → running → stopping
 * (`stop`: processes drain) → idle. A file that does not compile leaves
 * the state as it was. Independently the clock is running at a speed or
 * paused; pausing also holds the processes' SQL in the database worker,
 * so nothing is claimed or finished until `resume`.
 *
 * Trust: task and attempt rows, and the runtime events derived from
 * them, come only from the database worker's change feed. A process can
 * only answer pings and print console lines; the page never takes its
 * word for the state of a task.
 */
export class Engine implements EngineApi {
  readonly #db: Worker;
  readonly #driver: PortDriver;
  readonly #clock: ScaledClock;
  readonly #supervisor: Supervisor;
  readonly #events = new EventBatcher();
  readonly #replies = new Map<number, (message: DbWorkerMessage) => void>();
  #nextId = 1;
  #state: EngineState = "idle";
  #speed = 1;
  #paused = false;
  #faults: FaultSettings = { failureRate: 0, latencyMs: 0 };
  #code = "";
  #queue = "email";
  #concurrency = 2;

  private constructor(db: Worker, options: EngineOptions) {
    this.#db = db;
    this.#clock = new ScaledClock({
      atReal: Date.now(),
      atClock: Date.now(),
      speed: 1,
    });
    const page = new MessageChannel();
    this.#command(
      { type: "connect", processId: "page", role: "page", port: page.port1 },
      [page.port1],
    );
    this.#driver = new PortDriver(page.port2);
    this.#supervisor = new Supervisor(
      {
        source: handlerWorkerSource,
        queue: () => this.#queue,
        code: () => this.#code,
        concurrency: () => this.#concurrency,
        clock: () => this.#clock.state,
        faults: () => this.#faults,
        connectDb: (processId, role, port) =>
          this.#command({ type: "connect", processId, role, port }, [port]),
        disconnectDb: (processId) =>
          this.#command({ type: "disconnect", processId }),
        notify: (notice) => this.#notify(notice),
        recordStopped: (processId, error) =>
          failAttemptsOf(this.#driver, this.#clock, processId, error),
      },
      (options.unresponsiveAfterS ?? 3) * 1000,
    );
  }

  /** Starts the database worker; resolves when the database is open. */
  static async create(options: EngineOptions = {}): Promise<Engine> {
    const db = new Worker(new URL("./db-worker.ts", import.meta.url), {
      type: "module",
      name: "tasklab database",
    });
    const engine = new Engine(db, options);
    const ready = new Promise<void>((resolve, reject) => {
      db.onmessage = (event: MessageEvent<DbWorkerMessage>) => {
        const message = event.data;
        if (message.type === "ready") resolve();
        else if (message.type === "failed") {
          reject(
            new Error(`the database could not open: ${message.error.message}`),
          );
        } else engine.#receive(message);
      };
    });
    const snapshotUrl =
      options.snapshotUrl === undefined
        ? `${import.meta.env.BASE_URL}pglite-snapshot.tar.gz`
        : options.snapshotUrl;
    engine.#command({
      type: "open",
      snapshotUrl: snapshotUrl && new URL(snapshotUrl, location.href).href,
    });
    await ready;
    return engine;
  }

  get state(): EngineState {
    return this.#state;
  }

  get processes(): readonly string[] {
    return this.#supervisor.ids;
  }

  async run(options: RunOptions): Promise<RunResult> {
    const compiled = compileUserFile(options.code);
    if (!compiled.ok) {
      this.#notify({
        type: "compile-error",
        diagnostics: compiled.diagnostics,
      });
      return { ok: false, diagnostics: compiled.diagnostics };
    }
    this.#setState("starting");
    this.#supervisor.killAll();
    if (options.reset !== false) await this.#request({ type: "reset", id: 0 });
    this.#code = compiled.code;
    this.#queue = options.queue ?? "email";
    this.#concurrency = options.concurrency ?? 2;
    const count = Math.max(1, options.workers ?? 3);
    const starts = Array.from({ length: count }, () =>
      this.#supervisor.start(SETTINGS),
    );
    const specs = options.tasks === undefined ? [] : [options.tasks].flat();
    for (const spec of specs) await this.push(spec);
    await Promise.all(starts);
    this.#setState("running");
    return { ok: true };
  }

  async stop(): Promise<void> {
    if (this.#state === "idle") return;
    this.#setState("stopping");
    if (this.#paused) this.resume();
    await this.#supervisor.stopAll(2_000);
    this.#setState("idle");
  }

  push(spec: PushSpec): Promise<PushResult> {
    return pushTasks(this.#driver, this.#clock, this.#queue, spec);
  }

  killWorker(processId: string): void {
    this.#supervisor.end(processId, "killed", "killed from the page");
  }

  async addWorker(): Promise<string | null> {
    if (this.#state !== "running") return null;
    return this.#supervisor.start(SETTINGS);
  }

  setSpeed(speed: number): void {
    this.#speed = Math.min(100, Math.max(0.1, speed));
    this.#setClock();
  }

  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#command({ type: "pause" });
    this.#setClock();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#setClock();
    this.#command({ type: "resume" });
  }

  setFaults(faults: Partial<FaultSettings>): void {
    const failureRate = Math.min(
      1,
      Math.max(0, faults.failureRate ?? this.#faults.failureRate),
    );
    const latencyMs = Math.max(0, faults.latencyMs ?? this.#faults.latencyMs);
    this.#faults = { failureRate, latencyMs };
    this.#supervisor.broadcast({ type: "faults", faults: this.#faults });
  }

  async sql(text: string): Promise<SqlResult> {
    const reply = await this.#request({ type: "sql", id: 0, text });
    return reply.type === "sql" ? reply.result : { error: "no answer" };
  }

  async snapshot(): Promise<EngineSnapshot> {
    const reply = await this.#request({ type: "snapshot", id: 0 });
    return reply.type === "snapshot"
      ? reply.snapshot
      : { tasks: [], attempts: [] };
  }

  subscribe(listener: EngineListener): () => void {
    return this.#events.subscribe(listener);
  }

  async dispose(): Promise<void> {
    this.#supervisor.killAll();
    await this.#driver.close();
    this.#db.terminate();
    this.#events.clear();
  }

  #setClock(): void {
    const speed = this.#paused ? 0 : this.#speed;
    const state: ClockState = rebase(this.#clock.state, Date.now(), speed);
    this.#clock.set(state);
    this.#supervisor.broadcast({ type: "clock", clock: state });
    this.#notify({
      type: "engine:clock",
      speed: this.#speed,
      paused: this.#paused,
    });
  }

  #setState(state: EngineState): void {
    this.#state = state;
    this.#notify({ type: "engine:state", state });
  }

  #command(command: DbWorkerCommand, transfer: Transferable[] = []): void {
    this.#db.postMessage(command, transfer);
  }

  #request(
    command: Extract<DbWorkerCommand, { id: number }>,
  ): Promise<DbWorkerMessage> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#replies.set(id, resolve);
      this.#command({ ...command, id });
    });
  }

  #receive(message: DbWorkerMessage): void {
    if (message.type === "changes") {
      this.#events.emit(eventsFromChanges(message.changes, this.#clock.now()));
    } else if ("id" in message) {
      this.#replies.get(message.id)?.(message);
      this.#replies.delete(message.id);
    }
  }

  #notify(notice: EngineNotice): void {
    const at = "at" in notice ? (notice.at as number) : this.#clock.now();
    this.#events.emit([{ ...notice, at } as EngineEvent]);
  }
}

/** The process ("p2") a worker instance id ("p2:email-01J...") runs in. */
export function processOf(workerId: string): string | null {
  const colon = workerId.indexOf(":");
  return colon > 0 ? workerId.slice(0, colon) : null;
}
