/**
 * The top bar: Run and Stop, time speed, pause and resume, the engine's
 * state, and the last error in words. Shortcuts work anywhere on the
 * page and are listed next to the buttons.
 */
import { useEffect } from "react";
import { useApp, useSession } from "../context.tsx";

const SPEEDS = [0.25, 0.5, 1, 2, 5, 10, 50, 100];

export const SHORTCUTS = "Ctrl/⌘+Enter run · Ctrl/⌘+. stop · Alt+P pause";

export function RunBar(props: { onRun(): void }) {
  const { onRun } = props;
  const engine = useApp((s) => s.engine);
  const paused = useApp((s) => s.paused);
  const speed = useApp((s) => s.speed);
  const error = useApp((s) => s.error);
  const session = useSession();
  const busy = engine === "starting" || engine === "stopping";
  const live = engine === "running" || engine === "starting";

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key === "Enter" && !e.defaultPrevented) {
        e.preventDefault();
        onRun();
      } else if (mod && e.key === ".") {
        e.preventDefault();
        void session?.stop();
      } else if (e.altKey && e.code === "KeyP") {
        e.preventDefault();
        session?.setPaused(!paused);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onRun, session, paused]);

  return (
    <header className="run-bar">
      <h1>Tasklab</h1>
      <button
        type="button"
        className="primary"
        data-testid="run-button"
        disabled={!session || busy}
        onClick={onRun}
        title="Compile the handler and run it on fresh tasks (Ctrl/⌘+Enter)"
      >
        {live ? "Run again" : "Run"}
      </button>
      <button
        type="button"
        data-testid="stop-button"
        disabled={!session || !live}
        onClick={() => session?.stop()}
        title="Stop every worker gracefully (Ctrl/⌘+.)"
      >
        Stop
      </button>
      <button
        type="button"
        data-testid="pause-button"
        disabled={!session || !live}
        onClick={() => session?.setPaused(!paused)}
        title="Freeze the clock and the workers' database calls (Alt+P)"
      >
        {paused ? "Resume" : "Pause"}
      </button>
      <label>
        Speed{" "}
        <select
          data-testid="speed"
          value={speed}
          disabled={!session}
          onChange={(e) => session?.setSpeed(Number(e.target.value))}
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <span className="engine-state" data-testid="engine-state">
        {engineText(engine, paused)}
      </span>
      <span className="muted hint">{SHORTCUTS}</span>
      {error && (
        <p className="error banner" role="alert" data-testid="error">
          {error}
        </p>
      )}
    </header>
  );
}

function engineText(engine: string, paused: boolean): string {
  if (engine === "loading") return "Starting the database…";
  if (engine === "unavailable") return "Engine unavailable";
  if (engine === "running" && paused) return "Paused";
  return engine[0]?.toUpperCase() + engine.slice(1);
}
