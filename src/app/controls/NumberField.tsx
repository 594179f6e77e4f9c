/** A labelled number input that reports only finite numbers in range. */
export function NumberField(props: {
  label: string;
  value: number;
  min?: number;
  max?: number;
  step?: number;
  testId?: string;
  disabled?: boolean;
  onChange(value: number): void;
}) {
  const { label, value, min, max, step, testId, disabled, onChange } = props;
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        value={value}
        min={min}
        max={max}
        step={step ?? 1}
        disabled={disabled}
        data-testid={testId}
        onChange={(e) => {
          const next = e.target.valueAsNumber;
          if (!Number.isFinite(next)) return;
          const low = min ?? Number.NEGATIVE_INFINITY;
          const high = max ?? Number.POSITIVE_INFINITY;
          onChange(Math.min(high, Math.max(low, next)));
        }}
      />
    </label>
  );
}
