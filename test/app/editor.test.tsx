import { act, cleanup, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EditorPane } from "../../src/app/editor/EditorPane.tsx";
import type { Diagnostic, EditorHandle } from "../../src/app/editor/monaco.ts";
import { clearCode, loadCode } from "../../src/app/editor/persist.ts";
import { renderView } from "./render.tsx";

/** Monaco does not run in jsdom; the editor module is replaced by a stub. */
const editors: FakeEditor[] = [];

class FakeEditor implements EditorHandle {
  code: string;
  change: ((code: string) => void) | null = null;
  markerListener: ((list: Diagnostic[]) => void) | null = null;
  run: (() => void) | null = null;
  compileErrors: readonly Diagnostic[] = [];
  constructor(code: string) {
    this.code = code;
  }
  getValue = () => this.code;
  setValue = (code: string) => {
    this.code = code;
  };
  type(code: string) {
    this.code = code;
    this.change?.(code);
  }
  onChange(listener: (code: string) => void) {
    this.change = listener;
    return () => {};
  }
  diagnostics = async () => [];
  markers = () => [];
  onDiagnostics(listener: (list: Diagnostic[]) => void) {
    this.markerListener = listener;
    return () => {};
  }
  showCompileErrors(list: readonly Diagnostic[]) {
    this.compileErrors = list;
  }
  onRun(run: () => void) {
    this.run = run;
  }
  setTheme() {}
  focus() {}
  dispose() {}
}

vi.mock("../../src/app/editor/monaco.ts", () => ({
  createEditor: (_element: HTMLElement, code: string) => {
    const editor = new FakeEditor(code);
    editors.push(editor);
    return editor;
  },
}));

afterEach(() => {
  cleanup();
  clearCode();
  editors.length = 0;
  vi.useRealTimers();
});

function renderEditor(onRun = () => {}) {
  const handle = { current: null as EditorHandle | null };
  const view = renderView(
    <EditorPane initialCode="const a = 1;" handle={handle} onRun={onRun} />,
  );
  return { ...view, handle };
}

describe("editor pane", () => {
  it("shows the code while the editor loads, then hands out the editor", async () => {
    const { handle } = renderEditor();
    expect(screen.getByTestId("editor").textContent).toContain("const a = 1;");
    await waitFor(() =>
      expect(screen.getByTestId("editor").dataset.ready).toBe("true"),
    );
    expect(handle.current?.getValue()).toBe("const a = 1;");
  });

  it("saves what is typed, for the next visit", async () => {
    renderEditor();
    await waitFor(() => expect(editors).toHaveLength(1));
    vi.useFakeTimers();
    editors[0]?.type("const b = 2;");
    vi.advanceTimersByTime(1_000);
    expect(loadCode("default")).toBe("const b = 2;");
  });

  it("lists the errors the editor marks", async () => {
    renderEditor();
    await waitFor(() => expect(editors).toHaveLength(1));
    act(() =>
      editors[0]?.markerListener?.([
        {
          line: 2,
          column: 7,
          message: "Type 'string' is not assignable",
          severity: "error",
        },
      ]),
    );
    expect(screen.getByTestId("problems").textContent).toBe(
      "Line 2:7: Type 'string' is not assignable",
    );
  });

  it("marks the engine's compile errors until the code changes", async () => {
    const { store } = renderEditor();
    await waitFor(() => expect(editors).toHaveLength(1));
    act(() =>
      store
        .getState()
        .setCompileErrors([{ line: 1, column: 3, message: "';' expected" }]),
    );
    expect(editors[0]?.compileErrors).toHaveLength(1);
    expect(screen.getByTestId("problems").textContent).toContain(
      "';' expected",
    );
    act(() => editors[0]?.type("const fixed = 1;"));
    expect(store.getState().compileErrors).toHaveLength(0);
    expect(editors[0]?.compileErrors).toHaveLength(0);
  });

  it("runs on the editor's Ctrl/Cmd+Enter", async () => {
    let runs = 0;
    renderEditor(() => runs++);
    await waitFor(() => expect(editors).toHaveLength(1));
    editors[0]?.run?.();
    expect(runs).toBe(1);
  });
});
