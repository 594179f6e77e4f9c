import { transform } from "sucrase";
import type { CompileDiagnostic } from "./protocol.ts";

/** A compiled user file, or why it could not be compiled. */
export type Compiled =
  | { readonly ok: true; readonly code: string }
  | { readonly ok: false; readonly diagnostics: CompileDiagnostic[] };

/**
 * Compiles the editor's TypeScript to CommonJS for a handler worker:
 * types are removed and imports become `require(...)` calls. Types are
 * not checked here (the editor shows those); a syntax error is returned
 * with its line and column so it never reaches a worker.
 */
export function compileUserFile(source: string): Compiled {
  try {
    const { code } = transform(source, {
      transforms: ["typescript", "imports"],
      production: true,
    });
    return { ok: true, code };
  } catch (error) {
    return { ok: false, diagnostics: [diagnostic(source, error)] };
  }
}

function diagnostic(source: string, error: unknown): CompileDiagnostic {
  const raw = error instanceof Error ? error.message : String(error);
  const pos = (error as { pos?: unknown }).pos;
  // Sucrase appends "(line:column)"; the position says it already.
  const reason = raw.replace(/\s*\(\d+:\d+\)$/, "");
  if (typeof pos !== "number") {
    return {
      message: `${reason}. Fix the code and run again.`,
      line: 1,
      column: 1,
    };
  }
  const before = source.slice(0, pos);
  const line = before.split("\n").length;
  const column = pos - (before.lastIndexOf("\n") + 1) + 1;
  return {
    message: `${reason} at line ${line}, column ${column}. Fix the code and run again; nothing was started.`,
    line,
    column,
  };
}
