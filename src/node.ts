/**
 * Node-only parts of Tasklab (`tasklab/node`): they import Node
 * modules, so the package root, which runs in browsers too, leaves
 * them out.
 */
export {
  NodePgDriver,
  type NodePgDriverOptions,
} from "./backends/postgres/node-pg.ts";
