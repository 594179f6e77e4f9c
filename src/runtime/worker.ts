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
import { type BackoffPolicy, backoffDelay } from "./backoff.ts";
import { freezeContext } from "./context.ts";
import type {
  AttemptEnd,
  Backend,
  StoredContext,
  Task,
  WorkerInfo,
} from "./contract.ts";
import { errorText, toError, WorkerStoppedError } from "./errors.ts";
import { FinishBatcher } from "./finish-batcher.ts";
import type { TaskInput } from "./handler.ts";
import type { Service } from "./layers/layer.ts";
import { RetryDecision } from "./layers/retry.ts";
import { nextTurn } from "./turn.ts";
import { cleanText } from "./validate.ts";
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

interface Attempt {
  readonly task: Task<unknown, StoredContext>;
  readonly abort: AbortController;
  /** Set when stop released the task: its result is then ignored. */
  released: boolean;
  done?: Promise<void>;
}

export class Worker {
  readonly id: string;
  readonly name: string;
  #phase: WorkerPhase = "created";
  #running = new Map<string, Attempt>();
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
    this.#loops = Promise.all([this.#claimLoop(), this.#heartbeatLoop()]);
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
    const released = await this.#drain(deadline);
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

  async #heartbeatLoop(): Promise<void> {
    const { heartbeatMs, recoverEveryMs, lockTimeoutMs } = this.options;
    const clock = this.backend.clock;
    let lastRecovery = Number.NEGATIVE_INFINITY;
    while (this.#phase === "running") {
      if (clock.now() - lastRecovery >= recoverEveryMs) {
        lastRecovery = clock.now();
        await this.#recoverOrphans(lockTimeoutMs);
      }
      const wait = Math.min(heartbeatMs, recoverEveryMs);
      if (!(await clock.sleep(wait, this.#stopping.signal))) return;
      if ((await this.#call(() => this.backend.heartbeat(this.id))) !== null) {
        this.#emit("worker:heartbeat", { workerId: this.id });
      }
    }
  }

  async #recoverOrphans(lockTimeoutMs: number): Promise<void> {
    const orphans = await this.#call(() =>
      this.backend.recoverOrphans(lockTimeoutMs),
    );
    for (const orphan of orphans ?? []) {
      this.#emit("task:orphan-recovered", {
        ...orphan,
        recoveredBy: this.id,
      });
      if (orphan.status === "Killed") {
        this.#emit("task:killed", {
          taskId: orphan.taskId,
          attempt: orphan.attempt,
          reason: `worker ${orphan.lostBy} was lost during its last attempt`,
        });
      } else {
        this.#poke();
      }
    }
  }

  #begin(task: Task<unknown, StoredContext>): void {
    const attempt: Attempt = {
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

  async #execute(attempt: Attempt): Promise<void> {
    const { args, parts } = attempt.task;
    const { taskId } = parts;
    const clock = this.backend.clock;
    const input: TaskInput = Object.freeze({
      taskId,
      attempt: parts.attempt,
      context: freezeContext(parts.context),
      signal: attempt.abort.signal,
      log: this.options.logger.child({ worker: this.id, taskId }),
    });
    const startedAt = clock.now();
    const ids = { taskId, attempt: parts.attempt, workerId: this.id };
    this.#emit("task:started", ids);
    let end: AttemptEnd;
    try {
      await this.service({ args, task: input, state: this.state });
      end = { kind: "done" };
    } catch (thrown) {
      end = this.#decide(thrown, parts.attempt, parts.context.maxAttempts);
    }
    if (this.#phase === "dead" || attempt.released) return;
    const tookEffect = await this.#finishes.add({ ...ids, end });
    if (this.#isDead()) return;
    const durationMs = clock.now() - startedAt;
    if (!tookEffect) {
      this.#emit("task:lock-lost", ids);
    } else if (end.kind === "done") {
      this.#emit("task:succeeded", { ...ids, durationMs });
    } else {
      this.#emit("task:failed", { ...ids, error: end.error, durationMs });
      if (end.kind === "retry") {
        this.#emit("task:retry-scheduled", {
          taskId,
          attempt: parts.attempt,
          runAt: end.runAt,
          delayMs: end.runAt - clock.now(),
        });
      } else {
        this.#emit("task:killed", {
          taskId,
          attempt: parts.attempt,
          reason: end.error,
        });
      }
    }
  }

  /** Retry or kill: a retry layer's decision, else the default backoff. */
  #decide(thrown: unknown, attempt: number, maxAttempts: number): AttemptEnd {
    const decided = thrown instanceof RetryDecision ? thrown : null;
    const error = cleanText(errorText(decided?.failure ?? toError(thrown)));
    let delayMs = decided
      ? decided.delayMs
      : backoffDelay(this.backoff, attempt);
    if (attempt >= maxAttempts) delayMs = null;
    if (delayMs === null) return { kind: "kill", error };
    return { kind: "retry", error, runAt: this.backend.clock.now() + delayMs };
  }

  /** Waits for running attempts; releases those still running at the deadline. */
  async #drain(deadlineMs: number): Promise<number> {
    const all = Promise.all([...this.#running.values()].map((a) => a.done));
    const timer = new AbortController();
    const drained = await Promise.race([
      all.then(() => true),
      this.backend.clock.sleep(deadlineMs, timer.signal).then(() => false),
    ]);
    timer.abort();
    if (drained) return 0;
    let released = 0;
    for (const attempt of this.#running.values()) {
      attempt.released = true;
      attempt.abort.abort(new WorkerStoppedError(this.id));
      const { taskId, attempt: n } = attempt.task.parts;
      const ok = await this.#call(() =>
        this.backend.release(taskId, n, this.id),
      );
      if (ok) {
        released++;
        this.#emit("task:released", { taskId, attempt: n, workerId: this.id });
      }
    }
    return released;
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
