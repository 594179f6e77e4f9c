/**
 * The benchmark workload: 20,000 no-op tasks pushed in bulk, then run
 * by 4 workers of concurrency 10 on one storage; and the time from a
 * push to its start when workers are idle.
 */
import type { PostgresStorage } from "../../src/backends/postgres/index.ts";
import { Monitor, WorkerBuilder } from "../../src/runtime/index.ts";

export interface WorkloadResult {
  pushTasksPerS: number;
  tasksPerS: number;
  pushToStartMsP50: number;
  pushToStartMsP95: number;
}

export async function runWorkload(
  storage: PostgresStorage<{ n: number }>,
  options: {
    tasks: number;
    workers: number;
    concurrency: number;
    probes: number;
  },
): Promise<WorkloadResult> {
  const pushStarted = performance.now();
  const batch = Array.from({ length: options.tasks }, (_, n) => ({
    args: { n },
  }));
  await storage.pushMany(batch);
  const pushSeconds = (performance.now() - pushStarted) / 1000;

  let done = 0;
  let allDone: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  const off = storage.events.on("task:succeeded", () => {
    if (++done === options.tasks) allDone();
  });
  const monitor = new Monitor();
  for (let i = 0; i < options.workers; i++) {
    monitor.register(
      new WorkerBuilder(`bench-${i}`)
        .backend(storage)
        .concurrency(options.concurrency)
        .build(async () => {}),
    );
  }
  const runStarted = performance.now();
  await monitor.start();
  await finished;
  const runSeconds = (performance.now() - runStarted) / 1000;
  off();

  const latencies = await pushToStart(storage, options.probes);
  await monitor.stop();
  return {
    pushTasksPerS: options.tasks / pushSeconds,
    tasksPerS: options.tasks / runSeconds,
    pushToStartMsP50: percentile(latencies, 0.5),
    pushToStartMsP95: percentile(latencies, 0.95),
  };
}

/** Pushes one task at a time to idle workers and times each start. */
async function pushToStart(
  storage: PostgresStorage<{ n: number }>,
  probes: number,
): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < probes; i++) {
    let pushedAt = 0;
    const started = new Promise<number>((resolve) => {
      const off = storage.events.on("task:started", () => {
        off();
        resolve(performance.now());
      });
    });
    pushedAt = performance.now();
    await storage.push({ n: -i });
    latencies.push((await started) - pushedAt);
    // Let the workers finish and go idle again before the next probe.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return latencies;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.floor(p * sorted.length));
  return sorted[index] ?? Number.NaN;
}
