import { describe, expect, it } from "vitest";
import { FakeClock } from "../../../src/runtime/index.ts";
import { onEachDatabase } from "../../support/postgres.ts";

onEachDatabase((db) => {
  describe("claims of several workers at once", () => {
    it("gives each worker at most its limit, every task to one worker only", async () => {
      const clock = new FakeClock();
      const storage = await db.storage<{ n: number }>({ clock, queue: "q" });
      await storage.pushMany(
        Array.from({ length: 10 }, (_, n) => ({ args: { n } })),
      );
      const workers = ["a", "b", "c", "d"];
      for (const id of workers) {
        await storage.registerWorker({ id, name: id, queue: "q" });
      }
      const claimed = await Promise.all(
        workers.map((id) => storage.claim(id, 3)),
      );
      const ids = claimed.flat().map((t) => t.parts.taskId);
      expect(new Set(ids).size).toBe(10);
      for (const [i, tasks] of claimed.entries()) {
        expect(tasks.length).toBeLessThanOrEqual(3);
        for (const task of tasks) {
          expect(task.parts.context.lockBy).toBe(workers[i]);
          const row = await storage.get(task.parts.taskId);
          expect(row?.context.lockBy).toBe(workers[i]);
        }
      }
    });
  });
});
