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

  it("offers single statements only", async () => {
    await expect(app.transaction(async () => {})).rejects.toThrow(
      /runs single statements/,
    );
  });
});
