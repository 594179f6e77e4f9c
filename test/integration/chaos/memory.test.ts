import fc from "fast-check";
import { describe, it } from "vitest";
import { MemoryStorage } from "../../../src/backends/memory/index.ts";
import { FakeClock } from "../../../src/runtime/index.ts";
import { type ChaosArgs, chaosPlan, runChaos } from "../../support/chaos.ts";

describe("chaos on memory", () => {
  it("ends every task Done or Killed within its attempts, without overlaps or losses", async () => {
    await fc.assert(
      fc.asyncProperty(chaosPlan, async (plan) => {
        const clock = new FakeClock();
        const storage = new MemoryStorage<ChaosArgs>({ queue: "chaos", clock });
        await runChaos(plan, clock, storage);
      }),
      { numRuns: 40 },
    );
  });
});
