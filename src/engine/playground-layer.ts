import type { Clock } from "../runtime/contract.ts";
import type { Layer } from "../runtime/layers/layer.ts";
import type { AttemptIds, ConsoleCapture } from "./console-capture.ts";
import type { FaultSettings } from "./protocol.ts";

/** A failure the playground injected, not one of the handler's own. */
export class InjectedFailure extends Error {
  override name = "InjectedFailure";
}

/**
 * The innermost layer of every playground worker: it marks which attempt
 * is running (for console lines) and injects the faults set in the page:
 * added latency on the clock, then a failure at the chosen rate.
 */
export function playgroundLayer(
  capture: ConsoleCapture,
  faults: () => FaultSettings,
  clock: Clock,
): Layer {
  return {
    name: "playground",
    wrap: (next, env) => async (call) => {
      const ids: AttemptIds = {
        taskId: call.task.taskId,
        attempt: call.task.attempt,
        workerId: env.worker.id,
      };
      capture.running.add(ids);
      try {
        const { latencyMs, failureRate } = faults();
        if (latencyMs > 0) await clock.sleep(latencyMs, call.task.signal);
        if (Math.random() < failureRate) {
          throw new InjectedFailure(
            `injected failure (failure rate ${Math.round(failureRate * 100)} %)`,
          );
        }
        capture.current = ids;
        const result = next(call);
        capture.current = null;
        return await result;
      } finally {
        capture.current = null;
        capture.running.delete(ids);
      }
    },
  };
}
