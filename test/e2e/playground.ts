/**
 * Drives the playground page through its stable test hooks
 * (`data-testid`), the way a person would: type in the editor, click
 * Run, read the counts, ask the SQL console.
 */
import { resolve } from "node:path";
import type { Page } from "playwright-core";
import {
  type Browser,
  CHROMIUM,
  chromiumAvailable,
  launchChromium,
} from "./browser.ts";
import { type StaticServer, serveBuild } from "./server.ts";

/** Where `pretest:e2e` builds the playground, and the base it uses. */
export const E2E_DIST = resolve(import.meta.dirname, "../../.tmp/e2e-dist");
export const E2E_BASE = "/tasklab/";

export interface Playground {
  readonly browser: Browser;
  readonly server: StaticServer;
  close(): Promise<void>;
}

/**
 * Starts the server and the browser, or returns null (locally) when
 * Chromium is missing. With CI=true a missing browser fails the test.
 */
export async function startPlayground(): Promise<Playground | null> {
  if (!chromiumAvailable()) {
    const message = `Chromium is missing at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`;
    if (process.env.CI === "true") throw new Error(message);
    console.warn(`skipping end-to-end tests: ${message}`);
    return null;
  }
  const server = await serveBuild(E2E_DIST, E2E_BASE);
  const browser = await launchChromium();
  return {
    browser,
    server,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Opens the page and waits until the editor and the engine are ready. */
export async function openPage(playground: Playground): Promise<Page> {
  const page = await playground.browser.context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(playground.server.url);
  await page.waitForSelector('[data-testid="editor"][data-ready="true"]', {
    timeout: 30_000,
  });
  await page.waitForSelector('[data-testid="run-button"]:not([disabled])', {
    timeout: 30_000,
  });
  return page;
}

/** Replaces the editor's code as if typed (pasted) by a person. */
export async function setCode(page: Page, code: string) {
  await page.click('[data-testid="editor"] .monaco-editor .view-lines');
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
  await page.waitForFunction(
    (length) =>
      (document.querySelector(
        '[data-testid="editor"] textarea',
      ) as HTMLTextAreaElement | null) !== null && length > 0,
    code.length,
  );
}

/** Pushes only the form's tasks on Run, without the example's mix. */
export async function withoutMix(page: Page) {
  await page.uncheck('[data-testid="run-mix"]');
}

/** Sets one of the number fields by its test id. */
export async function setNumber(page: Page, testId: string, value: number) {
  await page.fill(`[data-testid="${testId}"]`, String(value));
}

export async function count(page: Page, status: string): Promise<number> {
  const text = await page.textContent(`[data-testid="status-count-${status}"]`);
  return Number(text);
}

/** Waits until every one of `total` tasks is in one of `statuses`. */
export async function waitForAll(
  page: Page,
  total: number,
  statuses: readonly string[],
  timeout = 60_000,
) {
  await page.waitForFunction(
    ({ total, statuses }) => {
      const sum = statuses
        .map((s) =>
          Number(
            document.querySelector(`[data-testid="status-count-${s}"]`)
              ?.textContent,
          ),
        )
        .reduce((a, b) => a + b, 0);
      return sum === total;
    },
    { total, statuses },
    { timeout },
  );
}

/** Runs a statement in the SQL console and returns the result's text rows. */
export async function sql(page: Page, text: string): Promise<string[][]> {
  const result = '[data-testid="sql-result"]';
  const before = await page.getAttribute(result, "data-runs");
  await page.fill('[data-testid="sql-input"]', text);
  await page.click('[data-testid="sql-run"]');
  await page.waitForFunction(
    ([selector, runs]) =>
      document.querySelector(selector as string)?.getAttribute("data-runs") !==
      runs,
    [result, before],
  );
  return page.$$eval('[data-testid="sql-result"] tbody tr', (rows) =>
    rows.map((row) =>
      [...row.querySelectorAll("td")].map((cell) => cell.textContent ?? ""),
    ),
  );
}
