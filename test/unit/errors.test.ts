import { describe, expect, it } from "vitest";
import {
  capErrorText,
  errorText,
  MAX_ERROR_CAUSES,
  MAX_ERROR_CHARS,
  toError,
} from "../../src/runtime/error-text.ts";
import { HandlerError, TimeoutError } from "../../src/runtime/errors.ts";
import { MAX_RENDER_DEPTH } from "../../src/runtime/render-value.ts";

describe("toError", () => {
  it("keeps real errors as they are", () => {
    const error = new TypeError("bad");
    expect(toError(error)).toBe(error);
  });

  it.each([
    ["a string", "boom", "boom"],
    ["undefined", undefined, "handler threw undefined"],
    ["null", null, "handler threw null"],
    ["a number", 42, "handler threw 42"],
    ["a bigint", 42n, "handler threw 42n"],
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

  it("draws a cyclic object with its cycles marked, not as [object Object]", () => {
    const cyclic: Record<string, unknown> = { code: 7, list: [1] };
    cyclic.self = cyclic;
    (cyclic.list as unknown[]).push(cyclic);
    expect(toError(cyclic).message).toBe(
      'handler threw {"code":7,"list":[1,[Circular]],"self":[Circular]}',
    );
  });

  it("names the class of a thrown instance and draws what it holds", () => {
    class Refusal {
      status = 503;
      at = new Date(0);
    }
    expect(toError(new Refusal()).message).toBe(
      'handler threw Refusal {"status":503,"at":"1970-01-01T00:00:00.000Z"}',
    );
  });

  it("draws a deeply nested object only MAX_RENDER_DEPTH levels deep", () => {
    let nested: object = {};
    for (let i = 0; i < 5_000; i++) nested = { a: nested };
    const levels = '{"a":'.repeat(MAX_RENDER_DEPTH);
    expect(toError(nested).message).toBe(
      `handler threw ${levels}{…}${"}".repeat(MAX_RENDER_DEPTH)}`,
    );
  });

  it("stops drawing a huge object near MAX_ERROR_CHARS", () => {
    const list = Array.from({ length: 1_000_000 }, (_, i) => i);
    const message = toError({ list }).message;
    expect(message.length).toBeLessThan(MAX_ERROR_CHARS + 100);
    expect(message).toMatch(/,… \d+ more\]\}$/);
  });

  it("never throws while drawing a hostile object", () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("no keys");
        },
      },
    );
    const getter = {
      get broken() {
        throw new Error("no value");
      },
    };
    const selfish = { toJSON: () => selfish };
    expect(toError(hostile).message).toBe("handler threw [unreadable]");
    expect(toError(getter).message).toBe(
      'handler threw {"broken":[unreadable]}',
    );
    expect(toError(selfish).message).toBe(
      'handler threw {"toJSON":[Function toJSON]}',
    );
  });
});

describe("errorText", () => {
  it("writes every Error as name: message, plain Error included", () => {
    expect(errorText(new Error("boom"))).toBe("Error: boom");
    expect(errorText(new TypeError("bad"))).toBe("TypeError: bad");
    expect(errorText(new TimeoutError(50))).toBe(
      "TimeoutError: attempt timed out after 50 ms",
    );
    expect(errorText(new Error(""))).toBe("Error");
  });

  it("writes a thrown non-Error as toError describes it, with no class name", () => {
    expect(errorText(toError("boom"))).toBe("boom");
    expect(errorText(toError({ code: 7 }))).toBe('handler threw {"code":7}');
  });

  it("names each cause on a line of its own", () => {
    const root = new TypeError("socket closed");
    const error = new Error("send failed", { cause: root });
    expect(errorText(error)).toBe(
      "Error: send failed\ncaused by: TypeError: socket closed",
    );
    const fetch = new Error("fetch failed", { cause: { code: "ECONNRESET" } });
    expect(errorText(fetch)).toBe(
      'Error: fetch failed\ncaused by: {"code":"ECONNRESET"}',
    );
  });

  it("names MAX_ERROR_CAUSES causes of a 5000-long chain, then counts the rest", () => {
    let error = new Error("level 0");
    for (let i = 1; i <= 5_000; i++) {
      error = new Error(`level ${i}`, { cause: error });
    }
    const lines = errorText(error).split("\n");
    expect(lines).toHaveLength(MAX_ERROR_CAUSES + 2);
    expect(lines[0]).toBe("Error: level 5000");
    expect(lines[MAX_ERROR_CAUSES]).toBe(
      `caused by: Error: level ${5_000 - MAX_ERROR_CAUSES}`,
    );
    expect(lines.at(-1)).toBe(
      `… ${(5_000 - MAX_ERROR_CAUSES).toLocaleString("en-US")} more causes`,
    );
  });

  it("stops counting a cause chain that never ends", () => {
    const endless = (n: number): Error => {
      const error = new Error(`level ${n}`);
      Object.defineProperty(error, "cause", { get: () => endless(n + 1) });
      return error;
    };
    expect(errorText(endless(0)).split("\n").at(-1)).toBe(
      "… over 10,000 more causes",
    );
  });

  it("marks a cause chain that loops back, and stops", () => {
    const a = new Error("a");
    const b = new TypeError("b", { cause: a });
    a.cause = b;
    expect(errorText(a)).toBe(
      "Error: a\ncaused by: TypeError: b\ncaused by: [Circular]",
    );
  });
});

describe("capErrorText", () => {
  it("keeps text up to MAX_ERROR_CHARS as it is", () => {
    const text = "x".repeat(MAX_ERROR_CHARS);
    expect(capErrorText(text)).toBe(text);
  });

  it("cuts longer text to MAX_ERROR_CHARS, saying how much was cut", () => {
    const capped = capErrorText(`head ${"x".repeat(5_000_000)}`);
    expect(capped).toHaveLength(MAX_ERROR_CHARS);
    expect(capped.startsWith("head xxx")).toBe(true);
    const note = capped.match(/… \[truncated ([\d,]+) characters\]$/);
    const cut = Number(note?.[1]?.replaceAll(",", ""));
    expect(MAX_ERROR_CHARS - (note?.[0].length ?? 0) + cut).toBe(5_000_005);
  });

  it("never splits a surrogate pair at the cut", () => {
    const text = `a${"😀".repeat(MAX_ERROR_CHARS)}`;
    const capped = capErrorText(text);
    const kept = capped.slice(0, capped.indexOf("… [truncated"));
    expect(kept).toMatch(/^a(😀)+$/u);
    expect(capped.length).toBeLessThanOrEqual(MAX_ERROR_CHARS);
  });
});
