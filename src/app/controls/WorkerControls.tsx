/**
 * How the run is shaped: workers and concurrency (used by the next Run),
 * and faults to inject (applied at once): a failure rate and added
 * latency before every handler call.
 */
import { useApp, useSession } from "../context.tsx";
import { NumberField } from "./NumberField.tsx";

export function WorkerControls() {
  const settings = useApp((s) => s.settings);
  const setSettings = useApp((s) => s.setSettings);
  const setFieldProblem = useApp((s) => s.setFieldProblem);
  const session = useSession();
  const faults = (patch: { failureRate?: number; latencyMs?: number }) => {
    setSettings(patch);
    session?.applyFaults();
  };
  return (
    <fieldset className="panel workers">
      <legend>Workers</legend>
      <div className="fields">
        <NumberField
          label="Workers"
          onProblem={setFieldProblem}
          value={settings.workers}
          min={1}
          max={8}
          testId="worker-count"
          onChange={(workers) => setSettings({ workers })}
        />
        <NumberField
          label="Concurrency"
          onProblem={setFieldProblem}
          value={settings.concurrency}
          min={1}
          max={64}
          onChange={(concurrency) => setSettings({ concurrency })}
        />
        <NumberField
          label="Failure %"
          onProblem={setFieldProblem}
          value={Math.round(settings.failureRate * 100)}
          min={0}
          max={100}
          testId="failure-rate"
          onChange={(percent) => faults({ failureRate: percent / 100 })}
        />
        <NumberField
          label="Latency ms"
          onProblem={setFieldProblem}
          value={settings.latencyMs}
          min={0}
          max={60_000}
          onChange={(latencyMs) => faults({ latencyMs })}
        />
      </div>
      <label className="check">
        <input
          type="checkbox"
          data-testid="run-mix"
          checked={settings.mix}
          onChange={(e) => setSettings({ mix: e.target.checked })}
        />{" "}
        Run also pushes 4 high-priority and 3 flaky tasks
      </label>
      <p className="muted hint">
        Workers, concurrency and the mix apply at the next Run.
      </p>
    </fieldset>
  );
}
