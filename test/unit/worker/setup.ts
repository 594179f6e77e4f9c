import { afterEach } from "vitest";
import { MemoryStorage } from "../../../src/backends/memory/index.ts";
import {
  FakeClock,
  type RuntimeEvent,
  type Worker,
} from "../../../src/runtime/index.ts";

/** A memory storage on a fake clock that records every event. */
export function memorySetup<Args = unknown>() {
  const clock = new FakeClock();
  const storage = new MemoryStorage<Args>({ queue: "test", clock });
  const events: RuntimeEvent[] = [];
  storage.events.onAny((e) => events.push(e));
  const of = <T extends RuntimeEvent["type"]>(type: T) =>
    events.filter(
      (e): e is Extract<RuntimeEvent, { type: T }> => e.type === type,
    );
  return { clock, storage, events, of };
}

const started: Worker[] = [];

/** Starts a worker that is stopped after the test, whatever happens. */
export async function startWorker(worker: Worker): Promise<Worker> {
  started.push(worker);
  await worker.start();
  return worker;
}

afterEach(async () => {
  for (const worker of started.splice(0)) {
    worker.kill();
  }
});
