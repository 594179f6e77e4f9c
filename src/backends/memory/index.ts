export {
  type MemoryContext,
  MemoryStorage,
  type MemoryStorageOptions,
} from "./storage.ts";
