/**
 * `npm run bench`: the runtime's throughput and latency on PGlite and,
 * when DATABASE_URL is set, on a PostgreSQL server. Prints a table,
 * then one line of JSON. A benchmark, not a test: it asserts nothing.
 */
import {
  PgliteDriver,
  PostgresStorage,
} from "../../src/backends/postgres/index.ts";
import { NodePgDriver } from "../../src/node.ts";
import { bareClaimLoop } from "./ceiling.ts";
import { runWorkload, type WorkloadResult } from "./workload.ts";

const TASKS = Number(process.env.BENCH_TASKS ?? 20_000);
const SHAPE = { tasks: TASKS, workers: 4, concurrency: 10, probes: 50 };

async function onPglite(): Promise<WorkloadResult> {
  const driver = await PgliteDriver.create();
  const storage = await PostgresStorage.create<{ n: number }>({
    driver,
    queue: "bench",
  });
  try {
    return await runWorkload(storage, SHAPE);
  } finally {
    await driver.close();
  }
}

async function onServer(url: string): Promise<WorkloadResult> {
  const driver = new NodePgDriver({ connectionString: url });
  const schema = `bench_${process.pid}`;
  const storage = await PostgresStorage.create<{ n: number }>({
    driver,
    queue: "bench",
    schema,
  });
  try {
    return await runWorkload(storage, SHAPE);
  } finally {
    await driver.query(`drop schema if exists ${schema} cascade`);
    await driver.close();
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

const ceiling = await bareClaimLoop(TASKS);
const pglite = await onPglite();
const url = process.env.DATABASE_URL;
const server = url ? await onServer(url) : null;

console.log(`${TASKS} no-op tasks, 4 workers × concurrency 10\n`);
console.table({
  "bare SQL loop, PGlite": { "tasks/s": round(ceiling) },
  "runtime, PGlite": {
    "tasks/s": round(pglite.tasksPerS),
    "push tasks/s": round(pglite.pushTasksPerS),
    "push→start p50 ms": round(pglite.pushToStartMsP50),
    "push→start p95 ms": round(pglite.pushToStartMsP95),
  },
  ...(server && {
    "runtime, server": {
      "tasks/s": round(server.tasksPerS),
      "push tasks/s": round(server.pushTasksPerS),
      "push→start p50 ms": round(server.pushToStartMsP50),
      "push→start p95 ms": round(server.pushToStartMsP95),
    },
  }),
});
if (!server) console.log("DATABASE_URL is not set: no server figures.");
console.log(
  `runtime / bare loop on PGlite: ${round((100 * pglite.tasksPerS) / ceiling)} %`,
);
console.log(
  JSON.stringify({
    tasks: TASKS,
    bare_pglite_tasks_per_s: round(ceiling),
    pglite_tasks_per_s: round(pglite.tasksPerS),
    pglite_share_of_bare: round(pglite.tasksPerS / ceiling),
    server_tasks_per_s: server ? round(server.tasksPerS) : null,
    push_tasks_per_s: round(pglite.pushTasksPerS),
    push_to_start_ms_p50: round(pglite.pushToStartMsP50),
    server_push_tasks_per_s: server ? round(server.pushTasksPerS) : null,
    server_push_to_start_ms_p50: server ? round(server.pushToStartMsP50) : null,
  }),
);
