/**
 * The playground's speed, measured in headless Chromium on the
 * production build (`prebench:app` builds it to .tmp/bench-dist):
 *
 * - load to editor ready, and to the database ready;
 * - Run to the first task Done;
 * - the main thread's frame times while 10,000 tasks flow (p50, p95,
 *   max of requestAnimationFrame intervals), and the throughput;
 * - the page's peak JS heap;
 * - the gzip size of the JavaScript the page loads before the editor
 *   and database chunks (the entry script and its static imports).
 *
 * Run: npm run bench:app
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { chromiumAvailable, launchChromium } from "../e2e/browser.ts";
import { serveBuild } from "../e2e/server.ts";

const DIST = resolve(import.meta.dirname, "../../.tmp/bench-dist");
const TASKS = Number(process.env.BENCH_TASKS ?? 10_000);

const NOOP_FILE = `
import type { PlaygroundFile } from "tasklab/playground";
export default {
  workers: [{ name: "bench", build: (builder) => builder.build(async () => {}) }],
} satisfies PlaygroundFile<{ n: number }>;
`;

/** Gzip bytes of the entry script and what index.html preloads with it. */
function initialScriptGzip(): { files: string[]; bytes: number } {
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const files = [
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ].map((m) => (m[1] as string).replace(/^\/+/, ""));
  const bytes = files
    .map((f) => gzipSync(readFileSync(join(DIST, f))).length)
    .reduce((a, b) => a + b, 0);
  return { files, bytes };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

const ms = (n: number) => `${n.toFixed(0)} ms`;

async function main() {
  if (!chromiumAvailable()) {
    throw new Error(
      "Chromium is missing at /usr/bin/chromium: apt-get install -y chromium",
    );
  }
  const server = await serveBuild(DIST, "/");
  const browser = await launchChromium();
  try {
    // tsx keeps function names with a `__name` helper, which functions
    // sent to page.evaluate would call in the page: give them one there.
    await browser.context.addInitScript("globalThis.__name = (f) => f;");
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("Performance.enable");
    let peakHeap = 0;
    const heapTimer = setInterval(async () => {
      try {
        const { metrics } = await cdp.send("Performance.getMetrics");
        const used =
          metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0;
        peakHeap = Math.max(peakHeap, used);
      } catch {
        // The page may be between documents; the next sample counts.
      }
    }, 200);

    await page.goto(server.url);
    await page.waitForSelector('[data-testid="editor"][data-ready="true"]', {
      timeout: 60_000,
    });
    await page.waitForSelector('[data-testid="run-button"]:not([disabled])', {
      timeout: 60_000,
    });
    const marks = await page.evaluate(() => ({
      editor:
        performance.getEntriesByName("tasklab:editor-ready")[0]?.startTime ??
        Number.NaN,
      engine:
        performance.getEntriesByName("tasklab:engine-ready")[0]?.startTime ??
        Number.NaN,
    }));

    // Run to first Done, with the default example and its mix.
    const firstDone = await page.evaluate(async () => {
      const done = () =>
        Number(
          document.querySelector('[data-testid="status-count-Done"]')
            ?.textContent,
        );
      const start = performance.now();
      performance.mark("tasklab:run-clicked");
      (
        document.querySelector(
          '[data-testid="run-button"]',
        ) as HTMLButtonElement
      ).click();
      return new Promise<number>((resolve, reject) => {
        const limit = setTimeout(
          () => reject(new Error("no task Done within 60 s")),
          60_000,
        );
        const check = () => {
          if (done() > 0) {
            clearTimeout(limit);
            resolve(performance.now() - start);
          } else requestAnimationFrame(check);
        };
        check();
      });
    });

    const checkMs = await page.evaluate(() => {
      const [mark] = performance.getEntriesByName("tasklab:run-checked");
      const clicks = performance.getEntriesByName("tasklab:run-clicked");
      return mark && clicks[0]
        ? mark.startTime - clicks[0].startTime
        : Number.NaN;
    });

    // 10,000 tasks through a no-op handler, frames measured meanwhile.
    await page.click('[data-testid="stop-button"]');
    await page.waitForSelector('[data-testid="run-button"]:not([disabled])');
    await page.click('[data-testid="editor"] .monaco-editor .view-lines');
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.insertText(NOOP_FILE);
    await page.uncheck('[data-testid="run-mix"]');
    await page.fill('[data-testid="push-args"]', '{"n": 1}');
    await page.fill('[data-testid="push-count"]', String(TASKS));
    const flow = await page.evaluate(async (total) => {
      const done = () =>
        Number(
          document.querySelector('[data-testid="status-count-Done"]')
            ?.textContent,
        );
      const frames: number[] = [];
      let longFrames = 0;
      const observer =
        typeof PerformanceObserver !== "undefined" &&
        PerformanceObserver.supportedEntryTypes.includes("long-animation-frame")
          ? new PerformanceObserver((list) => {
              longFrames += list.getEntries().length;
            })
          : null;
      observer?.observe({ type: "long-animation-frame" });
      const start = performance.now();
      (
        document.querySelector(
          '[data-testid="run-button"]',
        ) as HTMLButtonElement
      ).click();
      return new Promise<{
        frames: number[];
        seconds: number;
        done: number;
        longFrames: number;
      }>((resolve) => {
        let last = performance.now();
        const finish = () => {
          observer?.disconnect();
          resolve({
            frames,
            seconds: (performance.now() - start) / 1000,
            done: done(),
            longFrames,
          });
        };
        const limit = setTimeout(finish, 180_000);
        const tick = (now: number) => {
          frames.push(now - last);
          last = now;
          if (done() >= total) {
            clearTimeout(limit);
            finish();
          } else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
    }, TASKS);
    clearInterval(heapTimer);

    const sorted = [...flow.frames].sort((a, b) => a - b);
    const initial = initialScriptGzip();
    const lines = [
      `load -> editor ready        ${ms(marks.editor)}`,
      `load -> database ready      ${ms(marks.engine)}`,
      `Run -> first task Done      ${ms(firstDone)} (of which the editor's type check ${ms(checkMs)})`,
      `${TASKS} tasks: ${flow.done} Done in ${flow.seconds.toFixed(1)} s (${(flow.done / flow.seconds).toFixed(0)} tasks/s)`,
      `frame interval p50/p95/max  ${ms(percentile(sorted, 0.5))} / ${ms(percentile(sorted, 0.95))} / ${ms(sorted.at(-1) ?? Number.NaN)} (${sorted.length} frames, ${flow.longFrames} long animation frames)`,
      `peak JS heap (page)         ${(peakHeap / 1024 / 1024).toFixed(1)} MB`,
      `initial script (gzip)       ${(initial.bytes / 1024).toFixed(1)} KB (${initial.files.join(", ")})`,
    ];
    console.log(lines.join("\n"));
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
