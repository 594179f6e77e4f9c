import { describe } from "vitest";
import { onEachDatabase } from "../../support/postgres.ts";
import { claimCases } from "./claim-cases.ts";
import { errorCases } from "./error-cases.ts";
import { finishCases } from "./finish-cases.ts";
import { orphanCases } from "./orphan-cases.ts";
import { pushCases } from "./push-cases.ts";

describe("PostgresStorage", () =>
  onEachDatabase((db) => {
    describe("claim", () => claimCases(db));
    describe("finish and release", () => finishCases(db));
    describe("orphans", () => orphanCases(db));
    describe("push", () => pushCases(db));
    describe("errors", () => errorCases(db));
  }));
