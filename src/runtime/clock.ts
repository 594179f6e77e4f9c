import type { Clock } from "./contract.ts";

/** setTimeout's limit: longer waits are taken in pieces of this size. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Wall-clock time. Sleeps of any finite length end neither early nor late. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      const until = Date.now() + Math.max(0, ms);
      let timer: ReturnType<typeof setTimeout>;
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const arm = () => {
        const left = until - Date.now();
        if (left <= 0) {
          signal?.removeEventListener("abort", onAbort);
          return resolve(true);
        }
        timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      arm();
    });
  },
};

interface FakeTimer {
  readonly due: number;
  readonly seq: number;
  readonly resolve: (completed: boolean) => void;
}

/**
 * A clock that moves only when told. Sleeps wait until `advance` (or
 * `runUntil`) passes their due time; between firings the real event
 * loop gets a turn, so promise chains and database calls make progress.
 */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: FakeTimer[] = [];
  #busy: (() => boolean)[] = [];

  constructor(start = Date.UTC(2030, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      const timer: FakeTimer = {
        due: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        resolve: (completed) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(completed);
        },
      };
      const onAbort = () => {
        this.#timers = this.#timers.filter((t) => t !== timer);
        resolve(false);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#timers.push(timer);
    });
  }

  /**
   * Holds time still while `busy()` is true: no sleep ends while, say, a
   * database round trip is under way, so fake time never runs ahead of
   * real work. Returns the function that removes the hold.
   */
  holdWhile(busy: () => boolean): () => void {
    this.#busy.push(busy);
    return () => {
      this.#busy = this.#busy.filter((b) => b !== busy);
    };
  }

  /** Sleeps not yet ended. */
  get pending(): number {
    return this.#timers.length;
  }

  /** The due time of the next sleep, if any. */
  nextDue(): number | null {
    return this.#earliest()?.due ?? null;
  }

  /** Moves time forward by `ms`, ending each sleep due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await this.#quiet();
      const next = this.#earliest();
      if (!next || next.due > target) break;
      this.#fire(next);
    }
    this.#now = Math.max(this.#now, target);
    await settle();
  }

  /**
   * Lets work run, jumping from sleep to sleep, until `done()` holds.
   * Throws when `maxMs` of fake time (an hour by default) pass first, or
   * when nothing is left to wait for, so a test never hangs.
   */
  async runUntil(
    done: () => boolean,
    options: { maxMs?: number; idleTurns?: number } = {},
  ): Promise<void> {
    const maxMs = options.maxMs ?? 3_600_000;
    const limit = this.#now + maxMs;
    const idleTurns = options.idleTurns ?? 20;
    let stalledSince: number | undefined;
    while (!done()) {
      if (!(await this.#settled(idleTurns, done))) continue;
      if (done()) return;
      const next = this.#earliest();
      if (!next) {
        // Real I/O (a database round trip) may still be under way.
        stalledSince ??= Date.now();
        if (Date.now() - stalledSince > 10_000) {
          throw new Error(
            "FakeClock.runUntil: condition still false after 10 s, and nothing is sleeping on the clock to wait for",
          );
        }
        continue;
      }
      stalledSince = undefined;
      if (next.due > limit) {
        throw new Error(
          `FakeClock.runUntil: condition still false after ${maxMs} ms of fake time`,
        );
      }
      this.#fire(next);
    }
  }

  /**
   * Turns the event loop `turns` times. False if a hold was busy on the
   * way: work resumed then, and deserves its own quiet turns before
   * time moves.
   */
  async #settled(turns: number, done: () => boolean): Promise<boolean> {
    for (let i = 0; i < turns && !done(); i++) {
      await settle();
      if (this.#busy.some((b) => b())) {
        await this.#quiet();
        return false;
      }
    }
    return true;
  }

  /** Lets the event loop turn until no hold is busy (10 s at most). */
  async #quiet(): Promise<void> {
    const since = Date.now();
    do {
      await settle();
    } while (this.#busy.some((b) => b()) && Date.now() - since < 10_000);
  }

  #earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.#timers) {
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq))
        best = t;
    }
    return best;
  }

  #fire(timer: FakeTimer) {
    this.#timers = this.#timers.filter((t) => t !== timer);
    this.#now = Math.max(this.#now, timer.due);
    timer.resolve(true);
  }
}

/** One turn of the real event loop. */
function settle(): Promise<void> {
  return new Promise((resolve) =>
    typeof setImmediate === "function"
      ? setImmediate(resolve)
      : setTimeout(resolve, 0),
  );
}
