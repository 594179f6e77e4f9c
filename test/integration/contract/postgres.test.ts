import { onEachDatabase } from "../../support/postgres.ts";
import { backendContract } from "./suite.ts";

onEachDatabase((db) =>
  backendContract(db.name, async ({ clock, queue }) => ({
    storage: await db.storage({ clock, queue }),
    otherQueue: (name) => db.storage({ clock, queue: name }),
    cleanup: async () => {},
  })),
);
