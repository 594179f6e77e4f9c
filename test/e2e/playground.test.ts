/**
 * The playground in real Chromium, on the production build served under
 * a base path: what a person does, end to end, through the page's
 * stable test hooks.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  count,
  openPage,
  type Playground,
  setCode,
  setNumber,
  sql,
  startPlayground,
  waitForAll,
  withoutMix,
} from "./playground.ts";

let playground: Playground | null = null;

beforeAll(async () => {
  playground = await startPlayground();
});

afterAll(async () => {
  await playground?.close();
});

/** Opens a fresh page; null when the browser is missing (locally). */
async function page(): Promise<Page | null> {
  if (!playground) return null;
  const tab = await openPage(playground);
  await withoutMix(tab);
  return tab;
}

const file = (handlerBody: string) => `
import type { PlaygroundFile } from "tasklab/playground";

interface Job { n: number }

export default {
  workers: [
    {
      name: "e2e",
      build: (builder, playground) =>
        builder.build(async (job: Job, { attempt }) => {
${handlerBody}
        }),
    },
  ],
} satisfies PlaygroundFile<Job>;
`;

const sleep = "await new Promise((done) => setTimeout(done, ms));";

describe("playground", () => {
  it("runs an edited handler until every task is Done, and the counts agree with the SQL console", async () => {
    const tab = await page();
    if (!tab) return;
    await setCode(tab, file('console.log("handled", job.n, attempt);'));
    await tab.fill('[data-testid="push-args"]', '{"n": 1}');
    await setNumber(tab, "push-count", 12);
    await tab.click('[data-testid="run-button"]');
    await waitForAll(tab, 12, ["Done"]);
    const rows = await sql(
      tab,
      "select status, count(*)::int from tasklab.tasks group by status",
    );
    expect(rows).toEqual([["Done", "12"]]);
    expect(await count(tab, "Done")).toBe(12);
    expect(
      await tab.locator('[data-testid="task-row"][data-status="Done"]').count(),
    ).toBeGreaterThan(0);
    await tab.close();
  });

  it("takes no busy worker for lost at 100× speed (F09a)", async () => {
    const tab = await page();
    if (!tab) return;
    await setCode(tab, file('console.log("handled", job.n, attempt);'));
    await tab.selectOption('[data-testid="speed"]', "100");
    await tab.fill('[data-testid="push-args"]', '{"n": 1}');
    await setNumber(tab, "push-count", 500);
    await tab.click('[data-testid="run-button"]');
    await waitForAll(tab, 500, ["Done", "Killed"], 120_000);
    const outcomes = await sql(
      tab,
      "select outcome, count(*)::int from tasklab.attempts group by outcome",
    );
    expect(outcomes).toEqual([["Done", "500"]]);
    await tab.close();
  }, 150_000);

  it("calls no worker lost while a slow statement holds the database (F02, F09a)", async () => {
    const tab = await page();
    if (!tab) return;
    await setCode(
      tab,
      file(`await playground.database.query("select pg_sleep(7)");
          console.log("slept", job.n, attempt);`),
    );
    await tab.fill('[data-testid="push-args"]', '{"n": 1}');
    await setNumber(tab, "push-count", 2);
    await setNumber(tab, "max-attempts", 1);
    await tab.click('[data-testid="run-button"]');
    // Two statements of 7 s, one after the other on PGlite's one
    // connection: every heartbeat waits or fails for 14 s.
    await waitForAll(tab, 2, ["Done", "Killed"], 90_000);
    const outcomes = await sql(
      tab,
      "select outcome, count(*)::int from tasklab.attempts group by outcome",
    );
    expect(outcomes).toEqual([["Done", "2"]]);
    await tab.close();
  }, 120_000);

  it("injects failures at the rate set in the controls", async () => {
    const tab = await page();
    if (!tab) return;
    await setCode(tab, file("return;"));
    await tab.fill('[data-testid="push-args"]', '{"n": 5}');
    await setNumber(tab, "push-count", 4);
    await setNumber(tab, "failure-rate", 100);
    await tab.fill('[data-testid="max-attempts"]', "1");
    await tab.click('[data-testid="run-button"]');
    await waitForAll(tab, 4, ["Killed"]);
    const rows = await sql(
      tab,
      "select count(*)::int from tasklab.attempts where outcome = 'Killed'",
    );
    expect(rows).toEqual([["4"]]);
    await tab.close();
  });

  it("recovers the task of a killed worker, and another worker finishes it", async () => {
    const tab = await page();
    if (!tab) return;
    await setCode(
      tab,
      file(`const ms = attempt === 1 ? 4000 : 10;\n          ${sleep}`),
    );
    await tab.fill('[data-testid="push-args"]', '{"n": 2}');
    await setNumber(tab, "push-count", 2);
    await setNumber(tab, "worker-count", 2);
    await tab.click('[data-testid="run-button"]');
    const running = tab.locator(
      '[data-testid="task-row"][data-status="Running"]',
    );
    await running.first().waitFor({ timeout: 30_000 });
    const taskId = await running.first().getAttribute("data-task-id");
    // The row shows a short name; the full instance id is in data-lock-by.
    const owner = await tab
      .locator(`[data-testid="task-row"][data-task-id="${taskId}"]`)
      .getAttribute("data-lock-by");
    expect(owner).toBeTruthy();
    await tab
      .locator(
        `[data-testid="worker-lane"][data-worker-id="${owner}"] [data-testid="kill-worker"]`,
      )
      .click();
    await tab
      .locator(
        `[data-testid="worker-lane"][data-worker-id="${owner}"][data-state="killed"]`,
      )
      .waitFor();
    await waitForAll(tab, 2, ["Done"], 90_000);
    const attempts = await sql(
      tab,
      `select attempt, worker_id, outcome from tasklab.attempts where task_id = '${taskId}' order by attempt`,
    );
    expect(attempts[0]?.[1]).toBe(owner);
    expect(attempts[0]?.[2]).toBe("Lost");
    expect(attempts.at(-1)?.[2]).toBe("Done");
    expect(attempts.at(-1)?.[1]).not.toBe(owner);
    await tab.close();
  });

  it("fails the attempt of an endless loop while the page keeps answering clicks", async () => {
    const tab = await page();
    if (!tab) return;
    await setCode(tab, file("while (true) {}"));
    await tab.fill('[data-testid="push-args"]', '{"n": 3}');
    await setNumber(tab, "push-count", 1);
    await tab.fill('[data-testid="push-args"]', '{"n": 3}');
    await tab.click('[data-testid="run-button"]');
    await tab
      .locator('[data-testid="task-row"][data-status="Running"]')
      .waitFor({ timeout: 30_000 });
    // The page answers while the handler spins: a click changes the view.
    await tab.selectOption('[data-testid="status-filter"]', "Running");
    expect(await tab.locator('[data-testid="task-row"]').count()).toBe(1);
    await tab.selectOption('[data-testid="status-filter"]', "All");
    const answered = await sql(tab, "select 1 as one");
    expect(answered).toEqual([["1"]]);
    await tab
      .locator(
        '[data-testid="task-row"]:not([data-status="Running"]):not([data-status="Pending"])',
      )
      .first()
      .waitFor({ timeout: 60_000 });
    const error = await sql(
      tab,
      "select outcome, error from tasklab.attempts order by started_at limit 1",
    );
    expect(error[0]?.[0]).not.toBe("Done");
    // Stopped for its silence (3 s), before the lock timeout (5 s)
    // would have called its worker lost.
    expect(error[0]?.[1]).toMatch(
      /^stopped: worker process p\d+ did not answer for 3 s/,
    );
    await tab.close();
  });

  it("fails the attempt of a handler that takes memory without bound, and the page lives on (F14)", async () => {
    const tab = await page();
    if (!tab) return;
    await setCode(
      tab,
      file(`const hoard: number[][] = [];
          for (;;) {
            hoard.push(new Array(1e6).fill(job.n));
            await new Promise((done) => setTimeout(done, 0));
          }`),
    );
    await setNumber(tab, "push-count", 1);
    await setNumber(tab, "max-attempts", 1);
    await tab.fill('[data-testid="push-args"]', '{"n": 1}');
    // The sandbox's process dies of the handler's memory; the page does
    // not, but the driver takes any crash in its frames for the page's,
    // so the page is read through the DevTools protocol from here on.
    const devtools = await tab.context().newCDPSession(tab);
    const read = async (expression: string) =>
      (
        await devtools.send("Runtime.evaluate", {
          expression,
          returnByValue: true,
        })
      ).result.value as unknown;
    await tab.click('[data-testid="run-button"]');
    const killed = `document.querySelector('[data-testid="status-count-Killed"]')?.textContent`;
    const deadline = Date.now() + 90_000;
    while ((await read(killed)) !== "1" && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 500));
    }
    expect(await read(killed)).toBe("1");
    const row = await read(
      `document.querySelector('[data-testid="task-row"]')?.textContent`,
    );
    expect(row).toMatch(
      /stopped: worker process p\d+ did not answer .* ran out of memory/,
    );
    // Another process took the dead one's place.
    expect(
      await read(
        `document.querySelectorAll('[data-testid="worker-lane"]').length > 0`,
      ),
    ).toBe(true);
    await devtools.detach();
  }, 120_000);

  it("keeps the page's localStorage out of handler code", async () => {
    const tab = await page();
    if (!tab) return;
    await tab.evaluate(() => localStorage.setItem("secret", "page-only"));
    await setCode(
      tab,
      file(`let seen = "nothing";
          try { seen = String(localStorage.getItem("secret")); } catch (e) { seen = "blocked: " + (e as Error).name; }
          try { seen += " | " + String((parent as any).localStorage.getItem("secret")); } catch (e) { seen += " | parent blocked"; }
          throw new Error("saw " + seen);`),
    );
    await tab.fill('[data-testid="push-args"]', '{"n": 4}');
    await setNumber(tab, "push-count", 1);
    await tab.click('[data-testid="run-button"]');
    await tab
      .locator(
        '[data-testid="task-row"][data-status="Failed"], [data-testid="task-row"][data-status="Killed"]',
      )
      .first()
      .waitFor({ timeout: 30_000 });
    const rows = await sql(tab, "select error from tasklab.attempts limit 1");
    expect(rows[0]?.[0]).toMatch(/^.*saw /);
    expect(rows[0]?.[0]).not.toContain("page-only");
    expect(await tab.evaluate(() => localStorage.getItem("secret"))).toBe(
      "page-only",
    );
    await tab.close();
  });

  it("shows type errors against the runtime's declarations and runs nothing", async () => {
    const tab = await page();
    if (!tab) return;
    await setCode(
      tab,
      `import { stateKey } from "tasklab";\nconst key: number = stateKey<string>("mailer");\nexport default { workers: [] };\n`,
    );
    const problems = tab.locator('[data-testid="problems"]');
    await problems
      .getByText(/StateKey<string>.*not assignable to type 'number'/)
      .waitFor();
    await tab.click('[data-testid="run-button"]');
    await tab
      .getByTestId("error")
      .getByText(/nothing was run/)
      .waitFor();
    expect(await tab.locator('[data-testid="worker-lane"]').count()).toBe(0);
    await tab.close();
  });

  it("never hands code that does not compile to a worker", async () => {
    const tab = await page();
    if (!tab) return;
    await setCode(tab, "export default { workers: [ ;\n");
    // At once, before the editor has marked anything: the engine's own
    // compile step refuses it.
    await tab.keyboard.press("ControlOrMeta+Enter");
    await tab.getByTestId("error").waitFor();
    expect(await tab.getByTestId("error").textContent()).toMatch(
      /nothing was (run|started)/,
    );
    await tab.getByTestId("problems").waitFor();
    expect(await tab.locator('[data-testid="worker-lane"]').count()).toBe(0);
    expect(await count(tab, "Pending")).toBe(0);
    await tab.close();
  });

  it("completes the runtime's API in the editor", async () => {
    const tab = await page();
    if (!tab) return;
    await setCode(
      tab,
      `import type { TaskInput } from "tasklab";\ndeclare const task: TaskInput;\ntask.`,
    );
    await tab.keyboard.press("Control+Space");
    const suggestions = tab.locator(".suggest-widget .monaco-list-row");
    await suggestions.first().waitFor();
    const labels = await suggestions.allTextContents();
    expect(labels.join(" ")).toMatch(/attempt/);
    expect(labels.join(" ")).toMatch(/context/);
    await tab.close();
  });

  it("explains the runtime's API on hover, with its doc comment", async () => {
    const tab = await page();
    if (!tab) return;
    await setCode(
      tab,
      `import { stateKey } from "tasklab";\nexport const Mailer = stateKey<string>("mailer");\n`,
    );
    await tab
      .locator(".view-line span span", { hasText: /stateKey/ })
      .last()
      .hover();
    const hover = tab.locator(".monaco-hover-content");
    await hover.getByText(/one piece of shared state/).waitFor();
    expect((await hover.allTextContents()).join(" ")).toMatch(
      /StateKey<string>/,
    );
    await tab.close();
  });

  it("brings the code back after a reload without running it", async () => {
    const tab = await page();
    if (!tab || !playground) return;
    await setCode(tab, file("// kept across reloads"));
    await tab.waitForTimeout(600);
    await tab.reload();
    await tab.waitForSelector('[data-testid="editor"][data-ready="true"]');
    // Monaco draws spaces as no-break spaces.
    const shown = await tab.locator(".view-lines").textContent();
    expect(shown?.replaceAll("\u00a0", " ")).toContain("kept across reloads");
    expect(await count(tab, "Pending")).toBe(0);
    expect(await tab.locator('[data-testid="worker-lane"]').count()).toBe(0);
    await tab.close();
  });
});
