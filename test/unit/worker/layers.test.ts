import { describe, expect, it } from "vitest";
import {
  concurrencyLimit,
  FakeClock,
  type LogFields,
  type Logger,
  timeout,
  tracing,
  WorkerBuilder,
} from "../../../src/runtime/index.ts";
import { memorySetup, startWorker } from "../../support/worker-cases/setup.ts";

function recordingLogger(lines: [string, string, LogFields][]): Logger {
  const make = (scope: LogFields): Logger => ({
    debug: (m, f) => lines.push(["debug", m, { ...scope, ...f }]),
    info: (m, f) => lines.push(["info", m, { ...scope, ...f }]),
    warn: (m, f) => lines.push(["warn", m, { ...scope, ...f }]),
    error: (m, f) => lines.push(["error", m, { ...scope, ...f }]),
    child: (more) => make({ ...scope, ...more }),
  });
  return make({});
}

describe("layers", () => {
  it("tracing logs each attempt with its worker, task and duration", async () => {
    const { clock, storage, of } = await memorySetup<{ ok: boolean }>();
    const lines: [string, string, LogFields][] = [];
    const good = await storage.push({ ok: true });
    const bad = await storage.push({ ok: false }, { maxAttempts: 1 });
    const worker = await startWorker(
      new WorkerBuilder("traced")
        .backend(storage)
        .layer(tracing(recordingLogger(lines)))
        .build(async ({ ok }) => {
          await clock.sleep(40);
          if (!ok) throw new Error("bad input");
        }),
    );
    await clock.runUntil(
      () => of("task:succeeded").length + of("task:killed").length === 2,
    );
    expect(lines).toContainEqual([
      "debug",
      "attempt succeeded",
      { worker: worker.id, taskId: good, attempt: 1, durationMs: 40 },
    ]);
    expect(lines).toContainEqual([
      "warn",
      "attempt failed",
      {
        worker: worker.id,
        taskId: bad,
        attempt: 1,
        durationMs: 40,
        error: "bad input",
      },
    ]);
  });

  it("a shared concurrencyLimit caps attempts across workers", async () => {
    const { clock, storage, of } = await memorySetup<object>();
    await storage.pushMany(Array.from({ length: 6 }, () => ({ args: {} })));
    const limit = concurrencyLimit(2);
    let running = 0;
    let most = 0;
    const run = async () => {
      most = Math.max(most, ++running);
      await clock.sleep(100);
      running--;
    };
    for (const name of ["a", "b"]) {
      await startWorker(
        new WorkerBuilder(name)
          .backend(storage)
          .layer(limit)
          .concurrency(3)
          .build(run),
      );
    }
    await clock.runUntil(() => of("task:succeeded").length === 6);
    expect(most).toBe(2);
  });

  it("honours a timeout of 25 days: nothing fires early (F11)", async () => {
    const { clock, storage, of } = await memorySetup<object>();
    const days = 86_400_000;
    await storage.push({}, { maxAttempts: 1 });
    let aborted = 0;
    await startWorker(
      new WorkerBuilder("slow")
        .backend(storage)
        .options({
          pollMs: days,
          heartbeatMs: days,
          lockTimeoutMs: 3 * days,
          recoverEveryMs: days,
        })
        .layer(timeout(25 * days, { graceMs: 0 }))
        .build(async (_args, { signal }) => {
          const started = clock.now();
          await new Promise<void>((resolve) =>
            signal.addEventListener("abort", () => {
              aborted = clock.now() - started;
              resolve();
            }),
          );
        }),
    );
    await clock.runUntil(() => of("task:killed").length === 1, {
      maxMs: 30 * days,
    });
    expect(aborted).toBe(25 * days);
  });

  it("runs a timeout on its own clock when given one, not the backend's", async () => {
    const { clock, storage, of } = await memorySetup<object>();
    const real = new FakeClock(clock.now());
    await storage.push({}, { maxAttempts: 1 });
    await startWorker(
      new WorkerBuilder("own-clock")
        .backend(storage)
        .layer(timeout(1_000, { graceMs: 0, clock: real }))
        .build(
          (_args, { signal }) =>
            new Promise<void>((resolve) =>
              signal.addEventListener("abort", () => resolve()),
            ),
        ),
    );
    await clock.runUntil(() => of("task:started").length === 1);
    // The backend's clock runs far past the limit: nothing happens...
    await clock.advance(60_000);
    expect(of("task:killed")).toHaveLength(0);
    // ...until the limit passes on the layer's own clock.
    await real.advance(1_000);
    await clock.runUntil(() => of("task:killed").length === 1);
    expect(
      (await storage.get(of("task:killed")[0]?.taskId as string))?.context
        .lastError,
    ).toMatch(/timed out after 1000 ms/);
  });

  it("wakes a worker sleeping until a later run time when an earlier task is pushed", async () => {
    const { clock, storage, of } = await memorySetup<{ n: number }>();
    await storage.push({ n: 1 }, { delayMs: 3_600_000 });
    const startedAt: number[] = [];
    const t0 = clock.now();
    await startWorker(
      new WorkerBuilder("sleepy")
        .backend(storage)
        .options({ pollMs: 24 * 3_600_000 })
        .build(() => {
          startedAt.push(clock.now() - t0);
        }),
    );
    await clock.advance(1_000);
    await storage.push({ n: 2 }, { delayMs: 60_000 });
    await clock.runUntil(() => of("task:succeeded").length === 2, {
      maxMs: 2 * 3_600_000,
    });
    expect(startedAt).toEqual([61_000, 3_600_000]);
  });
});
