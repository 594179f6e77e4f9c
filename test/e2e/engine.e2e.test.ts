/**
 * The engine in real Chromium, on Vite's dev server, without the app:
 * the database worker opens from the snapshot, sandboxed handler
 * processes run the default example, killed and runaway processes are
 * handled, and handler code cannot reach the page (F14, F15).
 */
import type { Page } from "playwright-core";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handlerWorkerSource } from "../../scripts/vite-handler-worker.ts";
import { type Browser, chromiumAvailable, launchChromium } from "./browser.ts";

const missing = !chromiumAvailable();
if (missing && process.env.CI === "true") {
  throw new Error(
    "Chromium is missing at /usr/bin/chromium: apt-get install -y chromium",
  );
}

let server: ViteDevServer;
let browser: Browser;
let page: Page;

const sql = (text: string) =>
  page.evaluate((t) => (globalThis as any).engine.sql(t), text) as Promise<{
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
      (globalThis as any).engine.run({ code, workers, concurrency: 2, tasks }),
    { code, tasks, workers },
  );
}

describe.skipIf(missing)("engine in Chromium", () => {
  beforeAll(async () => {
    server = await createServer({
      configFile: false,
      root: new URL("../..", import.meta.url).pathname,
      logLevel: "warn",
      plugins: [handlerWorkerSource()],
      optimizeDeps: {
        exclude: ["@electric-sql/pglite"],
        include: ["sucrase", "ulid"],
      },
      worker: { format: "es" },
      server: { host: "127.0.0.1", port: 0 },
    });
    await server.listen();
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on("pageerror", (e) => console.error("page error:", e.message));
    const url = server.resolvedUrls?.local[0];
    await page.goto(`${url}test/e2e/engine-page/index.html`);
    await page.waitForFunction(() => "tasklabCheck" in globalThis);
    const ms = await page.evaluate(() =>
      (globalThis as any).tasklabCheck.create(),
    );
    console.log(`engine ready in ${ms} ms`);
  });

  afterAll(async () => {
    await page?.evaluate(() => (globalThis as any).engine?.dispose());
    await browser?.close();
    await server?.close();
  });

  it("runs the default example until every task is Done", async () => {
    const code = await page.evaluate(
      () => (globalThis as any).tasklabCheck.example,
    );
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
      (globalThis as any).tasklabCheck.events.map((e: any) => e.type),
    );
    expect(events).toContain("task:succeeded");
    expect(events).toContain("task:row");
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
      const engine = (globalThis as any).engine;
      engine.killWorker(id);
      engine.setSpeed(10);
    }, lockBy.split(":")[0]);
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
    await page.evaluate(() => (globalThis as any).engine.setSpeed(1));
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
    const before = await page.evaluate(() =>
      (globalThis as any).tasklabCheck.clicks(),
    );
    await page.click("#ping", { timeout: 1_000 });
    expect(
      await page.evaluate(() => (globalThis as any).tasklabCheck.clicks()),
    ).toBe(before + 1);
    await until(
      async () => (await count("status = 'Killed'")) === 1,
      "the task Killed",
    );
    const task = await sql("SELECT last_error FROM tasklab.tasks");
    expect(String(task.rows[0]?.[0])).toMatch(
      /^stopped: the handler did not yield for 3 s/,
    );
    const ended = await page.evaluate(() =>
      (globalThis as any).tasklabCheck.events
        .filter((e: any) => e.type === "process:ended")
        .map((e: any) => e.end),
    );
    expect(ended).toContain("unresponsive");
    await until(
      async () =>
        (await page.evaluate(
          () => (globalThis as any).engine.processes.length,
        )) === 1,
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
    const reach = `export default { workers: [{ name: "reach", build: (b: any) =>
      b.build(async () => {
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
      (globalThis as any).tasklabCheck.events
        .filter((e: any) => e.type === "console")
        .map((e: any) => e.text),
    );
    const text = lines.join("\n");
    expect(text).toContain("localStorage");
    expect(text).not.toContain("secret handler code");
    expect(text).toMatch(/parent => undefined|parent threw/);
    expect(text).toMatch(/top => undefined|top threw/);
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
    await page.click("#ping", { timeout: 1_000 });
  });
});
