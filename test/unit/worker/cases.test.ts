import { lifecycleCases } from "../../support/worker-cases/lifecycle.ts";
import { retryCases } from "../../support/worker-cases/retries.ts";
import { memorySetup } from "../../support/worker-cases/setup.ts";
import { timeoutCases } from "../../support/worker-cases/timeouts.ts";

retryCases("memory", memorySetup);
timeoutCases("memory", memorySetup);
lifecycleCases("memory", memorySetup);
