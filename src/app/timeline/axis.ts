/**
 * The timeline's axis: ticks at round offsets from the run's first
 * event, each labelled with as many digits as the tick step needs, so
 * that neighbouring labels never read the same at any zoom.
 */
import { scaleLinear } from "d3-scale";

export interface Tick {
  /** Ms since the run's first event. */
  readonly offset: number;
  readonly label: string;
}

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;

/** About `count` ticks between two offsets, in ms since the start. */
export function axisTicks(from: number, to: number, count: number): Tick[] {
  // Steps are 1, 2 or 5 times a power of ten of this unit: zoomed out,
  // whole minutes or hours read better than steps of 50,000 ms.
  const span = to - from;
  const unit = span >= 3 * HOUR ? HOUR : span >= 3 * MINUTE ? MINUTE : 1;
  const offsets = scaleLinear()
    .domain([from / unit, to / unit])
    .ticks(count)
    .map((t) => t * unit);
  const [first = from, second = to] = offsets;
  const step = second - first;
  const largest = Math.max(Math.abs(from), Math.abs(to));
  return offsets.map((offset) => ({
    offset,
    label: offsetText(offset, step, largest),
  }));
}

/**
 * One unit for the whole axis, chosen by its largest offset: ms, then
 * seconds, then m:ss or h:mm:ss; the digits after the point, by `step`.
 */
function offsetText(ms: number, step: number, largest: number): string {
  if (largest < SECOND) return `${ms.toFixed(digitsFor(step))} ms`;
  const digits = digitsFor(step / SECOND);
  if (largest < MINUTE) return `${(ms / SECOND).toFixed(digits)} s`;
  const abs = Math.abs(ms);
  const hours = Math.floor(abs / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  const seconds = ((abs % MINUTE) / SECOND)
    .toFixed(digits)
    .padStart(digits > 0 ? digits + 3 : 2, "0");
  const sign = ms < 0 ? "-" : "";
  return largest >= HOUR
    ? `${sign}${hours}:${String(minutes).padStart(2, "0")}:${seconds}`
    : `${sign}${minutes}:${seconds}`;
}

/** Digits after the point that tell apart multiples of `step`. */
function digitsFor(step: number): number {
  // The small slack keeps 0.1 at one digit despite floating point.
  return Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
}

/** How much time a view shows, in the unit that reads best. */
export function spanLabel(ms: number): string {
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  if (ms < MINUTE) return `${(ms / SECOND).toFixed(1)} s`;
  if (ms < HOUR) return `${(ms / MINUTE).toFixed(1)} min`;
  return `${(ms / HOUR).toFixed(1)} h`;
}
