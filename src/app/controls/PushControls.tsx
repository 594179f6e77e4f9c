/**
 * The tasks to push, with Run and with Push: args as JSON (a message
 * next to the field when it is not JSON), count, priority, delay and
 * max attempts.
 */
import { useApp, useSession } from "../context.tsx";
import { argsProblem, type PushForm } from "../store/settings.ts";
import { NumberField } from "./NumberField.tsx";

export function PushControls() {
  const form = useApp((s) => s.settings.push);
  const running = useApp((s) => s.engine === "running");
  const setSettings = useApp((s) => s.setSettings);
  const session = useSession();
  const problem = argsProblem(form.args);
  const change = (patch: Partial<PushForm>) =>
    setSettings({ push: { ...form, ...patch } });

  return (
    <fieldset className="panel push">
      <legend>Tasks</legend>
      <label className="field wide">
        <span>Args (JSON)</span>
        <textarea
          data-testid="push-args"
          rows={3}
          spellCheck={false}
          value={form.args}
          aria-invalid={problem !== null}
          aria-describedby="args-problem"
          onChange={(e) => change({ args: e.target.value })}
        />
      </label>
      {problem && (
        <p id="args-problem" className="error" data-testid="args-error">
          {problem}
        </p>
      )}
      <div className="fields">
        <NumberField
          label="Count"
          value={form.count}
          min={1}
          max={10_000}
          testId="push-count"
          onChange={(count) => change({ count })}
        />
        <NumberField
          label="Priority"
          value={form.priority}
          min={-2_147_483_648}
          max={2_147_483_647}
          onChange={(priority) => change({ priority })}
        />
        <NumberField
          label="Delay ms"
          value={form.delayMs}
          min={0}
          onChange={(delayMs) => change({ delayMs })}
        />
        <NumberField
          label="Max attempts"
          value={form.maxAttempts}
          testId="max-attempts"
          min={1}
          max={1_000}
          onChange={(maxAttempts) => change({ maxAttempts })}
        />
      </div>
      <button
        type="button"
        data-testid="push-button"
        disabled={!session || !running || problem !== null}
        title={running ? "Push these tasks now" : "Run a handler first"}
        onClick={() => session?.push()}
      >
        Push {form.count}
      </button>
    </fieldset>
  );
}
