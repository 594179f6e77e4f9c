import { describe, expect, test } from "vitest";
import { FakeClock } from "../../../src/runtime/clock.ts";
import { serverDb } from "../../support/postgres.ts";

// Row locks only meet other connections on a server: PGlite has one.
describe("PostgresStorage on a PostgreSQL server, against other connections", () => {
  const db = serverDb();

  test("claim skips tasks another connection holds locked (SKIP LOCKED)", async () => {
    const storage = await db.storage<number>({ clock: new FakeClock() });
    await storage.pushMany([0, 1, 2, 3, 4, 5].map((n) => ({ args: n })));

    const claimed = await db.driver.transaction(async (tx) => {
      await tx.query(
        `SELECT id FROM ${db.schema}.tasks
         ORDER BY id LIMIT 3 FOR UPDATE`,
      );
      return storage.claim("w1", 10);
    });

    expect(claimed.map((t) => t.args)).toEqual([3, 4, 5]);
    const rest = await storage.claim("w2", 10);
    expect(rest.map((t) => t.args)).toEqual([0, 1, 2]);
  });

  test("a finish waits for a lock another connection holds, then stays fenced", async () => {
    const storage = await db.storage<number>({ clock: new FakeClock() });
    const id = await storage.push(1);
    await storage.claim("w1", 1);
    const end = { kind: "done" } as const;

    const { late } = await db.driver.transaction(async (tx) => {
      // Another connection takes the task over while w1's finish waits.
      await tx.query(
        `UPDATE ${db.schema}.tasks SET lock_by = 'w2' WHERE id = $1`,
        [id],
      );
      const late = storage.finish([
        { taskId: id, attempt: 1, workerId: "w1", end },
      ]);
      // Give the finish time to reach the server and wait on the lock;
      // commit releases it. Wrapped, so the commit does not wait for it.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { late };
    });

    expect(await late).toEqual([false]);
    expect((await storage.get(id))?.context.lockBy).toBe("w2");
  });
});
