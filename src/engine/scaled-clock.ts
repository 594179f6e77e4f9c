import type { Clock } from "../runtime/contract.ts";
import type { ClockState } from "./protocol.ts";

/** setTimeout's limit: longer waits are taken in pieces. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Clock time at real time `realNow` under `state`. */
export function clockAt(state: ClockState, realNow: number): number {
  return Math.floor(state.atClock + (realNow - state.atReal) * state.speed);
}

/**
 * The same time from a new real instant on, at a new speed (0 pauses).
 * Rebasing never moves the clock, so it never runs backwards.
 */
export function rebase(
  state: ClockState,
  realNow: number,
  speed: number,
): ClockState {
  return { atReal: realNow, atClock: clockAt(state, realNow), speed };
}

interface Sleeper {
  readonly due: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  readonly arm: (onTimer?: boolean) => void;
}

/**
 * The playground's clock: the page owns time and sends every process
 * the same `ClockState`, so all of them read the same clock time from
 * the shared real clock. States: running at some speed, or paused
 * (speed 0: `now()` stands still and no sleep ends). A new state from
 * the page re-arms every pending sleep against its clock due time, so a
 * faster speed shortens waits already begun.
 */
export class ScaledClock implements Clock {
  #state: ClockState;
  readonly #realNow: () => number;
  readonly #sleepers = new Set<Sleeper>();

  constructor(state: ClockState, realNow: () => number = Date.now) {
    this.#state = state;
    this.#realNow = realNow;
  }

  get state(): ClockState {
    return this.#state;
  }

  now(): number {
    return clockAt(this.#state, this.#realNow());
  }

  /** Takes a new state from the page; pending sleeps follow it. */
  set(state: ClockState): void {
    this.#state = state;
    for (const sleeper of this.#sleepers) {
      clearTimeout(sleeper.timer);
      sleeper.arm();
    }
  }

  sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      const end = (completed: boolean) => {
        clearTimeout(sleeper.timer);
        this.#sleepers.delete(sleeper);
        signal?.removeEventListener("abort", onAbort);
        resolve(completed);
      };
      const onAbort = () => end(false);
      const sleeper: Sleeper = {
        due: this.now() + Math.max(0, ms),
        timer: undefined,
        arm: (onTimer = false) => {
          const left = sleeper.due - this.now();
          // A sleep found due on a timer ends now; one due already when
          // it begins still ends on a timer, never in the same turn, so
          // a loop that sleeps 0 ms lets the thread answer its messages.
          if (left <= 0 && onTimer) return end(true);
          const speed = this.#state.speed;
          if (left > 0 && speed <= 0) return;
          const real = left <= 0 ? 0 : Math.ceil(left / speed);
          sleeper.timer = setTimeout(
            () => sleeper.arm(true),
            Math.min(real, MAX_TIMER_MS),
          );
        },
      };
      this.#sleepers.add(sleeper);
      signal?.addEventListener("abort", onAbort, { once: true });
      sleeper.arm();
    });
  }
}
