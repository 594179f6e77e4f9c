import type { Driver } from "../backends/postgres/driver.ts";
import type { Clock } from "../runtime/contract.ts";
import { PLAYGROUND_SCHEMA } from "./change-feed.ts";
import type { Metrics, Playground, PlaygroundConfig } from "./user-file.ts";

/**
 * What a handler worker offers a user file: a database handle on the
 * same PGlite (its own port, so its statements never join the
 * runtime's transactions), an email client that records instead of
 * sending, the process's config, and metrics.
 */
export function playgroundServices(
  driver: Driver,
  clock: Clock,
  config: PlaygroundConfig,
): Playground {
  return {
    database: {
      query: <T>(sql: string, params?: readonly unknown[]) =>
        driver.query<T>(sql, params),
    },
    emailClient: {
      async send(email) {
        const { rows } = await driver.query<{ id: number }>(
          `INSERT INTO ${PLAYGROUND_SCHEMA}.sent_emails (task_id, recipient, subject, body, sent_at) VALUES ($1, $2, $3, $4, to_timestamp($5::float8 / 1000)) RETURNING id`,
          [
            email.taskId ?? null,
            String(email.to),
            String(email.subject),
            String(email.text),
            clock.now(),
          ],
        );
        return { id: Number(rows[0]?.id) };
      },
    },
    config: Object.freeze({ ...config }),
    metrics: metrics(),
  };
}

function metrics(): Metrics {
  const totals: Record<string, { count: number; sum: number }> = {};
  const entry = (name: string) => {
    totals[name] ??= { count: 0, sum: 0 };
    return totals[name];
  };
  return {
    count(name, by = 1) {
      const e = entry(name);
      e.count += by;
      e.sum += by;
    },
    observe(name, value) {
      const e = entry(name);
      e.count += 1;
      e.sum += value;
    },
    read: () => structuredClone(totals),
  };
}
