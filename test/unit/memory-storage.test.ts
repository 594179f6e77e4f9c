import { describe, expect, it, vi } from "vitest";
import { MemoryStorage } from "../../src/backends/memory/index.ts";
import { FakeClock, systemClock } from "../../src/runtime/clock.ts";
import type { Clock } from "../../src/runtime/contract.ts";
import { InvalidOptionError } from "../../src/runtime/errors.ts";

describe("MemoryStorage", () => {
  it("serves the default queue on the system clock unless told otherwise", () => {
    const storage = new MemoryStorage();
    expect(storage.queue).toBe("default");
    expect(storage.clock).toBe(systemClock);
  });

  it("refuses an empty queue name", () => {
    expect(() => new MemoryStorage({ queue: "" })).toThrow(InvalidOptionError);
  });

  it("stamps events with its clock's time", async () => {
    const clock = new FakeClock(5_000);
    const storage = new MemoryStorage({ clock });
    const seen = vi.fn();
    storage.events.onAny(seen);
    await storage.push(1);
    expect(seen).toHaveBeenCalledWith(expect.objectContaining({ at: 5_000 }));
  });

  it("returns deep-frozen records and history rows", async () => {
    const storage = new MemoryStorage({ clock: new FakeClock() });
    const id = await storage.push({ to: [{ name: "a" }] });
    await storage.claim("w-1", 1);
    const record = await storage.get(id);
    expect(Object.isFrozen(record)).toBe(true);
    expect(Object.isFrozen(record?.context)).toBe(true);
    const args = record?.args as { to: { name: string }[] };
    expect(Object.isFrozen(args.to[0])).toBe(true);
    const [attempt] = await storage.attempts(id);
    expect(Object.isFrozen(attempt)).toBe(true);
    expect(await storage.get(id)).not.toBe(record);
  });

  it("shares tasks, workers, clock and events with forQueue storages", async () => {
    const clock = new FakeClock();
    const email = new MemoryStorage<{ to: string }>({ queue: "email", clock });
    const sms = email.forQueue<{ phone: string }>("sms");
    expect(sms.queue).toBe("sms");
    expect(sms.clock).toBe(clock);
    expect(sms.events).toBe(email.events);
    const id = await sms.push({ phone: "123" });
    expect((await email.get(id))?.queue).toBe("sms");
    expect(await email.claim("w-1", 5)).toEqual([]);
    await sms.registerWorker({ id: "w-2", name: "sms", queue: "sms" });
    await sms.claim("w-2", 1);
    await email.registerWorker({ id: "w-2", name: "sms", queue: "sms" });
    await clock.advance(10_000);
    await email.heartbeat("w-2");
    expect(await sms.recoverOrphans(5_000)).toEqual([]);
  });

  it("keeps pushing when a wake listener throws", async () => {
    const storage = new MemoryStorage({ clock: new FakeClock() });
    const after = vi.fn();
    await storage.subscribe(() => {
      throw new Error("broken listener");
    });
    await storage.subscribe(after);
    await storage.push(1);
    await vi.waitFor(() => expect(after).toHaveBeenCalledTimes(1));
    expect((await storage.counts()).Pending).toBe(1);
  });

  it("reports the exact earliest run time while due tasks wait unclaimed", async () => {
    const clock = new FakeClock();
    const storage = new MemoryStorage({ clock });
    const t = clock.now();
    await storage.push("a", { runAt: t - 100, priority: 9 });
    await storage.push("b", { runAt: t - 50 });
    await storage.claim("w-1", 1);
    expect(await storage.nextRunAt()).toBe(t - 50);
    await storage.push("c", { runAt: t - 70 });
    expect(await storage.nextRunAt()).toBe(t - 70);
  });

  it("never claims early when the clock is set back", async () => {
    let now = 10_000;
    const clock: Clock = { now: () => now, sleep: async () => true };
    const storage = new MemoryStorage({ clock });
    await storage.push("early", { runAt: 9_000 });
    await storage.push("later", { runAt: 9_500, priority: 5 });
    expect((await storage.claim("w-1", 1))[0]?.args).toBe("later");
    now = 9_200;
    expect((await storage.claim("w-1", 5)).map((t) => t.args)).toEqual([
      "early",
    ]);
    now = 8_000;
    await storage.push("again", { runAt: 9_000 });
    expect(await storage.claim("w-1", 5)).toEqual([]);
  });

  it("pushes, claims and finishes 20,000 tasks in claim order", async () => {
    const clock = new FakeClock();
    const storage = new MemoryStorage<{ i: number }>({ clock });
    const tasks = Array.from({ length: 20_000 }, (_, i) => ({
      args: { i },
      options: { priority: i % 7 },
    }));
    await storage.pushMany(tasks);
    let previous = Number.POSITIVE_INFINITY;
    let finished = 0;
    for (;;) {
      const claimed = await storage.claim("w-1", 10);
      if (claimed.length === 0) break;
      for (const task of claimed) {
        expect(task.parts.context.priority).toBeLessThanOrEqual(previous);
        previous = task.parts.context.priority;
      }
      const took = await storage.finish(
        claimed.map((task) => ({
          taskId: task.parts.taskId,
          attempt: 1,
          workerId: "w-1",
          end: { kind: "done" as const },
        })),
      );
      finished += took.filter(Boolean).length;
    }
    expect(finished).toBe(20_000);
    expect(await storage.counts()).toMatchObject({ Done: 20_000, Pending: 0 });
  });
});
