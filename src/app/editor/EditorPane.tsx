/**
 * The handler editor. Monaco loads after the page is up (its module is
 * a separate chunk); until then the code shows read-only. The session
 * of the editor: loading -> ready (typing, saved as you type, errors
 * shown as TypeScript finds them) or failed (the message says why).
 */
import { type RefObject, useEffect, useRef, useState } from "react";
import type { CompileDiagnostic } from "../../engine/protocol.ts";
import { useApp, useAppStore } from "../context.tsx";
import { useColorScheme } from "../useColorScheme.ts";
import type { Diagnostic, EditorHandle } from "./monaco.ts";
import { saveCode } from "./persist.ts";

export function EditorPane(props: {
  initialCode: string;
  handle: RefObject<EditorHandle | null>;
  onRun(): void;
}) {
  const { initialCode, handle, onRun } = props;
  const box = useRef<HTMLDivElement>(null);
  const scheme = useColorScheme();
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");
  const [loadError, setLoadError] = useState<string | null>(null);
  const [markers, setMarkers] = useState<Diagnostic[]>([]);
  const compileErrors = useApp((s) => s.compileErrors);
  const store = useAppStore();
  const runRef = useRef(onRun);
  runRef.current = onRun;
  const schemeRef = useRef(scheme);
  schemeRef.current = scheme;

  // biome-ignore lint/correctness/useExhaustiveDependencies: created once; later code comes from the editor itself
  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    import("./monaco.ts")
      .then(({ createEditor }) => {
        if (disposed || !box.current) return;
        const editor = createEditor(
          box.current,
          initialCode,
          schemeRef.current,
        );
        let timer: ReturnType<typeof setTimeout> | undefined;
        const offChange = editor.onChange((code) => {
          // The engine's errors were about the code as it was.
          const { compileErrors, setCompileErrors } = store.getState();
          if (compileErrors.length > 0) setCompileErrors([]);
          clearTimeout(timer);
          timer = setTimeout(() => saveCode(code), 300);
        });
        const offMarkers = editor.onDiagnostics(setMarkers);
        editor.onRun(() => runRef.current());
        handle.current = editor;
        setState("ready");
        performance.mark("tasklab:editor-ready");
        cleanup = () => {
          clearTimeout(timer);
          saveCode(editor.getValue());
          offChange();
          offMarkers();
          editor.dispose();
          handle.current = null;
        };
      })
      .catch((error: unknown) => {
        setState("failed");
        setLoadError(error instanceof Error ? error.message : String(error));
      });
    return () => {
      disposed = true;
      cleanup();
    };
  }, []);

  useEffect(() => handle.current?.setTheme(scheme), [scheme, handle]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: state says when the editor exists
  useEffect(() => {
    handle.current?.showCompileErrors(
      compileErrors.map((d) => ({ ...d, severity: "error" as const })),
    );
  }, [compileErrors, handle, state]);

  const problems: readonly (Diagnostic | CompileDiagnostic)[] =
    compileErrors.length > 0 ? compileErrors : markers;

  return (
    <section className="panel editor-panel" aria-label="Handler code">
      <div
        className="editor"
        data-testid="editor"
        data-ready={state === "ready"}
      >
        <div ref={box} className="monaco-host" />
        {state !== "ready" && <pre className="code">{initialCode}</pre>}
      </div>
      {loadError && (
        <p className="error">
          The editor could not load ({loadError}). Reload the page to try again.
        </p>
      )}
      {problems.length > 0 && (
        <ul className="problems" data-testid="problems">
          {problems.map((p, i) => (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: by position
              key={i}
              className={
                "severity" in p && p.severity === "warning" ? "warn" : "error"
              }
            >
              Line {p.line}:{p.column}: {p.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
