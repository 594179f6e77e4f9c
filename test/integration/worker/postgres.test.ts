import { FakeClock } from "../../../src/runtime/index.ts";
import { onEachDatabase } from "../../support/postgres.ts";
import { lifecycleCases } from "../../support/worker-cases/lifecycle.ts";
import { retryCases } from "../../support/worker-cases/retries.ts";
import {
  recording,
  type WorkerSetup,
} from "../../support/worker-cases/setup.ts";
import { timeoutCases } from "../../support/worker-cases/timeouts.ts";

onEachDatabase((db) => {
  const setup: WorkerSetup = async <Args>() => {
    const clock = new FakeClock();
    return recording(clock, await db.storage<Args>({ clock, queue: "test" }));
  };
  retryCases(db.name, setup);
  timeoutCases(db.name, setup);
  lifecycleCases(db.name, setup);
});
