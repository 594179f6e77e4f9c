/** Renders a view with a store and a session on a fake engine. */
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { AppProvider } from "../../src/app/context.tsx";
import { createSession } from "../../src/app/session/session.ts";
import { createAppStore } from "../../src/app/store/store.ts";
import type { EngineEvent } from "../../src/engine/protocol.ts";
import { FakeEngine } from "./fakeEngine.ts";

/**
 * jsdom lays nothing out: give the table's scroll box a size, so the
 * virtualised list renders the rows a real page would show.
 */
for (const [name, size] of [
  ["clientHeight", 300],
  ["clientWidth", 800],
] as const) {
  Object.defineProperty(HTMLElement.prototype, name, {
    configurable: true,
    get: () => size,
  });
}

export function renderView(view: ReactNode, batch: EngineEvent[] = []) {
  const engine = new FakeEngine();
  const store = createAppStore();
  const session = createSession(engine, store);
  store.getState().ingest(batch);
  // Big batches are folded in over several frames.
  for (let frame = 0; frame < 20; frame++) store.getState().flush(frame * 16);
  const result = render(
    <AppProvider store={store} session={session}>
      {view}
    </AppProvider>,
  );
  return { ...result, engine, store, session };
}
