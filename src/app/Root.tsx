/**
 * Starts the page: the store renders at once, the engine loads beside
 * it, and the session appears when the database is ready. If the engine
 * cannot start, the page says so and stays usable for reading code.
 */
import { useEffect, useState } from "react";
import type { EngineApi } from "../engine/protocol.ts";
import { App } from "./App.tsx";
import { AppProvider } from "./context.tsx";
import { createSession, type Session } from "./session/session.ts";
import { type AppStore, flushEveryFrame } from "./store/store.ts";

export function Root(props: {
  store: AppStore;
  initialCode: string;
  loadEngine(): Promise<EngineApi>;
}) {
  const { store, initialCode, loadEngine } = props;
  const [session, setSession] = useState<Session | null>(null);

  useEffect(() => flushEveryFrame(store), [store]);

  useEffect(() => {
    let live = true;
    let started: Session | null = null;
    let engine: EngineApi | null = null;
    loadEngine()
      .then((loaded) => {
        engine = loaded;
        if (!live) return void loaded.dispose();
        performance.mark("tasklab:engine-ready");
        started = createSession(loaded, store);
        store.getState().setEngine(loaded.state);
        setSession(started);
      })
      .catch((error: unknown) => {
        const detail = error instanceof Error ? error.message : String(error);
        store
          .getState()
          .setEngine(
            "unavailable",
            `The database could not start: ${detail}. Reload the page to try again.`,
          );
      });
    return () => {
      live = false;
      started?.dispose();
      void engine?.dispose();
    };
  }, [store, loadEngine]);

  return (
    <AppProvider store={store} session={session}>
      <App initialCode={initialCode} />
    </AppProvider>
  );
}
