import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PgliteDriver } from "../../src/backends/postgres/pglite.ts";
import { PostgresStorage } from "../../src/backends/postgres/storage.ts";
import { compileUserFile } from "../../src/engine/compile.ts";
import { prepare } from "../../src/engine/database.ts";
import { DbHost } from "../../src/engine/db-host.ts";
import { playgroundServices } from "../../src/engine/playground-services.ts";
import { PortDriver } from "../../src/engine/port-driver.ts";
import { ScaledClock } from "../../src/engine/scaled-clock.ts";
import * as tasklab from "../../src/engine/tasklab-module.ts";
import { loadUserFile, UserFileError } from "../../src/engine/user-file.ts";
import { WorkerBuilder } from "../../src/runtime/builder.ts";
import type { Worker } from "../../src/runtime/worker.ts";

const modules = { tasklab, "tasklab/playground": {} };

function compiled(source: string): string {
  const result = compileUserFile(source);
  if (!result.ok) throw new Error(result.diagnostics[0]?.message);
  return result.code;
}

describe("loadUserFile", () => {
  it("refuses a file without a default export of workers, saying what to export", () => {
    expect(() =>
      loadUserFile(compiled("export const x = 1;"), modules),
    ).toThrow(/default export must be \{ workers: \[/);
  });

  it("names the modules a file may require", () => {
    const code = compiled('import fs from "node:fs";\nexport default fs;');
    expect(() => loadUserFile(code, modules)).toThrow(
      'require("node:fs"): a playground file can import only "tasklab", "tasklab/playground"',
    );
  });

  it("reports a file that throws while loading as a UserFileError with its cause", () => {
    const code = compiled('throw new TypeError("boom");');
    const error = (() => {
      try {
        loadUserFile(code, modules);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UserFileError);
    expect((error as Error).message).toBe("the file threw while loading: boom");
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });
});

describe("the default example, loaded as a playground file", () => {
  let db: PGlite;
  let host: DbHost;
  const drivers: PortDriver[] = [];
  const port = (id: string) => {
    const channel = new MessageChannel();
    host.connect(id, channel.port1);
    const driver = new PortDriver(channel.port2);
    drivers.push(driver);
    return driver;
  };

  beforeAll(async () => {
    db = await PGlite.create();
    const driver = new PgliteDriver(db);
    await prepare(driver);
    host = new DbHost(driver);
  }, 60_000);

  afterAll(async () => {
    for (const driver of drivers) await driver.close();
    await host.disconnect("p1");
    await db.close();
  });

  it("runs both workers on PostgreSQL over ports until every email is handled", async () => {
    const source = readFileSync(
      new URL("../../src/engine/examples/email.ts", import.meta.url),
      "utf8",
    );
    const file = loadUserFile(compiled(source), modules);
    expect(file.workers.map((w) => w.name)).toEqual([
      "email_worker",
      "email_worker_with_state",
    ]);
    const clock = new ScaledClock({
      atReal: Date.now(),
      atClock: Date.now(),
      speed: 1,
    });
    const storage = new PostgresStorage({
      driver: port("p1"),
      queue: "email",
      clock,
    });
    const playground = playgroundServices(port("p1"), clock, {
      processId: "p1",
      concurrency: 2,
      queue: "email",
    });
    const workers: Worker[] = file.workers.map((w) =>
      w.build(
        new WorkerBuilder(`p1:${w.name}`).backend(storage).concurrency(2),
        playground,
      ),
    );
    await storage.pushMany([
      { args: { to: "a@example.test", subject: "s", text: "t" } },
      {
        args: { to: "b@example.test", subject: "s", text: "t" },
        options: { priority: 9 },
      },
      { args: { to: "flaky@example.test", subject: "s", text: "t" } },
    ]);
    vi.spyOn(console, "log").mockImplementation(() => {});
    for (const worker of workers) await worker.start();
    try {
      await vi.waitFor(
        async () => expect((await storage.counts()).Done).toBe(3),
        { timeout: 30_000, interval: 100 },
      );
    } finally {
      for (const worker of workers) await worker.stop({ deadlineMs: 1_000 });
      vi.restoreAllMocks();
    }
    const { rows } = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM tasklab.attempts WHERE outcome = 'Failed'",
    );
    expect(rows[0]?.n).toBe(1);
  });
});
