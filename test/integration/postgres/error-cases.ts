import { expect, test } from "vitest";
import {
  DatabaseError,
  pushError,
} from "../../../src/backends/postgres/errors.ts";
import { InvalidTaskError } from "../../../src/runtime/errors.ts";
import type { TestDb } from "../../support/postgres.ts";

async function refusal(db: TestDb, sql: string): Promise<unknown> {
  try {
    await db.driver.query(sql);
  } catch (error) {
    return error;
  }
  throw new Error(`expected the database to refuse: ${sql}`);
}

/** Errors from the database, classified by SQLSTATE. */
export function errorCases(db: TestDb): void {
  test("a check violation in a push becomes InvalidTaskError naming the option", async () => {
    await db.storage();
    const cause = await refusal(
      db,
      `INSERT INTO ${db.schema}.tasks
         (id, queue, args, max_attempts, run_at, created_at)
       VALUES ('x', 'q', '{}', 0, now(), now())`,
    );

    const error = pushError(cause);

    expect(error).toBeInstanceOf(InvalidTaskError);
    expect(error).toMatchObject({ field: "options.maxAttempts", cause });
  });

  test("text jsonb cannot hold becomes InvalidTaskError naming the args", async () => {
    await db.storage();
    const cause = await refusal(db, `SELECT '"a\\u0000b"'::jsonb`);

    expect(pushError(cause)).toMatchObject({
      code: "INVALID_TASK",
      field: "args",
    });
  });

  test("any other failure is a DatabaseError carrying its SQLSTATE", async () => {
    const storage = await db.storage();
    await db.driver.query(`DROP TABLE ${db.schema}.attempts`);

    const claim = storage.claim("w1", 1);

    await expect(claim).rejects.toBeInstanceOf(DatabaseError);
    await expect(claim).rejects.toMatchObject({
      code: "DATABASE",
      sqlstate: "42P01",
      operation: "claim",
    });
  });
}
