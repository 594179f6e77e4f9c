/**
 * Group commit. Calls that arrive while a statement runs wait and then
 * go together in the next statement; a call that finds nothing running
 * goes on the next turn of the event loop, with whatever else came in
 * that turn. Under load, several workers' claims (or finishes) cost
 * one statement instead of one each: on PGlite most of a claim's cost
 * is per statement, not per row.
 *
 * States: below `lanes` batches running (a call starts a batch at
 * once) or all lanes busy (calls queue). When a batch ends, what queued
 * meanwhile becomes the next batch on that lane, until nothing is left.
 * One lane suits PGlite, which runs one statement at a time; a server
 * gains from a few.
 */
import { nextTurn } from "../../runtime/turn.ts";

interface Waiting<Req, Res> {
  readonly request: Req;
  readonly resolve: (result: Res) => void;
  readonly reject: (error: unknown) => void;
}

export class Coalescer<Req, Res> {
  #queue: Waiting<Req, Res>[] = [];
  #running = 0;

  constructor(
    /** Runs one batch; returns one result per request, in order. */
    private readonly runBatch: (requests: Req[]) => Promise<Res[]>,
    /** Batches that may run at once. */
    private readonly lanes = 1,
    /** The most requests one batch takes. */
    private readonly maxBatch = 64,
  ) {}

  run(request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      if (this.#running < this.lanes) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running++;
    // Calls made in the same turn (a worker's finish and its next claim,
    // or several workers woken together) join this first batch.
    await nextTurn();
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.maxBatch);
      try {
        const results = await this.runBatch(batch.map((w) => w.request));
        for (const [i, w] of batch.entries()) w.resolve(results[i] as Res);
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.#running--;
  }
}
