/**
 * What `require("tasklab")` returns inside a handler worker: the
 * runtime's real exports and the Postgres storage, without the PGlite
 * driver (the database lives in its own worker; a handler worker talks
 * to it through a `PortDriver`).
 */
export * from "../backends/postgres/errors.ts";
export type { PgContext } from "../backends/postgres/rows.ts";
export {
  PostgresStorage,
  type PostgresStorageOptions,
} from "../backends/postgres/storage.ts";
export * from "../runtime/index.ts";
