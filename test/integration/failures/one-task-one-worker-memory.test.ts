import { it } from "vitest";
import { MemoryStorage } from "../../../src/backends/memory/index.ts";
import { FakeClock } from "../../../src/runtime/index.ts";
import { oneTaskOneWorker } from "../../support/one-task-one-worker.ts";

it("memory: hands each of 1,000 tasks to exactly one of 4 workers, with the lock naming it (F01)", async () => {
  const clock = new FakeClock();
  const storage = new MemoryStorage<{ n: number }>({ queue: "f01", clock });
  await oneTaskOneWorker(clock, storage);
});
