import { pgliteDb } from "../../support/postgres.ts";
import { backendContract } from "./suite.ts";

const db = pgliteDb();

backendContract("pglite", async ({ clock, queue }) => ({
  storage: await db.storage({ clock, queue }),
  otherQueue: (name) => db.storage({ clock, queue: name }),
  cleanup: async () => {},
}));
