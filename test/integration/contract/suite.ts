/**
 * The backend contract: one suite of tests that every storage must
 * pass, so the memory and Postgres backends behave the same. A backend
 * test file calls `backendContract` with a factory for its storage.
 */
import { describe } from "vitest";
import { type MakeStorage, useBackend } from "../../support/contract.ts";
import { claimContract } from "./claim.ts";
import { cleanupContract } from "./cleanup.ts";
import { finishContract } from "./finish.ts";
import { orphanContract } from "./orphans.ts";
import { pushContract } from "./push.ts";

export function backendContract(name: string, make: MakeStorage) {
  describe(`${name} backend contract`, () => {
    const fx = useBackend(make);
    pushContract(fx);
    claimContract(fx);
    finishContract(fx);
    orphanContract(fx);
    cleanupContract(fx);
  });
}
