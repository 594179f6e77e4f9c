/**
 * A SQL console on the live database: the statement runs in the
 * database worker; rows come back as a table, errors as the database
 * said them. Ctrl/Cmd+Enter runs.
 */
import { useState } from "react";
import type { SqlResult } from "../../engine/protocol.ts";
import { useSession } from "../context.tsx";

const EXAMPLE =
  "select status, count(*) from tasklab.tasks group by status order by status";

/** Rows shown at most; the rest are counted. */
const ROW_LIMIT = 500;

export function SqlConsole() {
  const session = useSession();
  const [text, setText] = useState(EXAMPLE);
  const [result, setResult] = useState<SqlResult | null>(null);
  const [busy, setBusy] = useState(false);
  /** Results shown so far: lets a reader tell a new result from the last. */
  const [runs, setRuns] = useState(0);

  const run = async () => {
    if (!session || busy || text.trim() === "") return;
    setBusy(true);
    try {
      setResult(await session.sql(text));
      setRuns((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel sql" aria-label="SQL console">
      <header className="panel-head">
        <h2>SQL</h2>
        <button
          type="button"
          data-testid="sql-run"
          disabled={!session || busy}
          onClick={run}
          title="Run the statement (Ctrl/Cmd+Enter)"
        >
          {busy ? "Running…" : "Run SQL"}
        </button>
        <span className="muted hint">Ctrl/Cmd+Enter</span>
      </header>
      <textarea
        data-testid="sql-input"
        rows={3}
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void run();
          }
        }}
      />
      <div data-testid="sql-result" data-runs={runs} className="sql-result">
        {result && <ResultView result={result} />}
      </div>
    </section>
  );
}

function ResultView({ result }: { result: SqlResult }) {
  if ("error" in result) {
    return (
      <p className="error" data-testid="sql-error">
        {result.error}
      </p>
    );
  }
  if (result.columns.length === 0) {
    return (
      <p className="muted">
        Done
        {result.affectedRows !== undefined &&
          `: ${result.affectedRows} row(s) changed`}
        .
      </p>
    );
  }
  const shown = result.rows.slice(0, ROW_LIMIT);
  return (
    <>
      <table className="grid">
        <thead>
          <tr>
            {result.columns.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns may repeat a name
              <th key={i}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((row, r) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity
            <tr key={r}>
              {row.map((cell, c) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: by position
                <td key={c} className="mono">
                  {formatCell(cell)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        {result.rows.length} row{result.rows.length === 1 ? "" : "s"}
        {result.rows.length > ROW_LIMIT && `, first ${ROW_LIMIT} shown`}
      </p>
    </>
  );
}

export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
