/**
 * What the shared backend contract suite needs from a backend: a way to
 * make a fresh storage on a fake clock, for one queue, and to clean up.
 */
import { ulid } from "ulid";
import { afterEach, beforeEach } from "vitest";
import { FakeClock } from "../../src/runtime/clock.ts";
import type { Storage } from "../../src/runtime/contract.ts";

/** What each test of the suite hands the factory. */
export interface ContractSetup {
  /** The clock the storage must take every time from. */
  clock: FakeClock;
  /** A queue name unique to this test, so tests may share a database. */
  queue: string;
  /** When given, the storage's liveness clock; else `clock` is. */
  livenessClock?: FakeClock;
}

/** A storage made for one test. */
export interface ContractBackend {
  storage: Storage<unknown>;
  /**
   * A storage for another queue on the same tasks, workers and clock.
   * Without it, the tests that mix queues are skipped.
   */
  otherQueue?(queue: string): Storage<unknown> | Promise<Storage<unknown>>;
  /** Releases what the factory made; called after every test. */
  cleanup(): Promise<void>;
}

export type MakeStorage = (setup: ContractSetup) => Promise<ContractBackend>;

/** One test's backend, with helpers the contract tests share. */
export interface Fixture {
  readonly clock: FakeClock;
  readonly queue: string;
  readonly storage: Storage<unknown>;
  readonly otherQueue:
    | ((queue: string) => Promise<Storage<unknown>>)
    | undefined;
  /** Registers a new worker instance called `name`; returns its id. */
  worker(name?: string, on?: Storage<unknown>): Promise<string>;
  /** A storage of another queue whose liveness clock is `liveness`. */
  withLivenessClock(liveness: FakeClock): Promise<Storage<unknown>>;
}

let tests = 0;
// Queue names stay unique across runs on a long-lived database too.
const run = Math.random().toString(36).slice(2, 8);

/**
 * Gives every test of the calling `describe` a fresh backend, always
 * cleaned up after. Returns the accessor for the current test's fixture.
 */
export function useBackend(make: MakeStorage): () => Fixture {
  let current: Fixture | undefined;
  let cleanups: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    const clock = new FakeClock();
    const queue = `contract_${run}_${++tests}`;
    const made = await make({ clock, queue });
    cleanups.push(() => made.cleanup());
    const other = made.otherQueue?.bind(made);
    current = {
      clock,
      queue,
      storage: made.storage,
      otherQueue: other ? async (name) => other(name) : undefined,
      async worker(name = "contract", on = made.storage) {
        const id = `${name}-${ulid()}`;
        await on.registerWorker({ id, name, queue: on.queue });
        return id;
      },
      async withLivenessClock(livenessClock) {
        const apart = await make({
          clock,
          queue: `${queue}_liveness`,
          livenessClock,
        });
        cleanups.push(() => apart.cleanup());
        return apart.storage;
      },
    };
  });

  afterEach(async () => {
    const done = cleanups;
    current = undefined;
    cleanups = [];
    for (const cleanup of done) await cleanup();
  });

  return () => {
    if (!current) throw new Error("the backend fixture exists only in a test");
    return current;
  };
}
