import fc from "fast-check";
import { it } from "vitest";
import { FakeClock } from "../../../src/runtime/index.ts";
import { type ChaosArgs, chaosPlan, runChaos } from "../../support/chaos.ts";
import { onEachDatabase } from "../../support/postgres.ts";

onEachDatabase((db) => {
  it("ends every task Done or Killed within its attempts, without overlaps or losses", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(chaosPlan, async (plan) => {
        const clock = new FakeClock();
        const storage = await db.storage<ChaosArgs>({
          clock,
          queue: `chaos_${run++}`,
        });
        await runChaos(plan, clock, storage);
      }),
      { numRuns: 8 },
    );
  });
});
