import type { Logger } from "../contract.ts";
import { toError } from "../error-text.ts";
import type { Layer } from "./layer.ts";

/**
 * Logs each attempt's start and end with its duration, scoped to the
 * worker and task, through the given logger (the worker's by default).
 * Starts and successes log at debug, failures at warn.
 */
export function tracing(logger?: Logger): Layer {
  return {
    name: "tracing",
    wrap: (next, env) => async (call) => {
      const { taskId, attempt } = call.task;
      const log = (logger ?? env.logger).child({
        worker: env.worker.id,
        taskId,
        attempt,
      });
      const started = env.clock.now();
      log.debug("attempt started");
      try {
        const result = await next(call);
        log.debug("attempt succeeded", {
          durationMs: env.clock.now() - started,
        });
        return result;
      } catch (thrown) {
        log.warn("attempt failed", {
          durationMs: env.clock.now() - started,
          error: toError(thrown).message,
        });
        throw thrown;
      }
    },
  };
}
