import { onEachDatabase } from "../../support/postgres.ts";
import { backendContract } from "./suite.ts";

onEachDatabase((db) =>
  backendContract(db.name, async ({ clock, livenessClock, queue }) => ({
    storage: await db.storage({ clock, livenessClock, queue }),
    otherQueue: (name) => db.storage({ clock, queue: name }),
    cleanup: async () => {},
  })),
);
