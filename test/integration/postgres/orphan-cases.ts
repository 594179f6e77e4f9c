import { expect, test } from "vitest";
import { FakeClock } from "../../../src/runtime/clock.ts";
import type { TestDb } from "../../support/postgres.ts";

const LOCK_TIMEOUT = 2_000;

/** Orphans: tasks of dead worker instances come back (F08, F09). */
export function orphanCases(db: TestDb): void {
  test("a dead instance's last attempt ends Killed, saying its worker was lost; the tasks behind it go on (F08)", async () => {
    const clock = new FakeClock();
    const storage = await db.storage<string>({ clock });
    const worker = { id: "email-01", name: "email", queue: "default" };
    await storage.registerWorker(worker);
    const last = await storage.push("last", { maxAttempts: 1, priority: 1 });
    const behind = await storage.push("behind", { maxAttempts: 1 });
    await storage.claim(worker.id, 1);

    await clock.advance(LOCK_TIMEOUT + 1);
    const recovered = await storage.recoverOrphans(LOCK_TIMEOUT);

    expect(recovered).toEqual([
      { taskId: last, attempt: 1, lostBy: "email-01", status: "Killed" },
    ]);
    const error = "worker email-01 was lost during attempt 1";
    expect(await storage.get(last)).toMatchObject({
      status: "Killed",
      attempts: 1,
      context: { lastError: error, doneAt: clock.now(), lockBy: null },
    });
    expect(await storage.attempts(last)).toMatchObject([
      { outcome: "Lost", error, endedAt: clock.now() },
    ]);
    const [next] = await storage.claim("email-02", 1);
    expect(next?.parts.taskId).toBe(behind);
    expect(await storage.claim("email-02", 1)).toEqual([]);
  });

  test("a lost attempt with attempts left fails and is due at once", async () => {
    const clock = new FakeClock();
    const storage = await db.storage<string>({ clock });
    const id = await storage.push("x", { maxAttempts: 3 });
    await storage.registerWorker({ id: "w-1", name: "w", queue: "default" });
    await storage.claim("w-1", 1);
    await clock.advance(LOCK_TIMEOUT + 1);

    expect(await storage.recoverOrphans(LOCK_TIMEOUT)).toEqual([
      { taskId: id, attempt: 1, lostBy: "w-1", status: "Failed" },
    ]);
    expect(await storage.get(id)).toMatchObject({
      status: "Failed",
      context: { runAt: clock.now(), doneAt: null },
    });
    const [again] = await storage.claim("w-2", 1);
    expect(again?.parts.attempt).toBe(2);
  });

  test("a live instance keeps its task however long it runs (F09a)", async () => {
    const clock = new FakeClock();
    const storage = await db.storage<string>({ clock });
    const worker = { id: "slow-1", name: "slow", queue: "default" };
    await storage.registerWorker(worker);
    await storage.push("six seconds");
    await storage.claim(worker.id, 1);

    for (let second = 0; second < 6; second++) {
      await clock.advance(1_000);
      await storage.heartbeat(worker.id);
      expect(await storage.recoverOrphans(LOCK_TIMEOUT)).toEqual([]);
    }
    expect((await storage.counts()).Running).toBe(1);
  });

  test("a new instance with the same name still recovers the dead one's orphan (F09b)", async () => {
    const clock = new FakeClock();
    const storage = await db.storage<string>({ clock });
    const dead = { id: "email-A", name: "email", queue: "default" };
    const fresh = { id: "email-B", name: "email", queue: "default" };
    await storage.registerWorker(dead);
    const id = await storage.push("x");
    await storage.claim(dead.id, 1);

    await clock.advance(LOCK_TIMEOUT + 1);
    await storage.registerWorker(fresh);
    const recovered = await storage.recoverOrphans(LOCK_TIMEOUT);

    expect(recovered).toEqual([
      { taskId: id, attempt: 1, lostBy: "email-A", status: "Failed" },
    ]);
    const [task] = await storage.claim(fresh.id, 1);
    expect(task?.parts).toMatchObject({ taskId: id, attempt: 2 });
  });

  test("tasks still locked by a stopped instance are orphans at once", async () => {
    const clock = new FakeClock();
    const storage = await db.storage<string>({ clock });
    const worker = { id: "w-1", name: "w", queue: "default" };
    await storage.registerWorker(worker);
    await storage.push("x");
    await storage.claim(worker.id, 1);
    await storage.deregisterWorker(worker.id);

    const recovered = await storage.recoverOrphans(LOCK_TIMEOUT);
    expect(recovered.map((r) => r.lostBy)).toEqual(["w-1"]);
  });

  test("orphan recovery leaves other queues alone", async () => {
    const clock = new FakeClock();
    const mine = await db.storage<string>({ clock, queue: "mine" });
    const theirs = await db.storage<string>({ clock, queue: "theirs" });
    await theirs.push("x");
    await theirs.claim("gone", 1);
    await clock.advance(LOCK_TIMEOUT + 1);

    expect(await mine.recoverOrphans(LOCK_TIMEOUT)).toEqual([]);
    expect((await theirs.counts()).Running).toBe(1);
  });
}
