/**
 * `npm run bench:memory`: F04's long run on PGlite. 100,000 tasks of
 * 200 KB by default (BENCH_TASKS to change), pushed 500 at a time,
 * processed by 2 workers and deleted once done. Prints the peak memory.
 */
import {
  PgliteDriver,
  PostgresStorage,
} from "../../src/backends/postgres/index.ts";
import { longRun } from "../support/long-run.ts";

const tasks = Number(process.env.BENCH_TASKS ?? 100_000);
const driver = await PgliteDriver.create();
const storage = await PostgresStorage.create<{ n: number; blob: string }>({
  driver,
  queue: "long",
});
const result = await longRun(storage, {
  tasks,
  batch: 500,
  payloadBytes: 200 * 1024,
  onBatch: ({ pushed, rssMb, heapMb, seconds }) => {
    // A line every 5 % of the run (or so), so a long run shows progress.
    if (pushed % Math.max(500, Math.ceil(tasks / 20 / 500) * 500) !== 0) {
      if (pushed !== tasks) return;
    }
    console.log(
      `${pushed.toLocaleString("en")} / ${tasks.toLocaleString("en")} tasks, ${seconds} s: RSS ${rssMb} MB, heap ${heapMb} MB`,
    );
  },
});
await driver.close();
console.table(result);
console.log(JSON.stringify(result));
