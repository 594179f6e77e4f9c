/**
 * F01: several workers on one database, many ready tasks, all claiming
 * at once. Every task runs exactly once, attempts never overlap, and
 * the lock each attempt saw names the worker that ran it.
 */
import { expect } from "vitest";
import {
  type FakeClock,
  type Storage,
  type Worker,
  WorkerBuilder,
} from "../../src/runtime/index.ts";
import { holdClockDuringCalls } from "./worker-cases/setup.ts";

export async function oneTaskOneWorker(
  clock: FakeClock,
  backend: Storage<{ n: number }>,
  options = { workers: 4, tasks: 1_000, concurrency: 10 },
): Promise<void> {
  const storage = holdClockDuringCalls(clock, backend);
  await storage.pushMany(
    Array.from({ length: options.tasks }, (_, n) => ({ args: { n } })),
  );
  const runs: { taskId: string; ranBy: string; lockBy: string | null }[] = [];
  const running = new Set<string>();
  let overlaps = 0;
  const workers: Worker[] = [];
  for (let i = 0; i < options.workers; i++) {
    const worker: Worker = new WorkerBuilder(`w${i}`)
      .backend(storage)
      .concurrency(options.concurrency)
      .build(async (_args, { taskId, context }) => {
        if (running.has(taskId)) overlaps++;
        running.add(taskId);
        runs.push({ taskId, ranBy: worker.id, lockBy: context.lockBy });
        await clock.sleep(1);
        running.delete(taskId);
      });
    workers.push(worker);
  }
  let done = 0;
  storage.events.on("task:succeeded", () => done++);
  await Promise.all(workers.map((w) => w.start()));
  try {
    await clock.runUntil(() => done === options.tasks);
  } finally {
    for (const w of workers) w.kill();
  }
  expect(overlaps).toBe(0);
  expect(runs).toHaveLength(options.tasks);
  expect(new Set(runs.map((r) => r.taskId)).size).toBe(options.tasks);
  for (const run of runs) expect(run.lockBy).toBe(run.ranBy);
  expect((await storage.counts()).Done).toBe(options.tasks);
  const usedWorkers = new Set(runs.map((r) => r.ranBy));
  expect(usedWorkers.size).toBeGreaterThan(1);
}
