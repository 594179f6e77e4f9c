/**
 * The one module that touches Monaco. Everything else in the app talks
 * to the editor through `EditorHandle`; Monaco's globals
 * (`MonacoEnvironment`, its models and language defaults) stay here.
 *
 * Loaded with a dynamic import, so Monaco and TypeScript's language
 * service are not part of the page's first script.
 */
// The whole editor: editor.api alone lacks the contributions (suggest,
// hover, ...) that must be loaded before an editor is created.
import "monaco-editor/editor/editor.main";
import * as monaco from "monaco-editor/editor/editor.api";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import * as typescript from "monaco-editor/languages/features/typescript/register";
import TypeScriptWorker from "monaco-editor/languages/features/typescript/ts.worker?worker";
import runtimeTypesJson from "./runtime-types.generated.json?raw";

/** A syntax or type error found before running. Lines are 1-based. */
export interface Diagnostic {
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly severity: "error" | "warning";
}

/** What the app may do with the editor. */
export interface EditorHandle {
  getValue(): string;
  setValue(code: string): void;
  /** Calls back on every edit. Returns the unsubscribe function. */
  onChange(listener: (code: string) => void): () => void;
  /** Syntax and type errors of the current code, asked of TypeScript now. */
  diagnostics(): Promise<Diagnostic[]>;
  /** The errors and warnings marked in the editor at this moment. */
  markers(): Diagnostic[];
  /** Calls back whenever the markers (errors) change. */
  onDiagnostics(listener: (list: Diagnostic[]) => void): () => void;
  /**
   * Marks errors the engine's compile step found (it compiles again
   * before running); an empty list clears them.
   */
  showCompileErrors(list: readonly Diagnostic[]): void;
  /** Binds Ctrl/Cmd+Enter. */
  onRun(run: () => void): void;
  setTheme(theme: "light" | "dark"): void;
  focus(): void;
  dispose(): void;
}

/** The package name handler code imports from. */
const PACKAGE = "tasklab";
const MODEL_URI = "file:///handler.ts";

let configured = false;

function configure() {
  if (configured) return;
  configured = true;
  self.MonacoEnvironment = {
    getWorker(_workerId: string, label: string) {
      if (label === "typescript" || label === "javascript") {
        return new TypeScriptWorker();
      }
      return new EditorWorker();
    },
  };
  const defaults = typescript.typescriptDefaults;
  defaults.setCompilerOptions({
    target: typescript.ScriptTarget.ES2020,
    module: typescript.ModuleKind.ESNext,
    moduleResolution: typescript.ModuleResolutionKind.NodeJs,
    strict: true,
    noEmit: true,
    allowNonTsExtensions: true,
    lib: ["es2022", "dom"],
  });
  defaults.setDiagnosticsOptions({
    noSemanticValidation: false,
    noSyntaxValidation: false,
  });
  defaults.setEagerModelSync(true);
  const files: { path: string; content: string }[] =
    JSON.parse(runtimeTypesJson);
  for (const file of files) {
    defaults.addExtraLib(
      file.content,
      `file:///node_modules/${PACKAGE}/${file.path}`,
    );
  }
  defaults.addExtraLib(
    JSON.stringify({ name: PACKAGE, types: "index.d.ts" }),
    `file:///node_modules/${PACKAGE}/package.json`,
  );
}

function toDiagnostics(model: monaco.editor.ITextModel): Diagnostic[] {
  return monaco.editor
    .getModelMarkers({ resource: model.uri })
    .filter((m) => m.severity >= monaco.MarkerSeverity.Warning)
    .map((m) => ({
      line: m.startLineNumber,
      column: m.startColumn,
      message: m.message,
      severity:
        m.severity === monaco.MarkerSeverity.Error ? "error" : "warning",
    }));
}

/** Creates the editor inside `element`, holding `code`. */
export function createEditor(
  element: HTMLElement,
  code: string,
  theme: "light" | "dark",
): EditorHandle {
  configure();
  const uri = monaco.Uri.parse(MODEL_URI);
  const model =
    monaco.editor.getModel(uri) ??
    monaco.editor.createModel(code, "typescript", uri);
  model.setValue(code);
  const editor = monaco.editor.create(element, {
    model,
    theme: theme === "dark" ? "vs-dark" : "vs",
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 13,
    scrollBeyondLastLine: false,
    tabSize: 2,
  });

  return {
    getValue: () => model.getValue(),
    setValue: (next) => {
      if (next !== model.getValue()) model.setValue(next);
    },
    onChange(listener) {
      const sub = model.onDidChangeContent(() => listener(model.getValue()));
      return () => sub.dispose();
    },
    markers: () => toDiagnostics(model),
    async diagnostics() {
      const worker = await typescript.getTypeScriptWorker();
      const client = await worker(uri);
      const file = uri.toString();
      const [syntax, semantic] = await Promise.all([
        client.getSyntacticDiagnostics(file),
        client.getSemanticDiagnostics(file),
      ]);
      return [...syntax, ...semantic].map((d) => {
        const start = model.getPositionAt(d.start ?? 0);
        return {
          line: start.lineNumber,
          column: start.column,
          message: flatten(d.messageText),
          severity: "error" as const,
        };
      });
    },
    onDiagnostics(listener) {
      const sub = monaco.editor.onDidChangeMarkers((uris) => {
        if (uris.some((u) => u.toString() === uri.toString())) {
          listener(toDiagnostics(model));
        }
      });
      return () => sub.dispose();
    },
    showCompileErrors(list) {
      monaco.editor.setModelMarkers(
        model,
        "compile",
        list.map((d) => ({
          startLineNumber: d.line,
          startColumn: d.column,
          endLineNumber: d.line,
          endColumn: model.getLineMaxColumn(
            Math.min(d.line, model.getLineCount()),
          ),
          message: d.message,
          severity: monaco.MarkerSeverity.Error,
        })),
      );
    },
    onRun(run) {
      editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, run);
    },
    setTheme(next) {
      monaco.editor.setTheme(next === "dark" ? "vs-dark" : "vs");
    },
    focus: () => editor.focus(),
    dispose() {
      editor.dispose();
      model.dispose();
    },
  };
}

type MessageChain = string | { messageText: string; next?: MessageChain[] };

function flatten(chain: MessageChain): string {
  if (typeof chain === "string") return chain;
  const rest = (chain.next ?? []).map(flatten);
  return [chain.messageText, ...rest].join(" ");
}
