import { expect, it } from "vitest";
import { MemoryStorage } from "../../../src/backends/memory/index.ts";
import { FakeClock } from "../../../src/runtime/index.ts";
import { oneTaskOneWorker } from "../../support/one-task-one-worker.ts";
import { onEachDatabase } from "../../support/postgres.ts";

const name =
  "hands each of 1,000 tasks to exactly one of 4 workers, with the lock naming it (F01)";

it(`memory: ${name}`, async () => {
  const clock = new FakeClock();
  const storage = new MemoryStorage<{ n: number }>({ queue: "f01", clock });
  await oneTaskOneWorker(clock, storage);
});

onEachDatabase((db) => {
  it(name, async () => {
    const clock = new FakeClock();
    const storage = await db.storage<{ n: number }>({ clock, queue: "f01" });
    await oneTaskOneWorker(clock, storage);
    const [first] = await storage.list({ limit: 1 });
    expect(await storage.attempts(first?.id ?? "")).toHaveLength(1);
  });
});
