/**
 * F04: a long run of large tasks, pushed in batches, processed, and
 * deleted once finished. Reports the peak memory of the process, and
 * fails loudly if a push stores fewer tasks than asked or a task is
 * never finished.
 */
import {
  type Storage,
  type Worker,
  WorkerBuilder,
} from "../../src/runtime/index.ts";

export interface LongRunResult {
  pushed: number;
  done: number;
  left: number;
  peakRssMb: number;
  peakHeapMb: number;
  seconds: number;
}

/** Where a long run stands, reported after every batch. */
export interface LongRunProgress {
  pushed: number;
  rssMb: number;
  heapMb: number;
  seconds: number;
}

export async function longRun(
  storage: Storage<{ n: number; blob: string }>,
  options: {
    tasks: number;
    batch: number;
    payloadBytes: number;
    onBatch?: (progress: LongRunProgress) => void;
  },
): Promise<LongRunResult> {
  const blob = "x".repeat(options.payloadBytes);
  let done = 0;
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  storage.events.on("task:succeeded", () => done++);
  const workers: Worker[] = [0, 1].map((i) =>
    new WorkerBuilder(`long-${i}`)
      .backend(storage)
      .concurrency(10)
      .build(async ({ blob }) => {
        if (blob.length !== options.payloadBytes) throw new Error("cut");
      }),
  );
  const started = performance.now();
  await Promise.all(workers.map((w) => w.start()));
  let pushed = 0;
  while (pushed < options.tasks) {
    const size = Math.min(options.batch, options.tasks - pushed);
    const ids = await storage.pushMany(
      Array.from({ length: size }, (_, k) => ({
        args: { n: pushed + k, blob },
      })),
    );
    if (ids.length !== size) {
      throw new Error(`pushMany stored ${ids.length} of ${size} tasks`);
    }
    pushed += size;
    while (done < pushed) {
      sample();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await storage.deleteFinished({ before: storage.clock.now() + 1 });
    sample();
    const memory = process.memoryUsage();
    options.onBatch?.({
      pushed,
      rssMb: Math.round(memory.rss / 2 ** 20),
      heapMb: Math.round(memory.heapUsed / 2 ** 20),
      seconds: Math.round((performance.now() - started) / 100) / 10,
    });
  }
  await Promise.all(workers.map((w) => w.stop()));
  const counts = await storage.counts();
  return {
    pushed,
    done,
    left: Object.values(counts).reduce((a, b) => a + b, 0),
    peakRssMb: Math.round(peakRss / 2 ** 20),
    peakHeapMb: Math.round(peakHeap / 2 ** 20),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
