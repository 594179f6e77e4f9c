/**
 * What `require("tasklab")` returns inside a handler worker: the package
 * root's exports (the runtime, the memory and Postgres storages) except
 * the PGlite driver: the database lives in its own worker, and a handler
 * worker reaches it through a `PortDriver`.
 */
export * from "../backends/memory/index.ts";
export * from "../backends/postgres/errors.ts";
export type { PgContext } from "../backends/postgres/rows.ts";
export {
  PostgresStorage,
  type PostgresStorageOptions,
} from "../backends/postgres/storage.ts";
export * from "../runtime/index.ts";
