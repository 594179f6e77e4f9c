import { InvalidOptionError } from "../../runtime/errors.ts";
import type { Driver } from "./driver.ts";
import { databaseError } from "./errors.ts";
import { migrations } from "./migrations/index.ts";

/** The schema Tasklab's tables live in unless told otherwise. */
export const DEFAULT_SCHEMA = "tasklab";

/**
 * Checks a schema name. Only plain lowercase identifiers are allowed,
 * so the name can be written into SQL and channel names unquoted.
 */
export function checkSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,39}$/.test(schema)) {
    throw new InvalidOptionError(
      `schema "${schema}" is not allowed: use 1-40 lowercase letters, digits and underscores, starting with a letter or underscore`,
    );
  }
  return schema;
}

/**
 * Brings `schema` up to the latest migration and returns the versions
 * it applied (empty when it was current). Everything runs in one
 * transaction under an advisory lock, so two processes migrating at
 * once apply each migration once; on PGlite the lock is free.
 */
export async function migrate(
  driver: Driver,
  options: { schema?: string } = {},
): Promise<number[]> {
  const s = checkSchema(options.schema ?? DEFAULT_SCHEMA);
  try {
    return await driver.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [
        `tasklab:migrate:${s}`,
      ]);
      await tx.exec(`
        CREATE SCHEMA IF NOT EXISTS ${s};
        CREATE TABLE IF NOT EXISTS ${s}.migrations (
          version integer PRIMARY KEY,
          name text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        );`);
      const { rows } = await tx.query<{ version: number }>(
        `SELECT version FROM ${s}.migrations`,
      );
      const applied = new Set(rows.map((row) => row.version));
      const missing = migrations.filter((m) => !applied.has(m.version));
      for (const migration of missing) {
        await tx.exec(migration.up(s));
        await tx.query(
          `INSERT INTO ${s}.migrations (version, name) VALUES ($1, $2)`,
          [migration.version, migration.name],
        );
      }
      return missing.map((m) => m.version);
    });
  } catch (error) {
    throw databaseError(`migrating schema ${s}`, error);
  }
}
