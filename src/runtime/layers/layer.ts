/**
 * Layers: middleware around a handler. A layer wraps the next service
 * and may act before, after, or instead of it. The worker composes them
 * in the order given: the first `.layer(...)` is the outermost.
 */
import type {
  Clock,
  EventHub,
  Logger,
  StoredContext,
  WorkerInfo,
} from "../contract.ts";
import type { TaskInput } from "../handler.ts";

/** One call of the handler: the task's args, its input and the state. */
export interface TaskCall<Args = unknown, Ctx = StoredContext> {
  readonly args: Args;
  readonly task: TaskInput<Ctx>;
  readonly state: object;
}

/** Runs one call; resolves on success and rejects on failure. */
export type Service = (call: TaskCall) => Promise<unknown>;

/** What a layer may use besides the next service. */
export interface LayerEnv {
  readonly worker: WorkerInfo;
  readonly clock: Clock;
  readonly events: EventHub;
  readonly logger: Logger;
}

export interface Layer {
  /** Shown in logs and errors. */
  readonly name: string;
  wrap(next: Service, env: LayerEnv): Service;
}
