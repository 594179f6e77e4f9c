/**
 * Reading a whole number from what was typed in a field, with a message
 * that says what the field takes when the text is not one.
 */

/** The numbers a field accepts; no `max` means no upper bound. */
export interface WholeRange {
  readonly min: number;
  readonly max?: number;
}

export type Parsed = { value: number } | { problem: string };

// Signs, a fraction and an exponent are read so that "2.5" or "-3" get
// the field's message rather than a silently different number.
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

export function parseWhole(text: string, range: WholeRange): Parsed {
  const trimmed = text.trim();
  const value = NUMBER.test(trimmed) ? Number(trimmed) : Number.NaN;
  const { min, max = Number.POSITIVE_INFINITY } = range;
  if (Number.isInteger(value) && value >= min && value <= max) {
    return { value };
  }
  return { problem: rangeText(range) };
}

/** What a field takes, e.g. "whole number from 1 to 100000". */
export function rangeText(range: WholeRange): string {
  return range.max === undefined
    ? `whole number, ${range.min} or more`
    : `whole number from ${range.min} to ${range.max}`;
}

/** `value` moved by `by` and kept in range, for the arrow keys. */
export function stepWhole(value: number, by: number, range: WholeRange) {
  const max = range.max ?? Number.POSITIVE_INFINITY;
  return Math.min(max, Math.max(range.min, value + by));
}
