import type { WireError } from "./protocol.ts";

/**
 * Turns anything thrown into a `WireError` that survives
 * `postMessage`, keeping PostgreSQL's SQLSTATE, constraint and detail so
 * the other side can still branch on the code.
 */
export function toWireError(thrown: unknown): WireError {
  if (!(thrown instanceof Error)) {
    return { name: "Error", message: describe(thrown) };
  }
  const fields = thrown as Error & {
    code?: unknown;
    constraint?: unknown;
    detail?: unknown;
  };
  return {
    name: thrown.name,
    message: thrown.message,
    ...(typeof fields.code === "string" ? { code: fields.code } : {}),
    ...(typeof fields.constraint === "string"
      ? { constraint: fields.constraint }
      : {}),
    ...(typeof fields.detail === "string" ? { detail: fields.detail } : {}),
  };
}

/** An error received over a port, rebuilt with the same fields. */
export class RemoteError extends Error {
  readonly code: string | undefined;
  readonly constraint: string | undefined;
  readonly detail: string | undefined;

  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    this.code = wire.code;
    this.constraint = wire.constraint;
    this.detail = wire.detail;
  }
}

function describe(thrown: unknown): string {
  if (typeof thrown === "string") return thrown;
  try {
    return JSON.stringify(thrown) ?? String(thrown);
  } catch {
    return String(thrown);
  }
}
