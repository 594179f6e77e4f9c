/**
 * The engine in real Chromium, without the app: on Vite's dev server,
 * and built for production under a base path. The database worker opens
 * from the snapshot, sandboxed handler processes run the default
 * example, killed and runaway processes are handled, and handler code
 * cannot reach the page (F14, F15).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { build, createServer, type InlineConfig } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handlerWorkerSource } from "../../scripts/vite-handler-worker.ts";
import type { EngineApi, EngineEvent } from "../../src/engine/protocol.ts";
import { type Browser, chromiumAvailable, launchChromium } from "./browser.ts";
import { serveBuild } from "./server.ts";

declare global {
  var engine: EngineApi;
  var tasklabCheck: {
    example: string;
    events: EngineEvent[];
    clicks(): number;
    create(): Promise<number>;
  };
}

const missing = !chromiumAvailable();
if (missing && process.env.CI === "true") {
  throw new Error(
    "Chromium is missing at /usr/bin/chromium: apt-get install -y chromium",
  );
}

const root = new URL("../..", import.meta.url).pathname;
const PAGE = "test/e2e/engine-page/index.html";

/** The same Vite setup the app's config has, for a bare page. */
const vite: InlineConfig = {
  configFile: false,
  root,
  logLevel: "warn",
  plugins: [handlerWorkerSource()],
  optimizeDeps: {
    exclude: ["@electric-sql/pglite"],
    include: ["sucrase", "ulid"],
  },
  worker: { format: "es" },
};

let browser: Browser;
let page: Page;

async function openPage(url: string): Promise<void> {
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  page.on("crash", () => console.error("the page crashed"));
  await page.goto(url);
  await page.waitForFunction(() => "tasklabCheck" in globalThis);
  const ms = await page.evaluate(() => globalThis.tasklabCheck.create());
  console.log(`engine ready in ${ms} ms at ${url}`);
}

async function closePage(): Promise<void> {
  await page?.evaluate(() => globalThis.engine?.dispose()).catch(() => {});
  await browser?.close();
}

const sql = (text: string) =>
  page.evaluate((t) => globalThis.engine.sql(t), text) as Promise<{
    columns: string[];
    rows: unknown[][];
    error?: string;
  }>;

async function count(where: string): Promise<number> {
  const result = await sql(
    `SELECT count(*)::int FROM tasklab.tasks WHERE ${where}`,
  );
  if (result.error) throw new Error(result.error);
  return Number(result.rows[0]?.[0]);
}

async function until(check: () => Promise<boolean>, what: string, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end)
      throw new Error(`still waiting for ${what} after ${ms} ms`);
    await page.waitForTimeout(200);
  }
}

function run(code: string, tasks: unknown, workers = 2) {
  return page.evaluate(
    ({ code, tasks, workers }) =>
      globalThis.engine.run({
        code,
        workers,
        concurrency: 2,
        tasks: tasks as never,
      }),
    { code, tasks, workers },
  );
}

describe.skipIf(missing)("engine in Chromium, on the dev server", () => {
  let close: () => Promise<void>;

  beforeAll(async () => {
    const server = await createServer({
      ...vite,
      // No reloads while the checks run, whatever else edits the tree.
      server: { host: "127.0.0.1", port: 0, hmr: false, watch: null },
    });
    await server.listen();
    close = () => server.close();
    await openPage(`${server.resolvedUrls?.local[0]}${PAGE}`);
  });

  afterAll(async () => {
    await closePage();
    await close?.();
  });

  it("runs the default example until every task is Done", async () => {
    const code = await page.evaluate(() => globalThis.tasklabCheck.example);
    const result = await run(code, [
      {
        args: { to: "a@example.test", subject: "hi", text: "hello" },
        count: 6,
      },
      {
        args: { to: "b@example.test", subject: "hi", text: "hello" },
        count: 3,
        priority: 9,
      },
      {
        args: { to: "flaky@example.test", subject: "hi", text: "hello" },
        count: 2,
      },
    ]);
    expect(result).toEqual({ ok: true });
    await until(
      async () => (await count("status = 'Done'")) === 11,
      "11 tasks Done",
    );
    const events = await page.evaluate(() =>
      globalThis.tasklabCheck.events.map((e) => e.type),
    );
    expect(events).toContain("task:succeeded");
    expect(events).toContain("task:row");
    const attributed = await page.evaluate(() =>
      globalThis.tasklabCheck.events.filter(
        (e) => e.type === "console" && e.taskId !== null,
      ),
    );
    expect(attributed.length).toBeGreaterThan(0);
  });

  it("recovers the task of a killed process through orphan recovery", async () => {
    const slow = `export default { workers: [{ name: "slow", build: (b: any) =>
      b.build(async () => { await new Promise((r) => setTimeout(r, 4000)); }) }] };`;
    expect(await run(slow, { args: { n: 1 }, maxAttempts: 3 })).toEqual({
      ok: true,
    });
    await until(
      async () => (await count("status = 'Running'")) === 1,
      "a Running task",
    );
    const lock = await sql("SELECT lock_by FROM tasklab.tasks");
    const lockBy = String(lock.rows[0]?.[0]);
    await page.evaluate((id) => {
      const engine = globalThis.engine;
      engine.killWorker(id);
      engine.setSpeed(10);
    }, lockBy.split(":")[0] ?? "");
    await until(
      async () => (await count("status = 'Done'")) === 1,
      "the task Done",
      60_000,
    );
    const attempts = await sql(
      "SELECT attempt, outcome, worker_id FROM tasklab.attempts ORDER BY id",
    );
    expect(attempts.rows[0]?.slice(0, 2)).toEqual([1, "Lost"]);
    expect(attempts.rows.at(-1)?.[1]).toBe("Done");
    expect(String(attempts.rows.at(-1)?.[2]).split(":")[0]).not.toBe(
      lockBy.split(":")[0],
    );
    await page.evaluate(() => globalThis.engine.setSpeed(1));
  });

  it("stops a handler stuck in an endless loop while the page keeps answering (F14)", async () => {
    const loop = `export default { workers: [{ name: "loop", build: (b: any) =>
      b.build(async () => { while (true) {} }) }] };`;
    expect(await run(loop, { args: { n: 1 }, maxAttempts: 1 }, 1)).toEqual({
      ok: true,
    });
    await until(
      async () => (await count("status = 'Running'")) === 1,
      "a Running task",
    );
    const before = await page.evaluate(() => globalThis.tasklabCheck.clicks());
    await page.click("#ping", { timeout: 3_000 });
    expect(await page.evaluate(() => globalThis.tasklabCheck.clicks())).toBe(
      before + 1,
    );
    await until(
      async () => (await count("status = 'Killed'")) === 1,
      "the task Killed",
    );
    const task = await sql("SELECT last_error FROM tasklab.tasks");
    expect(String(task.rows[0]?.[0])).toMatch(
      /^stopped: worker process p\d+ did not answer for 3 s/,
    );
    const ended = await page.evaluate(() =>
      globalThis.tasklabCheck.events.flatMap((e) =>
        e.type === "process:ended" ? [e.end] : [],
      ),
    );
    expect(ended).toContain("unresponsive");
    await until(
      async () =>
        (await page.evaluate(() => globalThis.engine.processes.length)) === 1,
      "a replacement process",
    );
  });

  it("fails an attempt that recurses without end, with a readable error (F14)", async () => {
    const recurse = `const f = (n: number): number => f(n + 1) + 1;
      export default { workers: [{ name: "deep", build: (b: any) => b.build(async () => { f(0); }) }] };`;
    expect(await run(recurse, { args: { n: 1 }, maxAttempts: 1 }, 1)).toEqual({
      ok: true,
    });
    await until(
      async () => (await count("status = 'Killed'")) === 1,
      "the task Killed",
    );
    const task = await sql("SELECT last_error FROM tasklab.tasks");
    expect(String(task.rows[0]?.[0])).toMatch(/call stack/i);
  });

  it("keeps handler code away from the page's storage, frames and navigation (F15)", async () => {
    const reach = `export default { workers: [{ name: "reach", build: (b: any, pg: any) =>
      b.build(async () => {
        await pg.database.query("UPDATE tasklab.tasks SET status = 'Done'")
          .then(() => console.log("update => done"), (e: any) => console.log("update threw " + e.code));
        const g = globalThis as any;
        const tryIt = (what: string, f: () => unknown) => {
          try { console.log(what + " => " + String(f())); }
          catch (e) { console.log(what + " threw " + (e as Error).name); }
        };
        tryIt("localStorage", () => g.localStorage?.getItem("saved-work"));
        tryIt("indexedDB", () => g.indexedDB?.open("x"));
        tryIt("parent", () => g.parent?.document?.title);
        tryIt("top", () => g.top?.location?.href);
        tryIt("navigate", () => { g.location.href = "https://example.test/"; return g.location.href; });
        g.postMessage?.({ type: "task:succeeded", taskId: "all" });
        setTimeout(() => { throw new Error("a stray throw"); }, 0);
        await new Promise((r) => setTimeout(r, 50));
        throw new Error("the handler reached out and failed");
      }) }] };`;
    expect(await run(reach, { args: { n: 1 }, maxAttempts: 1 }, 1)).toEqual({
      ok: true,
    });
    await until(
      async () => (await count("status = 'Killed'")) === 1,
      "the task Killed",
    );
    await page.waitForTimeout(300);
    const lines: string[] = await page.evaluate(() =>
      globalThis.tasklabCheck.events.flatMap((e) =>
        e.type === "console" ? [e.text] : [],
      ),
    );
    const text = lines.join("\n");
    expect(text).toContain("localStorage");
    expect(text).not.toContain("secret handler code");
    expect(text).toMatch(/parent => undefined|parent threw/);
    expect(text).toMatch(/top => undefined|top threw/);
    expect(text).toContain("update threw 42501");
    expect(text).toMatch(/uncaught: .*a stray throw/);
    const crashed = await page.evaluate(() =>
      globalThis.tasklabCheck.events.filter(
        (e) => e.type === "process:ended" && e.end === "crashed",
      ),
    );
    expect(crashed).toEqual([]);
    expect(page.url()).toMatch(/engine-page\/index.html$/);
    expect(await page.evaluate(() => localStorage.getItem("saved-work"))).toBe(
      "secret handler code",
    );
    expect(await count("status = 'Done'")).toBe(0);
  });

  it("stops a handler that allocates without bound (F14)", async () => {
    const hog = `export default { workers: [{ name: "hog", build: (b: any) =>
      b.build(async () => { const kept: number[][] = []; for (;;) kept.push(new Array(1e6).fill(7)); }) }] };`;
    expect(await run(hog, { args: { n: 1 }, maxAttempts: 1 }, 1)).toEqual({
      ok: true,
    });
    await until(
      async () => (await count("status = 'Killed'")) === 1,
      "the task Killed",
      60_000,
    );
    const task = await sql("SELECT last_error FROM tasklab.tasks");
    expect(String(task.rows[0]?.[0])).toMatch(/^stopped: /);
    await page.click("#ping", { timeout: 3_000 });
  });
  it("holds every claim while paused and runs delays on the scaled clock", async () => {
    const quick = `export default { workers: [{ name: "quick", build: (b: any) =>
      b.build(async () => {}) }] };`;
    expect(await run(quick, [], 1)).toEqual({ ok: true });
    await page.evaluate(() => globalThis.engine.pause());
    await page.evaluate(() =>
      globalThis.engine.push({ args: { n: 1 }, count: 3 }),
    );
    await page.waitForTimeout(1_500);
    expect(await count("status = 'Done'")).toBe(0);
    await page.evaluate(() => globalThis.engine.resume());
    await until(async () => (await count("status = 'Done'")) === 3, "3 Done");
    // 60 s of delay at speed 100 is 0.6 s of real time.
    await page.evaluate(() => {
      globalThis.engine.setSpeed(100);
      return globalThis.engine.push({ args: { n: 2 }, delayMs: 60_000 });
    });
    await until(
      async () => (await count("status = 'Done'")) === 4,
      "the delayed task Done",
      20_000,
    );
    await page.evaluate(() => globalThis.engine.setSpeed(1));
  });
  it("refuses a file that does not compile, injects faults, adds and stops processes", async () => {
    const broken = await run("export default {", [], 1);
    expect(broken).toMatchObject({ ok: false, diagnostics: [{ line: 1 }] });
    const quick = `export default { workers: [{ name: "quick", build: (b: any) =>
      b.build(async () => {}) }] };`;
    expect(await run(quick, [], 1)).toEqual({ ok: true });
    await page.evaluate(() => globalThis.engine.setFaults({ failureRate: 1 }));
    await page.evaluate(() =>
      globalThis.engine.push({ args: { n: 1 }, maxAttempts: 1 }),
    );
    await until(async () => (await count("status = 'Killed'")) === 1, "Killed");
    const task = await sql("SELECT last_error FROM tasklab.tasks");
    expect(String(task.rows[0]?.[0])).toMatch(
      /^InjectedFailure: injected failure/,
    );
    await page.evaluate(() => globalThis.engine.setFaults({ failureRate: 0 }));
    const added = await page.evaluate(() => globalThis.engine.addWorker());
    expect(added).toMatch(/^p\d+$/);
    expect(await page.evaluate(() => globalThis.engine.processes.length)).toBe(
      2,
    );
    await page.evaluate(() => globalThis.engine.stop());
    expect(await page.evaluate(() => globalThis.engine.state)).toBe("idle");
    expect(await page.evaluate(() => globalThis.engine.processes.length)).toBe(
      0,
    );
    const workers = await sql(
      "SELECT count(*)::int FROM tasklab.workers WHERE stopped_at IS NULL",
    );
    expect(workers.rows[0]?.[0]).toBe(0);
  });
});

describe.skipIf(missing)("engine in Chromium, built under /tasklab/", () => {
  const outDir = mkdtempSync(join(tmpdir(), "tasklab-engine-build-"));
  let close: () => Promise<void>;

  beforeAll(async () => {
    // The page is the build's root, so it lands at index.html.
    await build({
      ...vite,
      root: join(root, "test/e2e/engine-page"),
      publicDir: join(root, "public"),
      base: "/tasklab/",
      build: { outDir, emptyOutDir: true },
    });
    const server = await serveBuild(outDir, "/tasklab/");
    close = () => server.close();
    await openPage(server.url);
  });

  afterAll(async () => {
    await closePage();
    await close?.();
    rmSync(outDir, { recursive: true, force: true });
  });

  it("runs the default example until every task is Done", async () => {
    const code = await page.evaluate(() => globalThis.tasklabCheck.example);
    const result = await run(code, [
      {
        args: { to: "a@example.test", subject: "hi", text: "hello" },
        count: 6,
      },
      {
        args: { to: "b@example.test", subject: "hi", text: "hello" },
        count: 3,
        priority: 9,
      },
      {
        args: { to: "flaky@example.test", subject: "hi", text: "hello" },
        count: 2,
      },
    ]);
    expect(result).toEqual({ ok: true });
    await until(
      async () => (await count("status = 'Done'")) === 11,
      "11 tasks Done",
    );
    const events = await page.evaluate(() =>
      globalThis.tasklabCheck.events.map((e) => e.type),
    );
    expect(events).toContain("task:succeeded");
    expect(events).toContain("task:row");
    const attributed = await page.evaluate(() =>
      globalThis.tasklabCheck.events.filter(
        (e) => e.type === "console" && e.taskId !== null,
      ),
    );
    expect(attributed.length).toBeGreaterThan(0);
  });

  it("stops a handler stuck in an endless loop while the page keeps answering (F14)", async () => {
    const loop = `export default { workers: [{ name: "loop", build: (b: any) =>
      b.build(async () => { while (true) {} }) }] };`;
    expect(await run(loop, { args: { n: 1 }, maxAttempts: 1 }, 1)).toEqual({
      ok: true,
    });
    await until(
      async () => (await count("status = 'Running'")) === 1,
      "a Running task",
    );
    const before = await page.evaluate(() => globalThis.tasklabCheck.clicks());
    await page.click("#ping", { timeout: 3_000 });
    expect(await page.evaluate(() => globalThis.tasklabCheck.clicks())).toBe(
      before + 1,
    );
    await until(
      async () => (await count("status = 'Killed'")) === 1,
      "the task Killed",
    );
    const task = await sql("SELECT last_error FROM tasklab.tasks");
    expect(String(task.rows[0]?.[0])).toMatch(
      /^stopped: worker process p\d+ did not answer for 3 s/,
    );
    const ended = await page.evaluate(() =>
      globalThis.tasklabCheck.events.flatMap((e) =>
        e.type === "process:ended" ? [e.end] : [],
      ),
    );
    expect(ended).toContain("unresponsive");
    await until(
      async () =>
        (await page.evaluate(() => globalThis.engine.processes.length)) === 1,
      "a replacement process",
    );
  });
});
