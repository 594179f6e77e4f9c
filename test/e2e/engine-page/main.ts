/**
 * A bare page for the engine's own browser check: it exposes the engine
 * and the default example to the test, with no app around them.
 */
import { Engine } from "../../../src/engine/engine.ts";
import example from "../../../src/engine/examples/email.ts?raw";
import type { EngineEvent } from "../../../src/engine/protocol.ts";

const events: EngineEvent[] = [];
let clicks = 0;
document.getElementById("ping")?.addEventListener("click", () => {
  clicks++;
});
localStorage.setItem("saved-work", "secret handler code");

Object.assign(globalThis, {
  tasklabCheck: {
    example,
    events,
    clicks: () => clicks,
    async create() {
      const started = performance.now();
      const engine = await Engine.create();
      engine.subscribe((batch) => events.push(...batch));
      Object.assign(globalThis, { engine });
      return Math.round(performance.now() - started);
    },
  },
});
