export { concurrencyLimit } from "./concurrency.ts";
export type { Layer, LayerEnv, Service, TaskCall } from "./layer.ts";
export { rateLimit } from "./rate-limit.ts";
export { RetryDecision, type RetryOptions, retry } from "./retry.ts";
export { type TimeoutOptions, timeout } from "./timeout.ts";
export { tracing } from "./tracing.ts";
