import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { FakeClock } from "../../../src/runtime/clock.ts";
import { pgliteDb } from "../../support/postgres.ts";

const db = pgliteDb();

it("reuses the space and the log of deleted tasks on PGlite, which has no autovacuum or checkpointer (F04)", async () => {
  const clock = new FakeClock();
  const storage = await db.storage<{ blob: string }>({ clock, queue: "big" });
  const worker = "w1";
  await storage.registerWorker({ id: worker, name: "w", queue: "big" });
  const size = async () => {
    const { rows } = await db.driver.query<{ bytes: string }>(
      `SELECT (pg_total_relation_size('${storage.schema}.tasks')
        + pg_total_relation_size('${storage.schema}.attempts'))::text AS bytes`,
    );
    return Number(rows[0]?.bytes);
  };
  const walSegments = async () => {
    const { rows } = await db.driver.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_ls_waldir()",
    );
    return Number(rows[0]?.n);
  };
  const sizes: number[] = [];
  const segments: number[] = [];
  for (let round = 0; round < 8; round++) {
    // Random text does not compress, so each round writes ~4 MB.
    const blob = randomBytes(32 * 1024).toString("hex");
    await storage.pushMany(
      Array.from({ length: 64 }, () => ({ args: { blob } })),
    );
    const tasks = await storage.claim(worker, 64);
    await storage.finish(
      tasks.map(({ parts }) => ({
        taskId: parts.taskId,
        attempt: parts.attempt,
        workerId: worker,
        end: { kind: "done" as const },
      })),
    );
    await clock.advance(1_000);
    expect(await storage.deleteFinished({ before: clock.now() })).toBe(64);
    sizes.push(await size());
    segments.push(await walSegments());
  }
  // Without reuse the tables would hold eight rounds' worth by now.
  expect(sizes[7]).toBeLessThanOrEqual((sizes[0] as number) * 1.5);
  // A 16 MB log segment is recycled, not added, round after round.
  expect(segments[7]).toBeLessThanOrEqual(segments[0] as number);
});
