/**
 * A worker instance runs one handler on the tasks of one backend.
 *
 * Phases, and what moves it between them:
 * - `created` → `start()` → `running`: the instance registers, listens
 *   for pushes and looks for orphans once.
 * - `running`: the claim loop takes up to `concurrency` due tasks; when
 *   nothing is due it sleeps until the earliest run time, a push, or the
 *   poll interval. Heartbeats and orphan recovery tick beside it.
 * - `stop()` → `stopping`: no new claims; running attempts get until the
 *   deadline, then their signals abort and their tasks are released.
 *   → `stopped`: the instance deregisters and `run()` resolves.
 * - `kill()` → `dead`: ends at once like a crashed process: nothing is
 *   released, no further call reaches the backend, and its locks wait
 *   for orphan recovery by another instance.
 */
import { ulid } from "ulid";
import { emitEnd, runAttempt } from "./attempt.ts";
import type { BackoffPolicy } from "./backoff.ts";
import type { Backend, StoredContext, Task, WorkerInfo } from "./contract.ts";
import { drainAttempts, type RunningAttempt } from "./drain.ts";
import { toError } from "./error-text.ts";
import { WorkerStoppedError } from "./errors.ts";
import { FinishBatcher } from "./finish-batcher.ts";
import type { Service } from "./layers/layer.ts";
import { livenessLoop } from "./liveness.ts";
import { nextTurn } from "./turn.ts";
import type { WorkerOptions } from "./worker-options.ts";

const POKED = Symbol("poked");

/** The shortest idle sleep, so an idle worker never spins. */
const MIN_IDLE_MS = 10;

export type WorkerPhase =
  | "created"
  | "running"
  | "stopping"
  | "stopped"
  | "dead";

export class Worker {
  readonly id: string;
  readonly name: string;
  #phase: WorkerPhase = "created";
  #running = new Map<string, RunningAttempt>();
  #wake = new AbortController();
  #poked = false;
  /** The last claim filled every free slot: more may be due. */
  #mayHaveMore = true;
  #stopping = new AbortController();
  #loops: Promise<unknown> | null = null;
  #unsubscribe: (() => Promise<void>) | null = null;
  #finishes: FinishBatcher;
  #ended: Promise<void>;
  #markEnded!: () => void;

  constructor(
    name: string,
    private readonly backend: Backend<unknown, StoredContext>,
    private readonly service: Service,
    private readonly state: object,
    private readonly options: WorkerOptions,
    private readonly backoff: BackoffPolicy,
  ) {
    this.name = name;
    this.id = `${name}-${ulid()}`;
    this.#ended = new Promise((resolve) => {
      this.#markEnded = resolve;
    });
    this.#finishes = new FinishBatcher(
      backend,
      backend.clock,
      options.pollMs,
      (error) => this.#reportError(error),
      (failures) =>
        this.#phase === "dead" || (failures >= 3 && this.#phase !== "running"),
    );
  }

  get phase(): WorkerPhase {
    return this.#phase;
  }

  get info(): WorkerInfo {
    return { id: this.id, name: this.name, queue: this.backend.queue };
  }

  /** Attempts running now. */
  get running(): number {
    return this.#running.size;
  }

  /** Resolves when the instance has stopped or been killed. */
  get ended(): Promise<void> {
    return this.#ended;
  }

  /** Registers the instance and starts claiming. */
  async start(): Promise<void> {
    if (this.#phase !== "created") {
      throw new Error(`worker ${this.id} was already started`);
    }
    this.#phase = "running";
    await this.backend.registerWorker(this.info);
    this.#unsubscribe = await this.backend.subscribe(() => this.#poke());
    this.#emit("worker:started", { ...this.info, workerId: this.id });
    const liveness = livenessLoop({
      workerId: this.id,
      backend: this.backend,
      options: this.options,
      signal: this.#stopping.signal,
      call: (fn) => this.#call(fn),
      emit: this.#emit,
      wake: () => this.#poke(),
    });
    this.#loops = Promise.all([this.#claimLoop(), liveness]);
  }

  /** Starts, then resolves when the instance stops. */
  async run(): Promise<void> {
    await this.start();
    await this.#ended;
  }

  /**
   * Stops claiming and waits up to `deadlineMs` for running attempts;
   * what is still running then is aborted and released.
   */
  async stop(options: { deadlineMs?: number } = {}): Promise<void> {
    if (this.#phase === "created") {
      this.#phase = "stopped";
      this.#markEnded();
    }
    if (this.#phase !== "running") return this.#ended;
    this.#phase = "stopping";
    this.#stopping.abort();
    this.#poke();
    await this.#loops;
    const deadline = options.deadlineMs ?? this.options.stopDeadlineMs;
    const released = await drainAttempts(this.#running.values(), deadline, {
      workerId: this.id,
      backend: this.backend,
      call: (fn) => this.#call(fn),
      emit: this.#emit,
    });
    await this.#finishes.drain();
    await this.#unsubscribe?.();
    await this.#call(() => this.backend.deregisterWorker(this.id));
    this.#phase = "stopped";
    this.#emit("worker:stopped", { workerId: this.id, released });
    this.#markEnded();
  }

  /** Ends the instance at once, as if its process crashed. */
  kill(): void {
    if (this.#phase === "stopped" || this.#phase === "dead") return;
    this.#phase = "dead";
    this.#stopping.abort();
    this.#poke();
    for (const attempt of this.#running.values()) {
      attempt.abort.abort(new WorkerStoppedError(this.id));
    }
    void this.#unsubscribe?.().catch(() => {});
    this.#markEnded();
  }

  async #claimLoop(): Promise<void> {
    while (this.#phase === "running") {
      const free = this.options.concurrency - this.#running.size;
      if (free > 0 && (this.#mayHaveMore || this.#poked)) {
        this.#poked = false;
        const tasks = await this.#call(() => this.backend.claim(this.id, free));
        if (this.#isDead()) return;
        for (const task of tasks ?? []) this.#begin(task);
        this.#mayHaveMore = tasks !== null && tasks.length === free;
        if (this.#mayHaveMore) {
          await nextTurn();
          continue;
        }
      }
      await this.#idle(free > 0);
    }
  }

  /**
   * Sleeps until a slot frees, a push, the next run time or a poll.
   * With every slot taken only a freed slot matters: a push then must
   * not wake the loop, or it would spin without claiming.
   */
  async #idle(hasFreeSlots: boolean): Promise<void> {
    const clock = this.backend.clock;
    let sleepMs = this.options.pollMs;
    if (hasFreeSlots) {
      if (this.#poked) return;
      const next = await this.#call(() => this.backend.nextRunAt());
      if (this.#poked || this.#phase !== "running") return;
      if (next != null) {
        // A task due now that the last claim did not get is locked by
        // someone else's claim still committing: wait a little, not 0.
        const wait = Math.max(MIN_IDLE_MS, next - clock.now());
        sleepMs = Math.min(sleepMs, wait);
      }
      if (this.#running.size === 0) {
        this.#emit("worker:idle", { workerId: this.id, nextRunAt: next });
      }
    }
    this.#wake = new AbortController();
    await clock.sleep(sleepMs, this.#wake.signal);
    // Due tasks are claimed on waking, pushed or not.
    this.#poked = true;
  }

  /** Read through a method: the phase can change across an await. */
  #isDead(): boolean {
    return this.#phase === "dead";
  }

  #poke(): void {
    this.#poked = true;
    // A reason of our own: the default one is a new DOMException, and
    // its stack trace, on every poke.
    this.#wake.abort(POKED);
  }

  #begin(task: Task<unknown, StoredContext>): void {
    const attempt: RunningAttempt = {
      task,
      abort: new AbortController(),
      released: false,
    };
    const key = `${task.parts.taskId}:${task.parts.attempt}`;
    this.#running.set(key, attempt);
    this.#emit("task:locked", {
      taskId: task.parts.taskId,
      attempt: task.parts.attempt,
      workerId: this.id,
    });
    attempt.done = this.#execute(attempt).finally(() => {
      this.#running.delete(key);
      if (this.#mayHaveMore || this.#phase === "stopping") this.#poke();
    });
  }

  async #execute(attempt: RunningAttempt): Promise<void> {
    const { taskId, attempt: n } = attempt.task.parts;
    const clock = this.backend.clock;
    const startedAt = clock.now();
    const ids = { taskId, attempt: n, workerId: this.id };
    this.#emit("task:started", ids);
    const end = await runAttempt(attempt.task, attempt.abort.signal, {
      workerId: this.id,
      service: this.service,
      state: this.state,
      clock,
      logger: this.options.logger,
      backoff: this.backoff,
    });
    if (this.#phase === "dead" || attempt.released) return;
    const tookEffect = await this.#finishes.add({ ...ids, end });
    if (this.#isDead()) return;
    const now = clock.now();
    emitEnd(this.#emit, ids, end, tookEffect, now - startedAt, now);
  }

  /** A backend call whose failure is reported, never thrown. */
  async #call<T>(fn: () => Promise<T>): Promise<T | null> {
    if (this.#phase === "dead") return null;
    try {
      return await fn();
    } catch (error) {
      this.#reportError(error);
      return null;
    }
  }

  #reportError(error: unknown): void {
    if (this.#phase === "dead") return;
    const message = toError(error).message;
    this.options.logger.error("backend call failed", {
      worker: this.id,
      error: message,
    });
    this.#emit("worker:error", { workerId: this.id, error: message });
  }

  #emit: Backend<unknown>["events"]["emit"] = (type, fields) => {
    if (this.#phase === "dead") return;
    this.backend.events.emit(type, fields);
  };
}
