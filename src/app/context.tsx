/**
 * Hands the store and the session to every view. The session is null
 * while the engine loads (or when it could not load); views show their
 * controls disabled until it is there.
 */
import { createContext, type ReactNode, useContext } from "react";
import { useStore } from "zustand";
import type { Session } from "./session/session.ts";
import type { AppState, AppStore } from "./store/store.ts";

interface AppContextValue {
  readonly store: AppStore;
  readonly session: Session | null;
}

const AppContext = createContext<AppContextValue | null>(null);

export function AppProvider(props: AppContextValue & { children: ReactNode }) {
  const { store, session, children } = props;
  return (
    <AppContext.Provider value={{ store, session }}>
      {children}
    </AppContext.Provider>
  );
}

function useAppContext(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error("a view was rendered outside <AppProvider>");
  return value;
}

/** Subscribes to one slice of the store. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useAppContext().store, selector);
}

export function useAppStore(): AppStore {
  return useAppContext().store;
}

export function useSession(): Session | null {
  return useAppContext().session;
}
