/**
 * The database worker: PGlite in its own module Web Worker, so the page
 * never waits on it. It opens the database (from the snapshot, else
 * afresh), serves SQL ports to processes and the page, and sends the
 * page the change feed: every row the runtime wrote, in batches.
 *
 * States: closed, opening, open (or failed). Commands other than
 * `open` wait until the database is open.
 */
import pgliteDataUrl from "@electric-sql/pglite/pglite.data?url";
import pgliteWasmUrl from "@electric-sql/pglite/pglite.wasm?url";
import { attemptRecord, drainChanges, taskRecord } from "./change-feed.ts";
import {
  type OpenDatabase,
  openDatabase,
  resetDatabase,
  TASKLAB_SCHEMA,
} from "./database.ts";
import { DbHost } from "./db-host.ts";
import type {
  DbWorkerCommand,
  DbWorkerMessage,
  EngineSnapshot,
  SqlResult,
} from "./protocol.ts";
import { toWireError } from "./wire.ts";

/** Real ms between two reads of the change log. */
const FEED_EVERY_MS = 40;

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<DbWorkerCommand>) => void) | null;
  postMessage(message: DbWorkerMessage): void;
};
const post = (message: DbWorkerMessage) => scope.postMessage(message);

// Commands sent before `open` wait for the database it opens.
let openOnce: ((snapshotUrl: string | null) => void) | null = null;
const opened = new Promise<{ database: OpenDatabase; host: DbHost }>(
  (resolve, reject) => {
    openOnce = (snapshotUrl) => {
      openOnce = null;
      open(snapshotUrl).then(resolve, reject);
    };
  },
);

scope.onmessage = async (event) => {
  const command = event.data;
  if (command.type === "open") {
    openOnce?.(command.snapshotUrl);
    return;
  }
  const { database, host } = await opened;
  switch (command.type) {
    case "connect":
      return host.connect(command.processId, command.port, command.role);
    case "disconnect":
      return host.disconnect(command.processId);
    case "pause":
      return host.pause();
    case "resume":
      return host.resume();
    case "sql":
      return post({
        type: "sql",
        id: command.id,
        result: await console_(database, command.text),
      });
    case "snapshot":
      return post({
        type: "snapshot",
        id: command.id,
        snapshot: await snapshot(database),
      });
    case "reset":
      await resetDatabase(database.driver);
      return post({ type: "reset", id: command.id });
  }
};

async function open(snapshotUrl: string | null) {
  const started = performance.now();
  try {
    // The snapshot and PGlite's own files download side by side.
    const [blob, artifacts] = await Promise.all([
      snapshotUrl ? download(snapshotUrl) : null,
      pgliteArtifacts(),
    ]);
    const database = await openDatabase(blob, artifacts);
    const host = new DbHost(database.driver);
    feed(database);
    post({
      type: "ready",
      from: database.from,
      ms: Math.round(performance.now() - started),
    });
    return { database, host };
  } catch (error) {
    post({ type: "failed", error: toWireError(error) });
    throw error;
  }
}

/** PGlite's WebAssembly (compiled while it streams) and file bundle. */
async function pgliteArtifacts() {
  try {
    const [pgliteWasmModule, fsBundle] = await Promise.all([
      WebAssembly.compileStreaming(fetch(pgliteWasmUrl)),
      fetch(pgliteDataUrl).then((r) => r.blob()),
    ]);
    return { pgliteWasmModule, fsBundle };
  } catch {
    // PGlite fetches them itself.
    return {};
  }
}

async function download(url: string): Promise<Blob | null> {
  try {
    const response = await fetch(url);
    return response.ok ? await response.blob() : null;
  } catch {
    return null;
  }
}

/** Sends the change log to the page, one batch per read. */
function feed(database: OpenDatabase): void {
  const tick = async () => {
    try {
      const changes = await drainChanges(database.driver);
      if (changes.length > 0) post({ type: "changes", changes });
    } catch {
      // The log is read again next tick; a busy connection is normal.
    }
    setTimeout(tick, FEED_EVERY_MS);
  };
  void tick();
}

/** Runs console SQL: a script's last result, as columns and rows. */
async function console_(
  database: OpenDatabase,
  text: string,
): Promise<SqlResult> {
  try {
    const results = await database.db.exec(text, { rowMode: "array" });
    const last = results.at(-1);
    if (!last) return { columns: [], rows: [] };
    return {
      columns: last.fields.map((f) => f.name),
      rows: last.rows as unknown as unknown[][],
      ...(last.affectedRows !== undefined
        ? { affectedRows: last.affectedRows }
        : {}),
    };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

async function snapshot(database: OpenDatabase): Promise<EngineSnapshot> {
  const s = TASKLAB_SCHEMA;
  const tasks = await database.driver.query<Record<string, unknown>>(
    `SELECT * FROM ${s}.tasks ORDER BY id`,
  );
  const attempts = await database.driver.query<Record<string, unknown>>(
    `SELECT * FROM ${s}.attempts ORDER BY task_id, attempt, id`,
  );
  return {
    tasks: tasks.rows.map(taskRecord),
    attempts: attempts.rows.map(attemptRecord),
  };
}
