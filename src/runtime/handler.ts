/**
 * Handlers and the shared state they need.
 *
 * A handler receives three things, and the split is the point:
 *   (args, task, state)
 * - `args`: the task's own payload.
 * - `task`: the task's parts, per run and read-only: `taskId`,
 *   `attempt`, `context` (backend metadata), an abort `signal`, a
 *   scoped `log`.
 * - `state`: shared resources registered once on the worker, the same
 *   objects for every task. A handler names what it needs with state
 *   keys, so a worker that lacks a piece fails when it is built.
 */
import type { Logger, StoredContext, TaskId } from "./contract.ts";

/** Names one piece of shared state and carries its type. */
export interface StateKey<T> {
  /** Shown in errors: `.data(<name>, value)`. */
  readonly name: string;
  /** Identity: two keys with the same name are still two keys. */
  readonly id: symbol;
  /** Type-only; never set. */
  readonly __type?: (value: T) => T;
}

/** Creates a key for one piece of shared state. */
export function stateKey<T>(name: string): StateKey<T> {
  if (typeof name !== "string" || name.trim() === "") {
    throw new TypeError("stateKey(name) needs a non-empty name");
  }
  return Object.freeze({ name, id: Symbol(name) });
}

/** The state a handler asks for: a local name for each key. */
// biome-ignore lint/suspicious/noExplicitAny: a key of any state type
export type Needs = { readonly [local: string]: StateKey<any> };
/** No shared state. */
export type NoNeeds = Record<never, never>;

/** The state object a handler receives for its `Needs`. */
export type StateOf<N extends Needs> = {
  readonly [K in keyof N]: N[K] extends StateKey<infer T> ? T : never;
};

/** What one run of a handler knows about its task. Read-only. */
export interface TaskInput<Ctx = StoredContext> {
  readonly taskId: TaskId;
  /** 1 during the first run. */
  readonly attempt: number;
  /** Backend metadata; frozen, a write throws `ContextReadOnlyError`. */
  readonly context: Readonly<Ctx>;
  /** Aborts when a timeout fires or the worker stops past its deadline. */
  readonly signal: AbortSignal;
  /** Scoped to this worker and task. */
  readonly log: Logger;
}

/** The function a handler runs. Its result is ignored; a throw fails. */
export type HandlerFn<Args, Ctx, N extends Needs> = (
  args: Args,
  task: TaskInput<Ctx>,
  state: StateOf<N>,
) => unknown;

/** A handler with the state it declared. */
export interface Handler<Args, Ctx = StoredContext, N extends Needs = NoNeeds> {
  readonly needs: N;
  readonly run: HandlerFn<Args, Ctx, N>;
}

/**
 * Declares a handler and the state it needs:
 *
 *   const send = handler(
 *     { needs: { mailer: Mailer } },
 *     async (email: Email, { attempt }, { mailer }) => { ... },
 *   );
 */
export function handler<Args, Ctx = StoredContext, N extends Needs = NoNeeds>(
  spec: { needs?: N },
  run: HandlerFn<Args, Ctx, N>,
): Handler<Args, Ctx, N> {
  const needs = (spec.needs ?? {}) as N;
  for (const [local, key] of Object.entries(needs)) {
    if (!key || typeof key.id !== "symbol") {
      throw new TypeError(
        `handler needs.${local} is not a state key; create one with stateKey<T>("${local}")`,
      );
    }
  }
  return Object.freeze({ needs, run });
}
