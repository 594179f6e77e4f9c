import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgliteDriver } from "../../src/backends/postgres/pglite.ts";
import { prepare } from "../../src/engine/database.ts";
import { DbHost } from "../../src/engine/db-host.ts";
import { PortDriver } from "../../src/engine/port-driver.ts";

let db: PGlite;
let app: PortDriver;
let host: DbHost;

beforeAll(async () => {
  db = await PGlite.create();
  const driver = new PgliteDriver(db);
  await prepare(driver);
  await db.query(
    "INSERT INTO tasklab.tasks (id, queue, args, max_attempts, run_at, created_at) VALUES ('t1', 'email', '{}', 3, now(), now())",
  );
  host = new DbHost(driver);
  const channel = new MessageChannel();
  host.connect("p1", channel.port1, "app");
  app = new PortDriver(channel.port2);
}, 60_000);

afterAll(async () => {
  await app.close();
  await host.disconnect("p1");
  await db.close();
});

describe("a user file's database handle (the app role)", () => {
  it("reads the runtime's tasks", async () => {
    const { rows } = await app.query("SELECT id, status FROM tasklab.tasks");
    expect(rows).toEqual([{ id: "t1", status: "Pending" }]);
  });

  it("cannot mark a task done behind the runtime's back (F15)", async () => {
    const error = await app
      .query("UPDATE tasklab.tasks SET status = 'Done'")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "42501" });
    const { rows } = await db.query("SELECT status FROM tasklab.tasks");
    expect(rows).toEqual([{ status: "Pending" }]);
  });

  it("cannot empty the change log the page reads", async () => {
    const error = await app
      .query("DELETE FROM playground.changes")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "42501" });
  });

  it("records sent emails and keeps tables of its own", async () => {
    await app.query(
      "INSERT INTO playground.sent_emails (recipient, subject, body, sent_at) VALUES ('a@example.test', 's', 'b', now())",
    );
    await app.query("CREATE TABLE users (id int PRIMARY KEY, email text)");
    await app.query("INSERT INTO users VALUES (1, 'a@example.test')");
    const { rows } = await app.query("SELECT email FROM users");
    expect(rows).toEqual([{ email: "a@example.test" }]);
  });

  it.each([
    "DO $$ BEGIN SET LOCAL ROLE postgres; UPDATE tasklab.tasks SET status = 'Done'; END $$",
    "SELECT set_config('role', 'postgres', true)",
    "CREATE FUNCTION public.done() RETURNS void LANGUAGE sql AS $$ SELECT set_config('role', 'postgres', true); UPDATE tasklab.tasks SET status = 'Done' $$",
    "CREATE FUNCTION public.done() RETURNS void LANGUAGE plpgsql AS $$ BEGIN SET LOCAL ROLE postgres; END $$",
  ])(
    "cannot take back the superuser's role within a statement (F15): %s",
    async (sql) => {
      const error = await app.query(sql).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(String(error)).toMatch(/permission denied|not offered/);
      const { rows } = await db.query("SELECT status FROM tasklab.tasks");
      expect(rows).toEqual([{ status: "Pending" }]);
    },
  );

  it.each([
    "SET ROLE postgres",
    "  /* a /* nested */ note */ -- and a line\n set session authorization playground_app",
    "RESET ROLE",
    "SET search_path TO public",
    "SET statement_timeout = 1",
    "BEGIN",
    "",
  ])(
    "cannot change the session it shares with the runtime: %j",
    async (sql) => {
      await expect(app.query(sql)).rejects.toThrow(
        /not offered, since the handle shares its session with the runtime/,
      );
      const { rows } = await db.query<{ user: string; path: string }>(
        "SELECT current_user AS user, current_setting('search_path') AS path",
      );
      expect(rows).toEqual([{ user: "postgres", path: "public" }]);
    },
  );

  it("offers single statements only", async () => {
    await expect(app.transaction(async () => {})).rejects.toThrow(
      /runs single statements/,
    );
  });
});
