/**
 * Reads an installed Tasklab schema from the catalog, as plain data the
 * schema test compares with src/backends/postgres/schema.snapshot.json.
 * The schema's own name is written as `tasklab`, so any test schema
 * compares with the one snapshot.
 */
import type { Queryable } from "../../src/backends/postgres/driver.ts";

export interface SchemaShape {
  columns: string[];
  constraints: string[];
  indexes: string[];
  functions: string[];
}

export async function describeSchema(
  db: Queryable,
  schema: string,
): Promise<SchemaShape> {
  const columns = await db.query<{ line: string }>(
    `SELECT table_name || '.' || column_name || ' ' || data_type
        || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END
        || CASE WHEN column_default IS NOT NULL
             THEN ' default ' || column_default ELSE '' END
        || CASE WHEN is_identity = 'YES'
             THEN ' identity ' || identity_generation ELSE '' END AS line
     FROM information_schema.columns WHERE table_schema = $1
     ORDER BY table_name, ordinal_position`,
    [schema],
  );
  // Only the kinds every PostgreSQL version records alike: NOT NULL is
  // in the column list (PostgreSQL 18 also lists it as a constraint).
  const constraints = await db.query<{ line: string }>(
    `SELECT c.conrelid::regclass::text || ' ' || c.conname || ' '
        || pg_get_constraintdef(c.oid) AS line
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE n.nspname = $1 AND c.contype IN ('c', 'p', 'u', 'f')
     ORDER BY 1`,
    [schema],
  );
  const indexes = await db.query<{ line: string }>(
    `SELECT indexdef AS line FROM pg_indexes WHERE schemaname = $1
     ORDER BY indexname`,
    [schema],
  );
  const functions = await db.query<{ line: string }>(
    `SELECT p.proname || '(' || pg_get_function_arguments(p.oid) || ') '
        || pg_get_function_result(p.oid) AS line
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = $1 ORDER BY 1`,
    [schema],
  );
  const neutral = (rows: { line: string }[]) =>
    rows.map((row) => row.line.replaceAll(`${schema}.`, "tasklab."));
  return {
    columns: neutral(columns.rows),
    constraints: neutral(constraints.rows),
    indexes: neutral(indexes.rows),
    functions: neutral(functions.rows),
  };
}
