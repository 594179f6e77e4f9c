import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { migrate } from "../backends/postgres/migrate.ts";
import { migrations } from "../backends/postgres/migrations/index.ts";
import { PgliteDriver } from "../backends/postgres/pglite.ts";
import { APP_ROLE, changeFeedSql, PLAYGROUND_SCHEMA } from "./change-feed.ts";

/** The runtime's schema in the playground database. */
export const TASKLAB_SCHEMA = "tasklab";

/** An open playground database and where it came from. */
export interface OpenDatabase {
  readonly db: PGlite;
  readonly driver: PgliteDriver;
  readonly from: "snapshot" | "fresh";
}

/**
 * Opens the playground database: from a data-dir snapshot when one is
 * given and loads, else afresh (which runs initdb, about 3 s). Either
 * way the migrations and the change feed are brought up to date, so an
 * old snapshot still works. `artifacts` are PGlite's own files, when
 * the caller fetched them alongside the snapshot.
 */
export async function openDatabase(
  snapshot: Blob | null,
  artifacts: Pick<PGliteOptions, "pgliteWasmModule" | "fsBundle"> = {},
): Promise<OpenDatabase> {
  let db: PGlite | null = null;
  let from: OpenDatabase["from"] = "fresh";
  if (snapshot) {
    try {
      db = await PGlite.create({
        ...artifacts,
        loadDataDir: await asTarFile(snapshot),
      });
      from = "snapshot";
    } catch {
      // A snapshot from another PGlite version or a broken download:
      // starting afresh is slower but always works.
      db = null;
    }
  }
  db ??= await PGlite.create();
  const driver = new PgliteDriver(db);
  if (!(from === "snapshot" && (await isCurrent(driver)))) {
    await prepare(driver);
  }
  return { db, driver, from };
}

/**
 * Whether a loaded snapshot already has every migration and the change
 * feed; then opening skips the DDL and is ready sooner.
 */
async function isCurrent(driver: PgliteDriver): Promise<boolean> {
  const latest = Math.max(...migrations.map((m) => m.version));
  try {
    const { rows } = await driver.query<{ version: number; feed: boolean }>(
      `SELECT (SELECT max(version) FROM ${TASKLAB_SCHEMA}.migrations) AS version, to_regclass('${PLAYGROUND_SCHEMA}.changes') IS NOT NULL AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') AS feed`,
    );
    return rows[0]?.version === latest && rows[0]?.feed === true;
  } catch {
    return false;
  }
}

/** Applies the migrations and installs the change feed. */
export async function prepare(driver: PgliteDriver): Promise<void> {
  await migrate(driver, { schema: TASKLAB_SCHEMA });
  await driver.exec(changeFeedSql(TASKLAB_SCHEMA));
}

/** Empties the runtime's tables and the playground's, for a new run. */
export async function resetDatabase(driver: PgliteDriver): Promise<void> {
  const s = TASKLAB_SCHEMA;
  const p = PLAYGROUND_SCHEMA;
  await driver.exec(
    `TRUNCATE ${s}.attempts, ${s}.tasks, ${s}.workers, ${p}.changes, ${p}.sent_emails`,
  );
}

/**
 * Names the snapshot by its content: a browser may already have undone
 * the gzip (Content-Encoding), and PGlite picks by name.
 */
async function asTarFile(snapshot: Blob): Promise<File> {
  const head = new Uint8Array(await snapshot.slice(0, 2).arrayBuffer());
  const gzipped = head[0] === 0x1f && head[1] === 0x8b;
  return new File([snapshot], gzipped ? "pgdata.tar.gz" : "pgdata.tar", {
    type: gzipped ? "application/x-gzip" : "application/x-tar",
  });
}
