import { describe, expect, it } from "vitest";
import { freezeContext } from "../../src/runtime/context.ts";
import { ContextReadOnlyError } from "../../src/runtime/errors.ts";

describe("freezeContext", () => {
  const context = freezeContext({ priority: 3, lastError: null });

  it("reads like the original", () => {
    expect(context.priority).toBe(3);
    expect({ ...context }).toEqual({ priority: 3, lastError: null });
  });

  it("throws a clear error on a write, even from sloppy-mode code", () => {
    const sloppyWrite = new Function("c", "c.priority = 9;");
    expect(() => sloppyWrite(context)).toThrow(ContextReadOnlyError);
    expect(() => sloppyWrite(context)).toThrow(
      /context\.priority is read-only/,
    );
    expect(context.priority).toBe(3);
  });

  it("refuses deletes and new properties", () => {
    expect(() => {
      delete (context as { lastError?: unknown }).lastError;
    }).toThrow(ContextReadOnlyError);
    expect(() => Object.defineProperty(context, "x", { value: 1 })).toThrow(
      ContextReadOnlyError,
    );
  });

  it("does not change when the source object changes later", () => {
    const source = { priority: 1 };
    const frozen = freezeContext(source);
    source.priority = 2;
    expect(frozen.priority).toBe(1);
  });
});
