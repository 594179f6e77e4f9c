import type { Worker } from "./worker.ts";

/**
 * Runs several workers together: starts them all, and stops them all
 * with one deadline. If one fails to start, those already started are
 * stopped again, so nothing is left half running.
 */
export class Monitor {
  #workers: Worker[] = [];

  /** Adds workers; they start with the others. */
  register(...workers: Worker[]): this {
    this.#workers.push(...workers);
    return this;
  }

  get workers(): readonly Worker[] {
    return this.#workers;
  }

  async start(): Promise<void> {
    const started = await Promise.allSettled(
      this.#workers.map((w) => w.start()),
    );
    const failed = started.find((r) => r.status === "rejected");
    if (failed) {
      await this.stop({ deadlineMs: 0 });
      throw failed.reason;
    }
  }

  /** Stops every worker; each waits up to `deadlineMs` for its attempts. */
  async stop(options: { deadlineMs?: number } = {}): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.stop(options)));
  }

  /** Starts every worker, then resolves when all have ended. */
  async run(): Promise<void> {
    await this.start();
    await Promise.all(this.#workers.map((w) => w.ended));
  }
}
