/**
 * Loads the engine's chunk and starts it: the database worker opens
 * (from the snapshot when there is one) before this resolves.
 */
import type { EngineApi } from "../../engine/protocol.ts";

export async function loadEngine(): Promise<EngineApi> {
  const { Engine } = await import("../../engine/engine.ts");
  return Engine.create();
}
