/**
 * The tasks to push, with Run and with Push: args as JSON (a message
 * next to the field when it is not JSON), count, priority, delay and
 * max attempts. The number fields take what a push accepts, so a value
 * the form allows is never refused by the runtime.
 */
import { MAX_COUNT } from "../../engine/api.ts";
import { INT32_MAX, INT32_MIN, MAX_DELAY_MS } from "../../runtime/validate.ts";
import { useApp, useSession } from "../context.tsx";
import { argsProblem, type PushForm } from "../store/settings.ts";
import { fieldProblemText } from "../store/store.ts";
import { NumberField } from "./NumberField.tsx";

type NumberKey = Exclude<keyof PushForm, "args">;

export function PushControls() {
  const form = useApp((s) => s.settings.push);
  const running = useApp((s) => s.engine === "running");
  const setSettings = useApp((s) => s.setSettings);
  const session = useSession();
  const invalid = useApp((s) => s.fieldProblems);
  const setFieldProblem = useApp((s) => s.setFieldProblem);
  const problem = argsProblem(form.args);
  const change = (patch: Partial<PushForm>) =>
    setSettings({ push: { ...form, ...patch } });
  const field = (key: NumberKey, label: string) => ({
    label,
    value: form[key],
    onChange: (value: number) => change({ [key]: value }),
    onProblem: setFieldProblem,
  });

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
          min={1}
          max={MAX_COUNT}
          testId="push-count"
          {...field("count", "Count")}
        />
        <NumberField
          min={INT32_MIN}
          max={INT32_MAX}
          {...field("priority", "Priority")}
        />
        <NumberField
          min={0}
          max={MAX_DELAY_MS}
          {...field("delayMs", "Delay ms")}
        />
        <NumberField
          testId="max-attempts"
          min={1}
          max={INT32_MAX}
          {...field("maxAttempts", "Max attempts")}
        />
      </div>
      <button
        type="button"
        data-testid="push-button"
        disabled={!session || !running || problem !== null || invalid.size > 0}
        title={pushTitle(running, fieldProblemText(invalid))}
        onClick={() => session?.push()}
      >
        Push {form.count}
      </button>
    </fieldset>
  );
}

function pushTitle(running: boolean, fieldProblem: string | null) {
  if (fieldProblem) return `${fieldProblem}; fix it first`;
  return running ? "Push these tasks now" : "Run a handler first";
}
