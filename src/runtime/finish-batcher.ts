import type { Backend, Clock, Finish, StoredContext } from "./contract.ts";
import { nextTurn } from "./turn.ts";

interface Pending {
  readonly finish: Finish;
  readonly resolve: (tookEffect: boolean) => void;
}

/** Finishes per backend call, so a slow database is not asked too much. */
const MAX_BATCH = 500;

/**
 * Collects the ends of attempts that finish close together and writes
 * them in one backend call. A failed write is tried again after
 * `retryMs` until `shouldGiveUp()`; then its attempts count as not
 * taken, and their locks are left to orphan recovery.
 */
export class FinishBatcher {
  #queue: Pending[] = [];
  #flushing: Promise<void> | null = null;

  constructor(
    private readonly backend: Backend<unknown, StoredContext>,
    private readonly clock: Clock,
    private readonly retryMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly shouldGiveUp: (failures: number) => boolean,
  ) {}

  /** Resolves whether the finish took effect (false: lock lost). */
  add(finish: Finish): Promise<boolean> {
    return new Promise((resolve) => {
      this.#queue.push({ finish, resolve });
      this.#flushing ??= this.#flush();
    });
  }

  /** Resolves when everything added so far has been written. */
  async drain(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  async #flush(): Promise<void> {
    await nextTurn();
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      const results = await this.#write(batch.map((p) => p.finish));
      for (const [i, p] of batch.entries()) p.resolve(results?.[i] ?? false);
    }
    this.#flushing = null;
  }

  async #write(finishes: Finish[]): Promise<boolean[] | null> {
    for (let failures = 1; ; failures++) {
      try {
        return await this.backend.finish(finishes);
      } catch (error) {
        this.onError(error);
        if (this.shouldGiveUp(failures)) return null;
        await this.clock.sleep(this.retryMs);
      }
    }
  }
}
