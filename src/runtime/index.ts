export {
  type BackoffPolicy,
  backoffDelay,
  backoffPolicy,
  DEFAULT_BACKOFF,
} from "./backoff.ts";
export { WorkerBuilder } from "./builder.ts";
export { FakeClock, systemClock } from "./clock.ts";
export { freezeContext } from "./context.ts";
export type * from "./contract.ts";
export { TASK_STATUSES } from "./contract.ts";
export * from "./error-text.ts";
export * from "./errors.ts";
export { createEventHub } from "./events.ts";
export {
  type Handler,
  type HandlerFn,
  handler,
  type Needs,
  type NoNeeds,
  type StateKey,
  type StateOf,
  stateKey,
  type TaskInput,
} from "./handler.ts";
export * from "./layers/index.ts";
export { consoleLogger, type LogLevel, noopLogger } from "./logger.ts";
export { Monitor } from "./monitor.ts";
export { MAX_RENDER_DEPTH } from "./render-value.ts";
export {
  cleanText,
  DEFAULT_MAX_ATTEMPTS,
  MAX_DELAY_MS,
  type NormalizedPush,
  normalizePush,
} from "./validate.ts";
export { Worker, type WorkerPhase } from "./worker.ts";
export {
  DEFAULT_WORKER_OPTIONS,
  type WorkerOptions,
} from "./worker-options.ts";
