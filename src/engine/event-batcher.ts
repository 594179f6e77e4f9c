import type { EngineEvent, EngineListener } from "./api.ts";

/**
 * Collects events and hands them to listeners in one batch per
 * animation frame (every 100 ms while the page is hidden, when frames
 * stop), so a flood of task changes costs one render, not thousands.
 * A listener that throws does not stop the others.
 */
export class EventBatcher {
  readonly #listeners = new Set<EngineListener>();
  #buffer: EngineEvent[] = [];
  #scheduled = false;

  subscribe(listener: EngineListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(events: readonly EngineEvent[]): void {
    if (events.length === 0) return;
    // One by one: spreading 100,000 events into push() would overflow
    // the call stack, and a push of that many tasks is allowed.
    for (const event of events) this.#buffer.push(event);
    if (this.#scheduled) return;
    this.#scheduled = true;
    const visible =
      typeof document !== "undefined" && document.visibilityState === "visible";
    if (visible) requestAnimationFrame(() => this.#flush());
    else setTimeout(() => this.#flush(), 100);
  }

  clear(): void {
    this.#listeners.clear();
    this.#buffer = [];
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#buffer;
    this.#buffer = [];
    for (const listener of this.#listeners) {
      try {
        listener(batch);
      } catch (error) {
        console.error("[tasklab engine] an event listener threw", error);
      }
    }
  }
}
