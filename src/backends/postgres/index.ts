/**
 * The PostgreSQL backend: one schema, the same SQL on PGlite and on a
 * server.
 *
 *   const driver = await PgliteDriver.create();          // or { dataDir }
 *   // Node, a server: new NodePgDriver({ connectionString }) from
 *   // "tasklab/node"; one driver per process, shared by all storages.
 *   const emails = await PostgresStorage.create<Email>({
 *     driver, queue: "email", clock, schema: "tasklab",
 *   });                                                  // migrates first
 */
export type { Driver, Queryable, QueryResult } from "./driver.ts";
export { DatabaseError, QueryQueuedError } from "./errors.ts";
export { checkSchema, DEFAULT_SCHEMA, migrate } from "./migrate.ts";
export { type Migration, migrations } from "./migrations/index.ts";
export { PgliteDriver, type PgliteDriverOptions } from "./pglite.ts";
export type { PgContext } from "./rows.ts";
export {
  type ListOptions,
  PostgresStorage,
  type PostgresStorageOptions,
} from "./storage.ts";
