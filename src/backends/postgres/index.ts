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
