import { describe, expect, it } from "vitest";
import { errorText, HandlerError, toError } from "../../src/runtime/errors.ts";

describe("toError", () => {
  it("keeps real errors as they are", () => {
    const error = new TypeError("bad");
    expect(toError(error)).toBe(error);
    expect(errorText(error)).toBe("TypeError: bad");
  });

  it.each([
    ["a string", "boom", "boom"],
    ["undefined", undefined, "handler threw undefined"],
    ["null", null, "handler threw null"],
    ["a number", 42, "handler threw 42"],
    ["an object with a message", { message: "nope" }, "nope"],
    ["a plain object", { code: 7 }, 'handler threw {"code":7}'],
    ["an empty string", "", "handler threw ''"],
  ])(
    "turns %s into a readable error, keeping it as cause",
    (_, thrown, text) => {
      const error = toError(thrown);
      expect(error).toBeInstanceOf(HandlerError);
      expect(error.message).toBe(text);
      expect(error.cause).toBe(thrown);
    },
  );

  it("describes a cyclic object without throwing", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(toError(cyclic).message).toBe("handler threw [object Object]");
  });
});
