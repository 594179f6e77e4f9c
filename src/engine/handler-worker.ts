/**
 * A handler worker: one "machine" of the playground. It runs inside a
 * sandboxed iframe (origin null) as a worker made from a `blob:` URL,
 * and receives three ports: control (to the page), runtime SQL and app
 * SQL (to the database worker). It runs the real runtime on a
 * `PostgresStorage` whose driver is a `PortDriver`.
 *
 * States: waiting (for `start`), running (its workers claim tasks),
 * stopping, stopped. It answers pings in every state; a handler that
 * never yields blocks those answers, and the page terminates it.
 */
import { PostgresStorage } from "../backends/postgres/storage.ts";
import { WorkerBuilder } from "../runtime/builder.ts";
import { systemClock } from "../runtime/clock.ts";
import { timeout } from "../runtime/layers/timeout.ts";
import type { Worker } from "../runtime/worker.ts";
import { ConsoleCapture, captureLogger } from "./console-capture.ts";
import { playgroundLayer } from "./playground-layer.ts";
import { playgroundServices } from "./playground-services.ts";
import { PortDriver } from "./port-driver.ts";
import type {
  ControlCommand,
  ControlMessage,
  FaultSettings,
  ProcessStart,
} from "./protocol.ts";
import { ScaledClock } from "./scaled-clock.ts";
import * as tasklab from "./tasklab-module.ts";
import { loadUserFile } from "./user-file.ts";
import { toWireError } from "./wire.ts";

/** The init message the sandbox iframe forwards with three ports. */
export interface HandlerWorkerInit {
  readonly type: "init";
  readonly queue: string;
}

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
};

scope.onmessage = (event: MessageEvent<HandlerWorkerInit>) => {
  const [control, db, app] = event.ports;
  if (event.data?.type !== "init" || !control || !db || !app) return;
  scope.onmessage = null;
  serve(control, new PortDriver(db), new PortDriver(app), event.data.queue);
};

function serve(
  control: MessagePort,
  driver: PortDriver,
  appDriver: PortDriver,
  queue: string,
): void {
  const send = (message: ControlMessage) => control.postMessage(message);
  let clock: ScaledClock | null = null;
  let faults: FaultSettings = { failureRate: 0, latencyMs: 0 };
  let workers: Worker[] = [];
  // A stop that arrives while the workers start waits for them, so no
  // instance is left registered and never stopped.
  let starting: Promise<unknown> = Promise.resolve();

  control.onmessage = async (event: MessageEvent<ControlCommand>) => {
    const command = event.data;
    switch (command.type) {
      case "ping":
        return send({ type: "pong", seq: command.seq });
      case "clock":
        return clock?.set(command.clock);
      case "faults":
        faults = command.faults;
        return;
      case "start": {
        if (clock) return;
        clock = new ScaledClock(command.clock);
        faults = command.faults;
        try {
          const started = start(command, clock, () => faults);
          starting = started.catch(() => {});
          workers = await started;
          send({ type: "started", workerIds: workers.map((w) => w.id) });
        } catch (error) {
          send({ type: "load-error", error: toWireError(error) });
        }
        return;
      }
      case "stop":
        await starting;
        await Promise.allSettled(
          workers.map((w) => w.stop({ deadlineMs: command.deadlineMs })),
        );
        capture.flush();
        await driver.close();
        await appDriver.close();
        return send({ type: "stopped" });
    }
  };

  const capture = new ConsoleCapture(
    () => clock?.now() ?? Date.now(),
    (lines) => send({ type: "console", lines }),
  );
  capture.install(console);
  // A stray throw in a handler's timer is the handler's output, not a
  // crash: handled here, it never reaches the sandbox as a worker error.
  addEventListener("error", (event) => {
    event.preventDefault();
    capture.write("error", `uncaught: ${event.message}`);
  });
  addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    const reason = event.reason;
    capture.write(
      "error",
      `unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`,
    );
  });

  async function start(
    settings: ProcessStart,
    time: ScaledClock,
    currentFaults: () => FaultSettings,
  ): Promise<Worker[]> {
    // Task times follow the page's scaled clock; liveness keeps to real
    // time, as the supervisor's own watch does.
    const storage = new PostgresStorage({
      driver,
      queue,
      clock: time,
      livenessClock: systemClock,
    });
    const playground = playgroundServices(appDriver, time, {
      processId: settings.processId,
      concurrency: settings.concurrency,
      queue,
    });
    const file = loadUserFile(settings.code, {
      tasklab,
      "tasklab/playground": {},
    });
    const builder = (name: string) =>
      new WorkerBuilder(name)
        .backend(storage)
        // The playground layer goes innermost, so a handler's first
        // synchronous steps run while it marks the attempt as current.
        .layer(timeout(settings.attemptLimitMs, { clock: systemClock }))
        .layer(playgroundLayer(capture, currentFaults, time))
        .options({
          logger: captureLogger(capture),
          concurrency: settings.concurrency,
          heartbeatMs: settings.heartbeatMs,
          lockTimeoutMs: settings.lockTimeoutMs,
          recoverEveryMs: settings.heartbeatMs,
        });
    const built = file.workers.map((declared) =>
      declared.build(
        builder(`${settings.processId}:${declared.name}`),
        playground,
      ),
    );
    for (const worker of built) await worker.start();
    return built;
  }
}
