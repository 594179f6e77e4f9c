/**
 * Tasklab: the runtime and its backends. Runs in Node and in browsers;
 * the Node-only server driver is in `tasklab/node`.
 */
export * from "./backends/memory/index.ts";
export * from "./backends/postgres/index.ts";
export * from "./runtime/index.ts";
