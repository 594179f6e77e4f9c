import type {
  EventHub,
  EventMap,
  EventType,
  RuntimeEvent,
} from "./contract.ts";

type Listener = (event: RuntimeEvent) => void;

/**
 * A typed event hub. Listeners run synchronously in emit order; one
 * that throws is reported to `onListenerError` and the others still run,
 * so a broken dashboard can never stop a worker.
 */
export function createEventHub(options?: {
  now?: () => number;
  onListenerError?: (error: unknown, event: RuntimeEvent) => void;
}): EventHub {
  const now = options?.now ?? Date.now;
  const onListenerError = options?.onListenerError ?? (() => {});
  const listeners = new Set<Listener>();

  const add = (listener: Listener) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };

  return {
    on(type, listener) {
      return add((event) => {
        if (event.type === type) (listener as Listener)(event);
      });
    },
    onAny: add,
    emit<K extends EventType>(type: K, fields: EventMap[K]) {
      if (listeners.size === 0) return;
      const event = { type, at: now(), ...fields } as RuntimeEvent;
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          onListenerError(error, event);
        }
      }
    },
  };
}
