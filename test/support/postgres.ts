/**
 * Databases for tests of the Postgres backend, always cleaned up.
 *
 *   const db = pgliteDb();          // or serverDb()
 *   test("...", async () => {
 *     const storage = await db.storage<Email>({ clock });
 *   });
 *
 * Call `pgliteDb()` / `serverDb()` once at the top of a test file: it
 * registers hooks that open one database for the file, give every test
 * a fresh schema (`db.schema`, dropped after the test) and close the
 * database after the file. `db.storage()` migrates the test's schema
 * and returns a `PostgresStorage` on it; call it as often as needed
 * (several queues share the schema).
 *
 * `serverDb()` reads DATABASE_URL (start a server with
 * `scripts/start-postgres.sh`). Without a reachable server its tests
 * fail when CI=true and are skipped, with the reason, otherwise.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe } from "vitest";
import type { Driver } from "../../src/backends/postgres/driver.ts";
import {
  PgliteDriver,
  type PgliteDriverOptions,
} from "../../src/backends/postgres/pglite.ts";
import {
  PostgresStorage,
  type PostgresStorageOptions,
} from "../../src/backends/postgres/storage.ts";
import { NodePgDriver } from "../../src/node.ts";

/** A database for one test file with a fresh schema per test. */
export interface TestDb {
  /** "pglite" or "server", for test names. */
  readonly name: string;
  /** The file's driver; valid inside tests. */
  readonly driver: Driver;
  /** This test's schema; dropped after the test. */
  readonly schema: string;
  /** Migrates this test's schema and opens a storage on it. */
  storage<Args = unknown>(
    options?: Partial<Omit<PostgresStorageOptions, "driver" | "schema">>,
  ): Promise<PostgresStorage<Args>>;
}

let schemas = 0;

/** A schema name no other test (or process) uses at the same time. */
export function uniqueSchema(): string {
  const stamp = Date.now().toString(36);
  return `test_${process.pid}_${stamp}_${schemas++}`;
}

/** One in-memory PGlite per test file. */
export function pgliteDb(options: PgliteDriverOptions = {}): TestDb {
  return testDb("pglite", () => PgliteDriver.create(options));
}

/** A PostgreSQL server at DATABASE_URL, one pool per test file. */
export function serverDb(): TestDb {
  return testDb("server", async () => {
    const url = process.env.DATABASE_URL;
    if (!url) {
      throw new Unavailable(
        "DATABASE_URL is not set; start a server with scripts/start-postgres.sh and export the line it prints",
      );
    }
    const driver = new NodePgDriver({
      connectionString: url,
      connectionTimeoutMs: 5_000,
    });
    try {
      await driver.query("SELECT 1");
    } catch (error) {
      await driver.close();
      throw new Unavailable(
        `no PostgreSQL server answers at DATABASE_URL (${(error as Error).message})`,
      );
    }
    return driver;
  });
}

class Unavailable extends Error {}

function testDb(name: string, open: () => Promise<Driver>): TestDb {
  let driver: Driver | undefined;
  let skipReason: string | undefined;
  let schema: string | undefined;

  beforeAll(async () => {
    try {
      driver = await open();
    } catch (error) {
      if (!(error instanceof Unavailable)) throw error;
      if (process.env.CI === "true") {
        throw new Error(`server tests cannot run in CI: ${error.message}`);
      }
      skipReason = `skipped: ${error.message}`;
      console.warn(`[test/support/postgres] ${skipReason}`);
    }
  });

  beforeEach((context) => {
    if (skipReason) context.skip(skipReason);
    schema = uniqueSchema();
  });

  afterEach(async () => {
    if (driver && schema) {
      await driver.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
    schema = undefined;
  });

  afterAll(async () => {
    await driver?.close();
  });

  return {
    name,
    get driver() {
      if (!driver) throw new Error(`the ${name} database is not open`);
      return driver;
    },
    get schema() {
      if (!schema) throw new Error("db.schema is only valid inside a test");
      return schema;
    },
    storage<Args>(
      options: Partial<Omit<PostgresStorageOptions, "driver" | "schema">> = {},
    ) {
      return PostgresStorage.create<Args>({
        queue: "default",
        ...options,
        driver: this.driver,
        schema: this.schema,
      });
    },
  };
}

/**
 * Registers `cases` twice, each in a describe of its own: on PGlite,
 * and on the PostgreSQL server at DATABASE_URL.
 */
export function onEachDatabase(cases: (db: TestDb) => void): void {
  describe("on PGlite", () => cases(pgliteDb()));
  describe("on a PostgreSQL server", () => cases(serverDb()));
}
