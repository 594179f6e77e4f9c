/**
 * A labelled field for a whole number in a range.
 *
 * What is typed is kept as a draft. A draft that reads as a number in
 * range is committed at once; any other draft stays on screen with a
 * message saying what the field takes, while the last committed value
 * stands. Leaving the field drops the draft, so it shows the committed
 * value again, as it does whenever nothing is being typed.
 *
 * The input is text, not type="number": a number input reports "" for
 * half-typed text such as "-", and its value cannot be kept as typed.
 */
import { useId, useState } from "react";
import {
  parseWhole,
  rangeText,
  stepWhole,
  type WholeRange,
} from "./wholeNumber.ts";

const ARROW_STEP: Record<string, number> = { ArrowUp: 1, ArrowDown: -1 };

export function NumberField(
  props: WholeRange & {
    label: string;
    value: number;
    testId?: string;
    disabled?: boolean;
    onChange(value: number): void;
    /**
     * Told, with the field's label, when the draft turns invalid (the
     * message) and back (null).
     */
    onProblem?(label: string, problem: string | null): void;
  },
) {
  const { label, value, min, max, testId, disabled } = props;
  const range = { min, max };
  const [draft, setDraft] = useState<string | null>(null);
  const inputId = useId();
  const problemId = useId();
  const parsed = draft === null ? null : parseWhole(draft, range);
  const problem = parsed && "problem" in parsed ? parsed.problem : null;

  const edit = (text: string | null) => {
    setDraft(text);
    const next = text === null ? null : parseWhole(text, range);
    const nextProblem = next && "problem" in next ? next.problem : null;
    if (nextProblem !== problem) props.onProblem?.(label, nextProblem);
    if (next && "value" in next && next.value !== value) {
      props.onChange(next.value);
    }
  };

  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        type="text"
        inputMode={min < 0 ? "text" : "numeric"}
        value={draft ?? String(value)}
        disabled={disabled}
        data-testid={testId}
        title={rangeText(range)}
        aria-invalid={problem !== null}
        aria-describedby={problem ? problemId : undefined}
        onChange={(e) => edit(e.target.value)}
        onBlur={() => edit(null)}
        onKeyDown={(e) => {
          const by = ARROW_STEP[e.key];
          if (by === undefined) return;
          e.preventDefault();
          const from = parsed && "value" in parsed ? parsed.value : value;
          edit(String(stepWhole(from, by, range)));
        }}
      />
      {problem && (
        <span id={problemId} className="field-problem error">
          {problem}
        </span>
      )}
    </div>
  );
}
