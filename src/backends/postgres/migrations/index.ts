import { init } from "./001_init.ts";
import { hotPathFunctions } from "./002_hot_path_functions.ts";

/** One schema change. `up(schema)` is its SQL for that schema. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: (schema: string) => string;
}

/**
 * Every migration, oldest first. Each is SQL in a numbered module, not
 * a `.sql` file, so Node, vitest and a browser bundle load it alike.
 * Never edit one that has shipped; add the next number.
 */
export const migrations: readonly Migration[] = [
  { version: 1, name: "init", up: init },
  { version: 2, name: "hot path functions", up: hotPathFunctions },
];
