/**
 * What the worker cases need from a backend: a storage on a fake clock
 * that records every event, and workers that are always ended.
 */
import { afterEach } from "vitest";
import { MemoryStorage } from "../../../src/backends/memory/index.ts";
import {
  FakeClock,
  type RuntimeEvent,
  type Storage,
  type Worker,
} from "../../../src/runtime/index.ts";

export interface WorkerFixture<Args> {
  clock: FakeClock;
  storage: Storage<Args>;
  events: RuntimeEvent[];
  /** The recorded events of one type, in order. */
  of<T extends RuntimeEvent["type"]>(
    type: T,
  ): Extract<RuntimeEvent, { type: T }>[];
}

export type WorkerSetup = <Args = unknown>() => Promise<WorkerFixture<Args>>;

/**
 * Records every event of `storage`, and holds the fake clock while any
 * call to it is under way (see `holdClockDuringCalls`).
 */
export function recording<Args>(
  clock: FakeClock,
  backend: Storage<Args>,
): WorkerFixture<Args> {
  const storage = holdClockDuringCalls(clock, backend);
  const events: RuntimeEvent[] = [];
  storage.events.onAny((e) => events.push(e));
  const of = <T extends RuntimeEvent["type"]>(type: T) =>
    events.filter(
      (e): e is Extract<RuntimeEvent, { type: T }> => e.type === type,
    );
  return { clock, storage, events, of };
}

export const memorySetup: WorkerSetup = async <Args>() => {
  const clock = new FakeClock();
  return recording(clock, new MemoryStorage<Args>({ queue: "test", clock }));
};

const started: Worker[] = [];

/**
 * The same storage, but the fake clock holds still while any call to it
 * is under way, so time moves only between database round trips.
 */
export function holdClockDuringCalls<S extends object>(
  clock: FakeClock,
  backend: S,
): S {
  let inFlight = 0;
  clock.holdWhile(() => inFlight > 0);
  return new Proxy(backend, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const result = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        inFlight++;
        return result.finally(() => inFlight--);
      };
    },
  });
}

/** Starts a worker that is ended after the test, whatever happens. */
export async function startWorker(worker: Worker): Promise<Worker> {
  started.push(worker);
  await worker.start();
  return worker;
}

afterEach(() => {
  for (const worker of started.splice(0)) worker.kill();
});
