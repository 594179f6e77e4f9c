import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PgliteDriver } from "../../../src/backends/postgres/pglite.ts";
import { PostgresStorage } from "../../../src/backends/postgres/storage.ts";
import { FakeClock } from "../../../src/runtime/clock.ts";

describe("PgliteDriver", () => {
  let driver: PgliteDriver;

  beforeAll(async () => {
    // Short, so the test of the limit does not wait long; real work
    // here takes a few milliseconds.
    driver = await PgliteDriver.create({ queueTimeoutMs: 300 });
  });

  afterAll(async () => {
    await driver.close();
  });

  test("a query on the outer handle inside a transaction fails with QUERY_QUEUED instead of hanging (F02)", async () => {
    const attempt = driver.transaction(async (tx) => {
      await tx.query("SELECT 1");
      await driver.query("SELECT 2");
    });

    await expect(attempt).rejects.toMatchObject({
      code: "QUERY_QUEUED",
      message: expect.stringContaining("tx.query"),
    });
    const { rows } = await driver.query<{ x: number }>("SELECT 1 AS x");
    expect(rows).toEqual([{ x: 1 }]);
  });

  test("queries sent at once run one at a time, in order, and all succeed", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        driver.query<{ n: number }>("SELECT $1::int AS n", [n]),
      ),
    );

    expect(results.map((r) => r.rows[0]?.n)).toEqual(
      Array.from({ length: 50 }, (_, n) => n),
    );
  });

  test("a transaction that throws is rolled back", async () => {
    await driver.exec("CREATE TABLE rollback_probe (n int)");

    const failing = driver.transaction(async (tx) => {
      await tx.query("INSERT INTO rollback_probe VALUES (1)");
      throw new Error("changed my mind");
    });

    await expect(failing).rejects.toThrow("changed my mind");
    const { rows } = await driver.query("SELECT * FROM rollback_probe");
    expect(rows).toEqual([]);
  });

  test("listen delivers notifications until unlisten", async () => {
    const payloads: string[] = [];
    const unlisten = await driver.listen("probe", (p) => payloads.push(p));

    await driver.query("SELECT pg_notify('probe', 'one')");
    await unlisten();
    await driver.query("SELECT pg_notify('probe', 'two')");
    await driver.query("SELECT 1");

    expect(payloads).toEqual(["one"]);
  });
});

describe("PostgresStorage on PGlite in a directory", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tasklab-pglite-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("a task marked done is still done after close and reopen, and never claimed again (F03)", async () => {
    const clock = new FakeClock();
    const first = await PgliteDriver.create({ dataDir: dir });
    const before = await PostgresStorage.create<string>({
      driver: first,
      queue: "q",
      clock,
    });
    const id = await before.push("once");
    const [task] = await before.claim("w1", 1);
    const end = { kind: "done" } as const;
    const finish = { taskId: id, attempt: 1, workerId: "w1", end };
    expect(task?.parts.taskId).toBe(id);
    expect(await before.finish([finish])).toEqual([true]);
    await first.close();

    const second = await PgliteDriver.create({ dataDir: dir });
    try {
      const after = await PostgresStorage.create<string>({
        driver: second,
        queue: "q",
        clock,
      });
      expect(await after.get(id)).toMatchObject({
        status: "Done",
        attempts: 1,
      });
      await clock.advance(86_400_000);
      expect(await after.claim("w2", 10)).toEqual([]);
      expect(await after.attempts(id)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});
