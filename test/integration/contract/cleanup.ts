import { describe, expect, it } from "vitest";
import type { Fixture } from "../../support/contract.ts";

/** Deleting finished tasks keeps a long-running table bounded. */
export function cleanupContract(fx: () => Fixture) {
  describe("deleteFinished", () => {
    it("deletes Done and Killed tasks that ended before the cut-off, with their history, and nothing else", async () => {
      const { storage, clock } = fx();
      const [done, killed, failed, pending, late] = await storage.pushMany([
        { args: "done" },
        { args: "killed", options: { maxAttempts: 1 } },
        { args: "failed", options: { maxAttempts: 2 } },
        { args: "pending", options: { delayMs: 60_000 } },
        { args: "late" },
      ]);
      const worker = await fx().worker();
      const claimed = await storage.claim(worker, 4);
      const end = (taskId: string) => ({
        taskId,
        attempt: 1,
        workerId: worker,
      });
      await storage.finish([
        { ...end(done as string), end: { kind: "done" } },
        { ...end(killed as string), end: { kind: "kill", error: "no" } },
        {
          ...end(failed as string),
          end: { kind: "retry", error: "again", runAt: clock.now() + 1_000 },
        },
      ]);
      expect(claimed.map((t) => t.parts.taskId)).toContain(late);
      const cutoff = clock.now() + 1;
      await clock.advance(10);
      await storage.finish([{ ...end(late as string), end: { kind: "done" } }]);

      expect(await storage.deleteFinished({ before: cutoff })).toBe(2);
      expect(await storage.get(done as string)).toBeNull();
      expect(await storage.get(killed as string)).toBeNull();
      expect(await storage.attempts(done as string)).toEqual([]);
      for (const kept of [failed, pending, late]) {
        expect(await storage.get(kept as string)).not.toBeNull();
      }
      expect(await storage.counts()).toMatchObject({
        Done: 1,
        Killed: 0,
        Failed: 1,
        Pending: 1,
      });
      expect(await storage.deleteFinished({ before: cutoff })).toBe(0);
    });
  });
}
