import type {
  ClockState,
  ControlCommand,
  ControlMessage,
  EngineNotice,
  FaultSettings,
  ProcessEnd,
} from "./protocol.ts";
import { type Sandbox, startSandbox } from "./sandbox.ts";

/** What the supervisor needs from the engine. */
export interface SupervisorHost {
  /** The handler worker's bundled source. */
  readonly source: string;
  /** The queue every process serves. */
  readonly queue: () => string;
  readonly code: () => string;
  readonly concurrency: () => number;
  readonly clock: () => ClockState;
  readonly faults: () => FaultSettings;
  /** Hands the database worker one end of a SQL port. */
  connectDb(
    processId: string,
    role: "runtime" | "app",
    port: MessagePort,
  ): void;
  disconnectDb(processId: string): void;
  notify(notice: EngineNotice): void;
  /** Fails the attempts a stopped process held, in the database. */
  recordStopped(processId: string, error: string): Promise<void>;
}

/** Runtime settings of every process (see `ProcessStart`). */
export interface ProcessSettings {
  readonly lockTimeoutMs: number;
  readonly heartbeatMs: number;
  readonly attemptLimitMs: number;
}

interface Process {
  readonly id: string;
  readonly control: MessagePort;
  sandbox: Sandbox | null;
  phase: "starting" | "running" | "stopping" | "ended";
  lastAnswer: number;
  stopped: (() => void) | null;
}

/** Real ms between two pings. */
const PING_EVERY_MS = 500;

/** How a stopped process's message ends: what became of its attempts. */
const ATTEMPT_FAILED =
  "the attempt failed, and the task runs again if it has attempts left";

/**
 * The supervisor: starts handler processes, watches them and ends them.
 *
 * A process moves starting → running (its file loaded and its workers
 * started) → stopping (asked to drain) → ended. It ends early when it
 * is killed (terminated at once, like a crashed machine: its locks are
 * left for orphan recovery), when its file fails to load (crashed), or
 * when it leaves pings unanswered for `unresponsiveMs` real ms: then a
 * handler is blocking its thread (an endless loop or recursion), so the
 * supervisor terminates it, fails the attempts it held with a "stopped"
 * error, and starts a replacement. Pings go out every 500 ms; a tick
 * that comes late shows the page itself was blocked, and then no
 * process is blamed for answers the page could not read.
 */
export class Supervisor {
  readonly #host: SupervisorHost;
  readonly #unresponsiveMs: number;
  readonly #processes = new Map<string, Process>();
  #count = 0;
  #settings: ProcessSettings | null = null;
  #lastWatch = Date.now();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(host: SupervisorHost, unresponsiveMs: number) {
    this.#host = host;
    this.#unresponsiveMs = unresponsiveMs;
  }

  get ids(): string[] {
    return [...this.#processes.keys()];
  }

  async start(settings: ProcessSettings): Promise<string> {
    this.#settings = settings;
    const id = `p${++this.#count}`;
    const control = new MessageChannel();
    const db = new MessageChannel();
    const app = new MessageChannel();
    const process: Process = {
      id,
      control: control.port1,
      sandbox: null,
      phase: "starting",
      lastAnswer: Date.now(),
      stopped: null,
    };
    this.#processes.set(id, process);
    control.port1.onmessage = (event: MessageEvent<ControlMessage>) =>
      this.#receive(process, event.data);
    this.#host.connectDb(id, "runtime", db.port1);
    this.#host.connectDb(id, "app", app.port1);
    this.#host.notify({ type: "process:started", processId: id });
    if (!this.#timer) {
      this.#lastWatch = Date.now();
      this.#timer = setInterval(() => this.#watch(), PING_EVERY_MS);
    }
    process.sandbox = await startSandbox({
      name: `tasklab ${id}`,
      source: this.#host.source,
      init: { type: "init", queue: this.#host.queue() },
      ports: [control.port2, db.port2, app.port2],
      onWorkerError: (message) => void this.#stopCrashed(id, message),
    });
    if (process.phase === "ended") {
      process.sandbox.end();
      return id;
    }
    process.lastAnswer = Date.now();
    this.#send(process, {
      type: "start",
      processId: id,
      code: this.#host.code(),
      concurrency: this.#host.concurrency(),
      clock: this.#host.clock(),
      faults: this.#host.faults(),
      ...settings,
    });
    return id;
  }

  /** Sends every live process the same command. */
  broadcast(command: ControlCommand): void {
    for (const process of this.#processes.values()) {
      this.#send(process, command);
    }
  }

  /** Ends a process at once. Its locks stay for orphan recovery. */
  end(id: string, end: ProcessEnd, detail: string | null = null): void {
    const process = this.#processes.get(id);
    if (!process || process.phase === "ended") return;
    process.phase = "ended";
    this.#processes.delete(id);
    process.sandbox?.end();
    process.control.close();
    process.stopped?.();
    this.#host.disconnectDb(id);
    this.#host.notify({ type: "process:ended", processId: id, end, detail });
    if (this.#processes.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  /** Asks every process to drain within `deadlineMs`, then ends it. */
  async stopAll(deadlineMs: number): Promise<void> {
    const waits = [...this.#processes.values()].map(
      (process) =>
        new Promise<void>((resolve) => {
          process.stopped = resolve;
          process.phase = "stopping";
          this.#send(process, { type: "stop", deadlineMs });
          // A process that cannot drain in time is ended anyway.
          setTimeout(() => this.end(process.id, "stopped"), deadlineMs + 1_000);
        }),
    );
    await Promise.all(waits);
  }

  /** Ends every process at once. */
  killAll(): void {
    for (const id of this.ids) this.end(id, "killed");
  }

  #send(process: Process, command: ControlCommand): void {
    if (process.phase !== "ended") process.control.postMessage(command);
  }

  #receive(process: Process, message: ControlMessage): void {
    process.lastAnswer = Date.now();
    const id = process.id;
    if (message.type === "started") {
      if (process.phase === "starting") process.phase = "running";
      this.#host.notify({
        type: "process:ready",
        processId: id,
        workerIds: message.workerIds.map(String),
      });
    } else if (message.type === "load-error") {
      this.end(id, "crashed", message.error.message);
    } else if (message.type === "console") {
      for (const line of message.lines) {
        this.#host.notify({ type: "console", processId: id, ...line });
      }
    } else if (message.type === "stopped") {
      this.end(id, "stopped");
    }
  }

  #watch(): void {
    const now = Date.now();
    // When the page's own thread was blocked (a long render, a big
    // editor load), pongs could not be read either: blame no process.
    const pageStalled = now - this.#lastWatch > PING_EVERY_MS * 3;
    this.#lastWatch = now;
    for (const process of [...this.#processes.values()]) {
      if (pageStalled) process.lastAnswer = now;
      if (process.phase === "ended" || !process.sandbox) continue;
      if (now - process.lastAnswer > this.#unresponsiveMs) {
        void this.#stopUnresponsive(process);
        continue;
      }
      this.#send(process, { type: "ping", seq: now });
    }
  }

  #stopUnresponsive(process: Process): Promise<void> {
    const seconds = Math.round(this.#unresponsiveMs / 1000);
    return this.#replace(
      process.id,
      "unresponsive",
      `stopped: worker process ${process.id} did not answer for ${seconds} s (a handler that never yields, or one that ran out of memory), so it was terminated; ${ATTEMPT_FAILED}`,
    );
  }

  #stopCrashed(id: string, reason: string): Promise<void> {
    return this.#replace(
      id,
      "crashed",
      `stopped: worker process ${id} crashed (${reason}); ${ATTEMPT_FAILED}`,
    );
  }

  /**
   * Ends a process that failed on its own, fails the attempts it held,
   * and starts another in its place (when it had been running).
   */
  async #replace(id: string, end: ProcessEnd, error: string): Promise<void> {
    const process = this.#processes.get(id);
    if (!process) return;
    const replace = process.phase === "running";
    this.end(id, end, error);
    await this.#host.recordStopped(id, error).catch(() => {});
    if (replace && this.#settings) await this.start(this.#settings);
  }
}
