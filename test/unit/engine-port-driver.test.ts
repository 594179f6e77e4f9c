import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgliteDriver } from "../../src/backends/postgres/pglite.ts";
import { DbHost } from "../../src/engine/db-host.ts";
import { PortDriver } from "../../src/engine/port-driver.ts";

let db: PGlite;
let host: DbHost;
const drivers: PortDriver[] = [];

function connect(processId: string): PortDriver {
  const channel = new MessageChannel();
  host.connect(processId, channel.port1);
  const driver = new PortDriver(channel.port2);
  drivers.push(driver);
  return driver;
}

beforeAll(async () => {
  db = await PGlite.create();
  host = new DbHost(new PgliteDriver(db, { queueTimeoutMs: 300 }), {
    idleTransactionMs: 2_000,
  });
  await db.exec("CREATE TABLE notes (id int PRIMARY KEY, body text)");
}, 60_000);

afterAll(async () => {
  for (const driver of drivers) await driver.close();
  for (const id of ["a", "b", "c", "d"]) await host.disconnect(id);
  await db.close();
});

describe("PortDriver over a MessageChannel to a DbHost", () => {
  it("runs parameterised queries and returns rows", async () => {
    const driver = connect("a");
    await driver.query("INSERT INTO notes VALUES ($1, $2)", [1, "one"]);
    const { rows } = await driver.query<{ body: string }>(
      "SELECT body FROM notes WHERE id = $1",
      [1],
    );
    expect(rows).toEqual([{ body: "one" }]);
  });

  it("keeps the SQLSTATE of a refused statement in the error's code", async () => {
    const driver = connect("a");
    const error = await driver
      .query("INSERT INTO notes VALUES (1, 'again')")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "23505" });
  });

  it("commits a transaction and rolls back one whose body throws", async () => {
    const driver = connect("b");
    await driver.transaction(async (tx) => {
      await tx.query("INSERT INTO notes VALUES (2, 'two')");
    });
    await expect(
      driver.transaction(async (tx) => {
        await tx.query("INSERT INTO notes VALUES (3, 'three')");
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    const { rows } = await driver.query<{ id: number }>(
      "SELECT id FROM notes ORDER BY id",
    );
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it("reports a query queued behind another process's open transaction instead of hanging (F02)", async () => {
    const holder = connect("c");
    const other = connect("d");
    await holder.transaction(async (tx) => {
      await tx.query("SELECT 1");
      const error = await other.query("SELECT 2").catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "QUERY_QUEUED" });
    });
  });

  it("rolls back the transaction of a process that disconnects mid-way", async () => {
    const dying = connect("c");
    const survivor = connect("d");
    const tx = dying.transaction(async (handle) => {
      await handle.query("INSERT INTO notes VALUES (9, 'never')");
      await host.disconnect("c");
      await new Promise(() => {});
    });
    void tx.catch(() => {});
    const { rows } = await survivor.query("SELECT id FROM notes WHERE id = 9");
    expect(rows).toEqual([]);
  });

  it("delivers notifications to a listening port", async () => {
    const listener = connect("a");
    const payloads: string[] = [];
    let heard!: () => void;
    const got = new Promise<void>((resolve) => {
      heard = resolve;
    });
    const stop = await listener.listen("pushed", (payload) => {
      payloads.push(payload);
      heard();
    });
    await connect("b").query("SELECT pg_notify('pushed', 'task-1')");
    await got;
    expect(payloads).toEqual(["task-1"]);
    await stop();
  });

  it("holds statements while paused and runs them on resume", async () => {
    const driver = connect("a");
    host.pause();
    let answered = false;
    const query = driver.query("SELECT 1 AS one").then((r) => {
      answered = true;
      return r;
    });
    await db.query("SELECT 1");
    expect(answered).toBe(false);
    host.resume();
    expect((await query).rows).toEqual([{ one: 1 }]);
  });
});
