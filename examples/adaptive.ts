/**
 * Context and state together: the processor is chosen by the task's
 * priority and attempt, and the delivery timeout shrinks as the
 * remaining attempts run out.
 */
import { handler, stateKey } from "../src/index.ts";
import type { Email } from "./email-app.ts";

export interface Processor {
  readonly name: string;
  process(email: Email, timeoutMs: number): Promise<void>;
}

export interface AdaptiveState {
  processors: {
    highPriority: Processor;
    retry: Processor;
    standard: Processor;
  };
  config: { baseTimeoutMs: number };
  metrics: { record(priority: number, attempt: number, runAt: number): void };
}

export const Adaptive = stateKey<AdaptiveState>("Adaptive");

/** More time for early attempts; the last one gets the base timeout. */
export function deliveryTimeout(
  maxAttempts: number,
  attempt: number,
  baseTimeoutMs: number,
): number {
  const left = Math.max(0, maxAttempts - attempt);
  return baseTimeoutMs * (1 + left);
}

export const adaptiveProcessing = handler(
  { needs: { state: Adaptive } },
  async (email: Email, { context, attempt }, { state }) => {
    const { processors } = state;
    const processor =
      context.priority > 8
        ? processors.highPriority
        : attempt > 2
          ? processors.retry
          : processors.standard;
    const timeoutMs = deliveryTimeout(
      context.maxAttempts,
      attempt,
      state.config.baseTimeoutMs,
    );
    state.metrics.record(context.priority, attempt, context.runAt);
    await processor.process(email, timeoutMs);
  },
);
