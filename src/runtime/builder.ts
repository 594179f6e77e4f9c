import { DEFAULT_BACKOFF } from "./backoff.ts";
import type { Backend, StoredContext } from "./contract.ts";
import { InvalidOptionError, MissingStateError } from "./errors.ts";
import type {
  Handler,
  HandlerFn,
  Needs,
  NoNeeds,
  StateKey,
} from "./handler.ts";
import type { Layer, Service } from "./layers/layer.ts";
import { Worker } from "./worker.ts";
import { type WorkerOptions, workerOptions } from "./worker-options.ts";

/** A compile-time error naming the state keys a worker lacks. */
type StateCheck<N extends Needs, Provided> = [N[keyof N]] extends [Provided]
  ? unknown
  : {
      "missing shared state: add it with .data(key, value)": Exclude<
        N[keyof N],
        Provided
      >;
    };

/**
 * Builds a worker step by step:
 *
 *   new WorkerBuilder("email")
 *     .backend(storage)
 *     .data(AppState, appState)
 *     .layer(retry())
 *     .concurrency(4)
 *     .build(sendEmail);
 *
 * Each step returns a new builder, so a partly built one can be reused.
 * `Provided` tracks the registered state keys, so a handler that needs a
 * key the worker lacks does not compile; `build` checks it again at run
 * time, naming the missing piece.
 */
export class WorkerBuilder<
  Args = never,
  Ctx extends StoredContext = StoredContext,
  Provided = never,
> {
  #f: Fields;

  constructor(name: string) {
    if (typeof name !== "string" || !/^[\w.:-]{1,100}$/.test(name)) {
      throw new InvalidOptionError(
        `worker name must be 1-100 letters, digits or . _ : -, got ${JSON.stringify(name)}`,
      );
    }
    this.#f = {
      name,
      backend: null,
      state: new Map(),
      layers: [],
      options: {},
    };
  }

  // biome-ignore lint/suspicious/noExplicitAny: the type changes by step
  #with(change: Partial<Fields>): any {
    const next = new WorkerBuilder(this.#f.name);
    next.#f = { ...this.#f, ...change };
    return next;
  }

  /** Where tasks come from. Its clock and events serve the worker too. */
  backend<A, C extends StoredContext>(
    backend: Backend<A, C>,
  ): WorkerBuilder<A, C, Provided> {
    return this.#with({ backend });
  }

  /** Registers one piece of shared state, passed to handlers by reference. */
  data<T>(
    key: StateKey<T>,
    value: T,
  ): WorkerBuilder<Args, Ctx, Provided | StateKey<T>> {
    if (!key || typeof key.id !== "symbol") {
      throw new InvalidOptionError(
        "data(key, value) needs a key made by stateKey<T>(name)",
      );
    }
    const state = new Map(this.#f.state);
    state.set(key.id, { key: key as StateKey<unknown>, value });
    return this.#with({ state });
  }

  /** Adds middleware; the first layer added is the outermost. */
  layer(layer: Layer): WorkerBuilder<Args, Ctx, Provided> {
    if (!layer || typeof layer.wrap !== "function") {
      throw new InvalidOptionError(
        "layer(l) needs a layer such as retry() or timeout(ms)",
      );
    }
    return this.#with({ layers: [...this.#f.layers, layer] });
  }

  /** Attempts run at once (and the most one claim takes). */
  concurrency(n: number): WorkerBuilder<Args, Ctx, Provided> {
    return this.options({ concurrency: n });
  }

  /** Polling, heartbeat, lock timeout, stop deadline, logger. */
  options(options: Partial<WorkerOptions>): WorkerBuilder<Args, Ctx, Provided> {
    const merged = { ...this.#f.options, ...options };
    workerOptions(merged);
    return this.#with({ options: merged });
  }

  /**
   * The worker for `handler`. Throws `MissingStateError` when the
   * handler needs state this builder was not given.
   */
  build<N extends Needs = NoNeeds>(
    handler:
      | (Handler<Args, Ctx, N> & StateCheck<N, Provided>)
      | HandlerFn<Args, Ctx, NoNeeds>,
  ): Worker {
    const backend = this.#f.backend as Backend<Args, Ctx> | null;
    if (!backend) {
      throw new InvalidOptionError(
        `worker "${this.#f.name}" has no backend: add one with .backend(storage) before .build(handler)`,
      );
    }
    const h = (
      typeof handler === "function" ? { needs: {}, run: handler } : handler
    ) as Handler<Args, Ctx, Needs>;
    const state = this.#resolveState(h.needs);
    const options = workerOptions(this.#f.options);
    const env = {
      worker: { id: "", name: this.#f.name, queue: backend.queue },
      clock: backend.clock,
      events: backend.events,
      logger: options.logger,
    };
    const inner: Service = async (call) =>
      h.run(call.args as Args, call.task as never, call.state as never);
    const service = this.#f.layers.reduceRight<Service>(
      (next, layer) => layer.wrap(next, env),
      inner,
    );
    const worker = new Worker(
      this.#f.name,
      backend as Backend<unknown, StoredContext>,
      service,
      state,
      options,
      DEFAULT_BACKOFF,
    );
    env.worker = worker.info;
    return worker;
  }

  #resolveState(needs: Needs): object {
    const state: Record<string, unknown> = {};
    for (const [local, key] of Object.entries(needs)) {
      const entry = this.#f.state.get(key.id);
      if (!entry) {
        throw new MissingStateError(
          `worker "${this.#f.name}" cannot run its handler: the handler needs shared state "${key.name}" (as \`${local}\`), but the worker has none. Add it with .data(${key.name}, value) before .build(handler).`,
        );
      }
      state[local] = entry.value;
    }
    return Object.freeze(state);
  }
}

interface Fields {
  name: string;
  backend: unknown;
  state: ReadonlyMap<symbol, { key: StateKey<unknown>; value: unknown }>;
  layers: readonly Layer[];
  options: Partial<WorkerOptions>;
}
