/**
 * The playground's page: the handler editor and the run's controls on
 * the left; the timeline, the task table, the task detail and the SQL
 * console on the right.
 */
import { useCallback, useRef } from "react";
import { ConsolePanel } from "./console/ConsolePanel.tsx";
import { useAppStore, useSession } from "./context.tsx";
import { PushControls } from "./controls/PushControls.tsx";
import { RunBar } from "./controls/RunBar.tsx";
import { Legend, StatusCounts } from "./controls/StatusCounts.tsx";
import { WorkerControls } from "./controls/WorkerControls.tsx";
import { EditorPane } from "./editor/EditorPane.tsx";
import type { Diagnostic, EditorHandle } from "./editor/monaco.ts";
import { SqlConsole } from "./sql/SqlConsole.tsx";
import { TaskDetail } from "./tasks/TaskDetail.tsx";
import { TaskTable } from "./tasks/TaskTable.tsx";
import { Timeline } from "./timeline/Timeline.tsx";

export function App(props: { initialCode: string }) {
  const store = useAppStore();
  const session = useSession();
  const editor = useRef<EditorHandle | null>(null);
  const code = useRef(props.initialCode);

  const run = useCallback(async () => {
    if (!session) return;
    const state = store.getState();
    const handle = editor.current;
    if (handle) {
      code.current = handle.getValue();
      const errors = await typeErrors(handle);
      if (errors.length > 0) {
        state.setError(
          `The handler has ${errors.length} error${errors.length === 1 ? "" : "s"} (listed under the editor); nothing was run. Fix them and press Run again.`,
        );
        return;
      }
    }
    performance.mark("tasklab:run-checked");
    await session.run(code.current);
  }, [session, store]);

  return (
    <div className="app">
      <RunBar onRun={run} />
      <div className="columns">
        <div className="left">
          <EditorPane
            initialCode={props.initialCode}
            handle={editor}
            onRun={run}
          />
          <WorkerControls />
          <PushControls />
        </div>
        <div className="right">
          <div className="summary">
            <StatusCounts />
            <Legend />
          </div>
          <Timeline />
          <div className="split">
            <TaskTable />
            <TaskDetail />
          </div>
          <SqlConsole />
          <ConsolePanel />
        </div>
      </div>
    </div>
  );
}

/**
 * The errors that keep a Run from starting. Errors already marked in
 * the editor are confirmed with TypeScript (they may predate the last
 * keystroke); with none marked, Run starts at once rather than wait
 * for the type checker. Syntax errors cannot slip through that way:
 * the engine compiles the code again and refuses what does not compile.
 */
async function typeErrors(handle: EditorHandle): Promise<Diagnostic[]> {
  const isError = (d: Diagnostic) => d.severity === "error";
  if (!handle.markers().some(isError)) return [];
  const timeout = new Promise<[]>((resolve) => setTimeout(resolve, 4_000, []));
  try {
    return (await Promise.race([handle.diagnostics(), timeout])).filter(
      isError,
    );
  } catch {
    return [];
  }
}
