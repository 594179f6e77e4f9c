/**
 * The chaos property, for any storage: random tasks, random handler
 * failures and random worker crashes on a fake clock. However it goes,
 * every task ends Done or Killed, no task runs more attempts than it
 * may, no two attempts of one task overlap, and nothing is lost.
 */
import fc from "fast-check";
import { expect } from "vitest";
import {
  type FakeClock,
  retry,
  type Storage,
  type Worker,
  WorkerBuilder,
} from "../../src/runtime/index.ts";
import { holdClockDuringCalls } from "./worker-cases/setup.ts";

interface ChaosTask {
  maxAttempts: number;
  priority: number;
  delayMs: number;
  /** How long each attempt takes, ms. */
  durationMs: number;
  /** Which attempts throw (1-based). */
  failing: number[];
}

interface ChaosPlan {
  tasks: ChaosTask[];
  workers: number;
  concurrency: number;
  /** Fake times at which one running worker crashes. */
  crashes: number[];
}

export type ChaosArgs = { i: number };

export const chaosPlan: fc.Arbitrary<ChaosPlan> = fc.record({
  tasks: fc.array(
    fc.record({
      maxAttempts: fc.integer({ min: 1, max: 4 }),
      priority: fc.integer({ min: -5, max: 5 }),
      delayMs: fc.integer({ min: 0, max: 3_000 }),
      durationMs: fc.integer({ min: 0, max: 1_500 }),
      failing: fc.uniqueArray(fc.integer({ min: 1, max: 4 }), { maxLength: 4 }),
    }),
    { minLength: 1, maxLength: 25 },
  ),
  workers: fc.integer({ min: 1, max: 4 }),
  concurrency: fc.integer({ min: 1, max: 4 }),
  crashes: fc.array(fc.integer({ min: 0, max: 8_000 }), { maxLength: 4 }),
});

const timing = { heartbeatMs: 500, lockTimeoutMs: 2_000, recoverEveryMs: 500 };

/** Runs one plan to the end and checks every invariant. */
export async function runChaos(
  plan: ChaosPlan,
  clock: FakeClock,
  backend: Storage<ChaosArgs>,
): Promise<void> {
  const storage = holdClockDuringCalls(clock, backend);
  const ids = await storage.pushMany(
    plan.tasks.map((t, i) => ({
      args: { i },
      options: {
        maxAttempts: t.maxAttempts,
        priority: t.priority,
        delayMs: t.delayMs,
      },
    })),
  );
  const spans = new Map<string, { from: number; to: number }[]>();
  const ended = new Set<string>();
  const offs = [
    storage.events.on("task:succeeded", (e) => ended.add(e.taskId)),
    storage.events.on("task:killed", (e) => ended.add(e.taskId)),
  ];
  const build = () =>
    new WorkerBuilder("chaos")
      .backend(storage)
      .options({ ...timing, concurrency: plan.concurrency })
      .layer(retry({ baseMs: 100, capMs: 1_000 }))
      .build(async ({ i }, { taskId, attempt, signal }) => {
        const task = plan.tasks[i] as ChaosTask;
        const span = { from: clock.now(), to: Number.POSITIVE_INFINITY };
        spans.set(taskId, [...(spans.get(taskId) ?? []), span]);
        const finished = await clock.sleep(task.durationMs, signal);
        span.to = clock.now();
        if (!finished) throw signal.reason;
        if (task.failing.includes(attempt)) throw new Error(`fail #${attempt}`);
      });
  const workers: Worker[] = [];
  const startOne = async () => {
    const worker = build();
    workers.push(worker);
    await worker.start();
  };
  for (let i = 0; i < plan.workers; i++) await startOne();
  for (const at of plan.crashes) {
    void clock.sleep(at).then(async () => {
      const victim = workers.find((w) => w.phase === "running");
      victim?.kill();
      await startOne();
    });
  }
  try {
    await clock.runUntil(() => ended.size === ids.length, {
      maxMs: 600_000,
    });
  } finally {
    for (const off of offs) off();
    for (const w of workers) w.kill();
  }

  for (const [n, id] of ids.entries()) {
    const task = plan.tasks[n] as ChaosTask;
    const row = await storage.get(id);
    expect(["Done", "Killed"]).toContain(row?.status);
    expect(row?.attempts).toBeLessThanOrEqual(task.maxAttempts);
    const history = await storage.attempts(id);
    expect(history.map((a) => a.attempt)).toEqual(history.map((_, k) => k + 1));
    expect(history.length).toBe(row?.attempts);
    const taskSpans = [...(spans.get(id) ?? [])].sort(
      (a, b) => a.from - b.from,
    );
    for (let k = 1; k < taskSpans.length; k++) {
      expect(taskSpans[k]?.from).toBeGreaterThanOrEqual(
        taskSpans[k - 1]?.to as number,
      );
    }
    if (row?.status === "Done") {
      expect(history.at(-1)?.outcome).toBe("Done");
    }
  }
}
