/**
 * The ceiling the runtime is measured against: a bare SQL loop on one
 * PGlite that claims 10 rows with FOR UPDATE SKIP LOCKED and completes
 * them, with none of the runtime around it.
 */
import { PGlite } from "@electric-sql/pglite";

export async function bareClaimLoop(tasks: number): Promise<number> {
  const db = await PGlite.create();
  await db.exec(`
    create table jobs (
      id bigserial primary key,
      status text not null default 'Pending',
      priority int not null default 0,
      run_at timestamptz not null default now(),
      lock_by text
    );
    create index jobs_claim on jobs (priority desc, run_at)
      where status = 'Pending';
  `);
  await db.query(
    "insert into jobs (status) select 'Pending' from generate_series(1, $1)",
    [tasks],
  );
  const started = performance.now();
  for (;;) {
    const claimed = await db.query<{ id: number }>(
      `update jobs set status = 'Running', lock_by = 'w'
       where id in (
         select id from jobs where status = 'Pending' and run_at <= now()
         order by priority desc, run_at limit 10 for update skip locked)
       returning id`,
    );
    if (claimed.rows.length === 0) break;
    await db.query(
      "update jobs set status = 'Done', lock_by = null where id = any($1)",
      [claimed.rows.map((r) => r.id)],
    );
  }
  const seconds = (performance.now() - started) / 1000;
  await db.close();
  return tasks / seconds;
}
