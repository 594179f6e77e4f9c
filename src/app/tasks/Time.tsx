/**
 * Times as the task table and the task detail show them, in UTC like
 * the database: short in the cell, the whole timestamp on hover.
 */

/** A time as `shortTime` shows it, with the whole timestamp on hover. */
export function Time(props: { ms: number; now: number }) {
  const full = fullTime(props.ms);
  return (
    <time dateTime={full} title={full}>
      {shortTime(props.ms, props.now)}
    </time>
  );
}

/**
 * The time of day to the millisecond when `ms` falls on the same day
 * as `now`, else the date and the minute, so a task due next year does
 * not look due today.
 */
export function shortTime(ms: number, now: number): string {
  const iso = fullTime(ms);
  const day = iso.slice(0, 10);
  if (day === fullTime(now).slice(0, 10)) return iso.slice(11, 23);
  return `${day} ${iso.slice(11, 16)}`;
}

/** The whole timestamp, e.g. 2030-01-01T09:30:00.000Z. */
export function fullTime(ms: number): string {
  return new Date(ms).toISOString();
}
