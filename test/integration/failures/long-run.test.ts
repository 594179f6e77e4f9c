import { expect, it } from "vitest";
import { longRun } from "../../support/long-run.ts";
import { pgliteDb } from "../../support/postgres.ts";

const db = pgliteDb();

it("processes and deletes large tasks batch after batch, losing none (F04)", async () => {
  const storage = await db.storage<{ n: number; blob: string }>({
    queue: "long",
  });
  const result = await longRun(storage, {
    tasks: 600,
    batch: 100,
    payloadBytes: 200 * 1024,
  });
  console.log(`F04 long run (600 × 200 KB): ${JSON.stringify(result)}`);
  expect(result).toMatchObject({ pushed: 600, done: 600, left: 0 });
});
