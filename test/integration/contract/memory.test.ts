import { MemoryStorage } from "../../../src/backends/memory/index.ts";
import { backendContract } from "./suite.ts";

backendContract("memory", async ({ clock, livenessClock, queue }) => {
  const storage = new MemoryStorage({ queue, clock, livenessClock });
  return {
    storage,
    otherQueue: (name) => storage.forQueue(name),
    cleanup: async () => {},
  };
});
