import { expect, it } from "vitest";
import { FakeClock } from "../../../src/runtime/index.ts";
import { oneTaskOneWorker } from "../../support/one-task-one-worker.ts";
import { pgliteDb } from "../../support/postgres.ts";

const db = pgliteDb();

it("pglite: hands each of 1,000 tasks to exactly one of 4 workers, with the lock naming it (F01)", async () => {
  const clock = new FakeClock();
  const storage = await db.storage<{ n: number }>({ clock, queue: "f01" });
  await oneTaskOneWorker(clock, storage);
  const attempts = await storage.attempts(
    (await storage.list({ limit: 1 }))[0]?.id ?? "",
  );
  expect(attempts).toHaveLength(1);
});
