/**
 * The claim and finish statements for a batch of several worker
 * instances' calls, as `Coalescer` gathers them.
 */
import type { Clock, Finish, Task } from "../../runtime/contract.ts";
import type { QueryResult } from "./driver.ts";
import { finishInRounds } from "./finish.ts";
import { byClaimOrder, type ClaimRow, type PgContext, toTask } from "./rows.ts";
import type { Statements } from "./sql.ts";

/** One worker instance's claim: up to `limit` tasks. */
export interface ClaimRequest {
  readonly workerId: string;
  readonly limit: number;
}

type Query = <T>(
  operation: string,
  sql: string,
  params: readonly unknown[],
) => Promise<QueryResult<T>>;

/** One statement for every claim; each request gets its own tasks. */
export async function claimBatch<Args>(
  storage: { readonly queue: string; readonly clock: Clock },
  sql: string,
  query: Query,
  requests: readonly ClaimRequest[],
): Promise<Task<Args, PgContext>[][]> {
  const now = storage.clock.now();
  const owners = requests.flatMap((r) => Array(r.limit).fill(r.workerId));
  const { rows } = await query<ClaimRow>("claim", sql, [
    storage.queue,
    now,
    owners,
  ]);
  rows.sort(byClaimOrder);
  // A worker has one claim in flight, but share fairly if not.
  const left = requests.map((r) => r.limit);
  const tasks = requests.map((): Task<Args, PgContext>[] => []);
  for (const row of rows) {
    const i = requests.findIndex(
      (r, k) => r.workerId === row.lock_by && (left[k] as number) > 0,
    );
    if (i < 0) continue;
    left[i] = (left[i] as number) - 1;
    tasks[i]?.push(toTask<Args>(row, row.lock_by, now));
  }
  return tasks;
}

/** Every batch's finishes together; each batch gets its own answers. */
export async function finishBatch(
  clock: Clock,
  sql: Statements,
  query: Query,
  batches: readonly (readonly Finish[])[],
): Promise<boolean[][]> {
  const took = await finishInRounds(
    batches.flat(),
    clock,
    async (kind, params) => {
      const text = kind === "done" ? sql.finishDone : sql.finish;
      const { rows } = await query<{ id: string }>("finish", text, params);
      return rows.map((row) => row.id);
    },
  );
  const answers: boolean[][] = [];
  let from = 0;
  for (const batch of batches) {
    answers.push(took.slice(from, from + batch.length));
    from += batch.length;
  }
  return answers;
}

/** A claim or a finish, as one coalesced batch carries them. */
export type HotCall =
  | { readonly kind: "claim"; readonly request: ClaimRequest }
  | { readonly kind: "finish"; readonly finishes: readonly Finish[] };

export type HotResult<Args> = Task<Args, PgContext>[] | boolean[];

/**
 * Claims and finishes together: one batch, at most one finish statement
 * (run first, so freed slots and ended locks count) and one claim
 * statement. On one connection, whatever arrives while a statement runs
 * joins the next batch, so the batches grow with the load.
 */
export async function hotBatch<Args>(
  storage: { readonly queue: string; readonly clock: Clock },
  sql: Statements,
  query: Query,
  calls: readonly HotCall[],
): Promise<HotResult<Args>[]> {
  const results: HotResult<Args>[] = [];
  const finishes = calls.flatMap((c, i) => (c.kind === "finish" ? [i] : []));
  const claims = calls.flatMap((c, i) => (c.kind === "claim" ? [i] : []));
  if (finishes.length > 0) {
    const batches = finishes.map(
      (i) => (calls[i] as { finishes: readonly Finish[] }).finishes,
    );
    const answers = await finishBatch(storage.clock, sql, query, batches);
    for (const [k, i] of finishes.entries()) results[i] = answers[k] ?? [];
  }
  if (claims.length > 0) {
    const requests = claims.map(
      (i) => (calls[i] as { request: ClaimRequest }).request,
    );
    const tasks = await claimBatch<Args>(storage, sql.claim, query, requests);
    for (const [k, i] of claims.entries()) results[i] = tasks[k] ?? [];
  }
  return results;
}
