/**
 * Tasks done per real second, over a sliding window of samples taken at
 * most every quarter second, so the number moves smoothly.
 */
export interface Throughput {
  readonly samples: readonly { readonly at: number; readonly done: number }[];
  /** Tasks per second over the window; 0 before two samples exist. */
  readonly perSecond: number;
}

const WINDOW_MS = 3_000;
const EVERY_MS = 250;

export function createThroughput(): Throughput {
  return { samples: [], perSecond: 0 };
}

/** Returns `current` itself when it is too soon for a new sample. */
export function sample(
  current: Throughput,
  at: number,
  done: number,
): Throughput {
  const last = current.samples.at(-1);
  if (last && at - last.at < EVERY_MS) return current;
  const samples = [...current.samples, { at, done }].filter(
    (s) => at - s.at <= WINDOW_MS,
  );
  const first = samples[0];
  const span = first ? at - first.at : 0;
  const perSecond = first && span > 0 ? ((done - first.done) * 1000) / span : 0;
  return { samples, perSecond };
}
