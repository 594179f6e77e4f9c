import { serverDb } from "../../support/postgres.ts";
import { backendContract } from "./suite.ts";

// Fails when CI=true and no server answers; skipped, saying why, locally.
const db = serverDb();

backendContract("server", async ({ clock, queue }) => ({
  storage: await db.storage({ clock, queue }),
  otherQueue: (name) => db.storage({ clock, queue: name }),
  cleanup: async () => {},
}));
