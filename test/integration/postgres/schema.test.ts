import { describe, expect, test } from "vitest";
import { migrate } from "../../../src/backends/postgres/migrate.ts";
import { migrations } from "../../../src/backends/postgres/migrations/index.ts";
import { pgliteDb, serverDb, type TestDb } from "../../support/postgres.ts";
import { describeSchema } from "../../support/postgres-schema.ts";

// `npx vitest run -u` rewrites the snapshot after a new migration.
const SNAPSHOT = "../../../src/backends/postgres/schema.snapshot.json";

function schemaCases(db: TestDb) {
  test("the migrated schema equals the committed snapshot", async () => {
    await migrate(db.driver, { schema: db.schema });

    const shape = await describeSchema(db.driver, db.schema);

    await expect(`${JSON.stringify(shape, null, 2)}\n`).toMatchFileSnapshot(
      SNAPSHOT,
    );
  });

  test("two migrations at once apply each version once", async () => {
    const runs = await Promise.all([
      migrate(db.driver, { schema: db.schema }),
      migrate(db.driver, { schema: db.schema }),
    ]);

    expect(runs.flat()).toEqual(migrations.map((m) => m.version));
  });
}

describe("Postgres schema on PGlite", () => schemaCases(pgliteDb()));
describe("Postgres schema on a PostgreSQL server", () =>
  schemaCases(serverDb()));
