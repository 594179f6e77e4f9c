import { ContextReadOnlyError } from "./errors.ts";

/**
 * A read-only view of a task's execution context. Freezing alone would
 * fail silently outside strict mode; the proxy makes every write, in
 * any mode, a `ContextReadOnlyError` that explains the rule.
 */
export function freezeContext<Ctx extends object>(context: Ctx): Readonly<Ctx> {
  const frozen = Object.freeze({ ...context });
  return new Proxy(frozen, {
    set(_target, property) {
      throw new ContextReadOnlyError(String(property));
    },
    defineProperty(_target, property) {
      throw new ContextReadOnlyError(String(property));
    },
    deleteProperty(_target, property) {
      throw new ContextReadOnlyError(String(property));
    },
  });
}
