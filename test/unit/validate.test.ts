import { describe, expect, it } from "vitest";
import { MAX_ERROR_CHARS } from "../../src/runtime/error-text.ts";
import { InvalidTaskError } from "../../src/runtime/errors.ts";
import {
  clampRunAt,
  cleanError,
  cleanText,
  MAX_ARGS_CHARS,
  MAX_ARGS_DEPTH,
  MAX_DELAY_MS,
  normalizePush,
  normalizePushes,
} from "../../src/runtime/validate.ts";

const NOW = Date.UTC(2030, 0, 1);
const DAY = 86_400_000;

function refusal(args: unknown, options?: unknown): InvalidTaskError {
  try {
    // biome-ignore lint/suspicious/noExplicitAny: bad options on purpose
    normalizePush(args, options as any, NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTaskError);
    expect((error as InvalidTaskError).code).toBe("INVALID_TASK");
    return error as InvalidTaskError;
  }
  throw new Error("normalizePush accepted the task");
}

describe("normalizePush defaults and copies", () => {
  it("fills in priority 0, 25 attempts and a run time of now", () => {
    expect(normalizePush({ to: "a@b.c" }, undefined, NOW)).toEqual({
      args: { to: "a@b.c" },
      runAt: NOW,
      priority: 0,
      maxAttempts: 25,
    });
  });

  it("returns a copy that later changes to the caller's object miss", () => {
    const args = { to: ["a@b.c"], meta: { n: 1 } };
    const pushed = normalizePush(args, {}, NOW);
    args.to.push("x@y.z");
    args.meta.n = 2;
    expect(pushed.args).toEqual({ to: ["a@b.c"], meta: { n: 1 } });
  });

  it("accepts every JSON kind, null-prototype objects and a shared object", () => {
    const shared = { k: true };
    const bare = Object.assign(Object.create(null), { x: 1 });
    const args = {
      s: "é😀",
      n: -1.5,
      b: false,
      z: null,
      a: [shared, shared],
      bare,
    };
    expect(normalizePush(args, undefined, NOW).args).toEqual(args);
  });

  it("keeps a __proto__ key as data instead of a prototype", () => {
    const pushed = normalizePush(JSON.parse('{"__proto__":{"x":1}}'), {}, NOW);
    expect(Object.getPrototypeOf(pushed.args)).toBe(Object.prototype);
    expect(Object.keys(pushed.args as object)).toEqual(["__proto__"]);
  });

  it("stores negative zero as 0, as JSON does", () => {
    expect(Object.is(normalizePush(-0, {}, NOW).args, 0)).toBe(true);
  });

  it("ignores options given as undefined", () => {
    const options = { priority: undefined, runAt: undefined, delayMs: 5 };
    expect(normalizePush(1, options, NOW).runAt).toBe(NOW + 5);
  });

  it("rounds a fractional time up, so nothing runs early", () => {
    expect(normalizePush(1, { delayMs: 0.2 }, NOW).runAt).toBe(NOW + 1);
    expect(normalizePush(1, { runAt: NOW + 1.5 }, NOW).runAt).toBe(NOW + 2);
  });
});

describe("normalizePush refuses args that are not JSON, naming the field", () => {
  it("a Date deep in the args, with the fix (toISOString)", () => {
    const error = refusal({ to: [1, 2, { when: new Date() }] });
    expect(error.field).toBe("args.to[2].when");
    expect(error.message).toBe(
      "args.to[2].when is a Date; task args must be JSON (strings, finite numbers, booleans, null, arrays and plain objects); pass when.toISOString()",
    );
  });

  it.each([
    ["undefined in an object", { a: undefined }, "args.a", "is undefined"],
    ["undefined in an array", [1, undefined], "args[1]", "is undefined"],
    ["a hole in an array", new Array(2), "args[0]", "empty slot"],
    ["undefined args", undefined, "args", "is undefined"],
    ["a function", { f: () => 1 }, "args.f", "is a function"],
    ["a symbol", { s: Symbol("s") }, "args.s", "is a symbol"],
    ["a bigint", { n: 10n }, "args.n", "n.toString()"],
    ["NaN", { n: Number.NaN }, "args.n", "is NaN"],
    ["Infinity", [Number.POSITIVE_INFINITY], "args[0]", "is Infinity"],
    ["-Infinity", { n: -Infinity }, "args.n", "is -Infinity"],
    ["a Map", { m: new Map() }, "args.m", "Object.fromEntries(m)"],
    ["a Set", { "the set": new Set() }, 'args["the set"]', "is a Set"],
    ["binary data", { b: new Uint8Array(2) }, "args.b", "Uint8Array"],
    ["a class instance", { u: new URL("http://x") }, "args.u", "of URL"],
    ["a boxed string", { s: new String("x") }, "args.s", "of String"],
    ["an Error", { e: new Error("x") }, "args.e", "e.message"],
    ["a symbol key", { [Symbol("k")]: 1 }, "args", "symbol key"],
  ])("%s", (_name, args, field, words) => {
    const error = refusal(args);
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field} `)).toBe(true);
    expect(error.message).toContain(words);
  });

  it("a cycle, naming where it points back to", () => {
    const node: Record<string, unknown> = { child: {} };
    (node.child as Record<string, unknown>).parent = node;
    const error = refusal({ tree: node });
    expect(error.field).toBe("args.tree.child.parent");
    expect(error.message).toContain("refers back to args.tree (a cycle)");
  });

  it(`nesting deeper than ${MAX_ARGS_DEPTH} levels`, () => {
    let deep: unknown = 1;
    for (let i = 0; i < MAX_ARGS_DEPTH + 1; i++) deep = { d: deep };
    const error = refusal(deep);
    expect(error.message).toContain(`deeper than ${MAX_ARGS_DEPTH}`);
    // A long path shows its ends and how much lies between.
    expect(error.field).toBe(
      `args.d.d.d.d…(${MAX_ARGS_DEPTH - 8} levels)….d.d.d.d`,
    );
    expect(refusal({ a: { b: [undefined] } }).field).toBe("args.a.b[0]");
    let fine: unknown = 1;
    for (let i = 0; i < MAX_ARGS_DEPTH; i++) fine = [fine];
    expect(() => normalizePush(fine, {}, NOW)).not.toThrow();
  });

  it("args over the size limit, advising a reference instead", () => {
    const error = refusal({ blob: "x".repeat(MAX_ARGS_CHARS) });
    expect(error.field).toBe("args");
    expect(error.message).toContain("pass its reference in args");
    const big = { blob: "x".repeat(200 * 1024) };
    expect(normalizePush(big, {}, NOW).args).toEqual(big);
  });
});

describe("normalizePush refuses text PostgreSQL cannot store (F13)", () => {
  it("a NUL character between two letters, with field and index", () => {
    const error = refusal({ to: ["ok", "a\u0000b"] });
    expect(error.field).toBe("args.to[1]");
    expect(error.message).toContain("NUL character (U+0000) at index 1");
    expect(error.message).toContain("PostgreSQL");
  });

  it("a lone high surrogate and a lone low surrogate", () => {
    const high = refusal({ name: "ab\uD800c" });
    expect(high.field).toBe("args.name");
    expect(high.message).toContain("lone surrogate (U+D800) at index 2");
    const low = refusal({ name: "\uDC00" });
    expect(low.message).toContain("lone surrogate (U+DC00) at index 0");
    const last = refusal(["x\uD83D"]);
    expect(last.message).toContain("(U+D83D) at index 1");
  });

  it("a key holding a NUL or a lone surrogate", () => {
    const nul = refusal({ ok: { "a\u0000b": 1 } });
    expect(nul.field).toBe('args.ok["a\\u0000b"]');
    expect(nul.message).toContain("is a key with a NUL character");
    const lone = refusal({ "\uD800": 1 });
    expect(lone.field).toBe('args["\\ud800"]');
  });

  it("keeps a valid surrogate pair", () => {
    expect(normalizePush({ s: "a😀b" }, {}, NOW).args).toEqual({ s: "a😀b" });
  });
});

describe("normalizePush checks options", () => {
  it("keeps a run time 30 days ahead exactly (F11)", () => {
    const runAt = NOW + 30 * DAY;
    expect(normalizePush(1, { runAt }, NOW).runAt).toBe(runAt);
  });

  it("keeps a delay of 2^31 ms exactly (F11)", () => {
    expect(normalizePush(1, { delayMs: 2 ** 31 }, NOW).runAt).toBe(
      NOW + 2 ** 31,
    );
  });

  it("accepts a delay of exactly the maximum and a past run time", () => {
    const max = normalizePush(1, { delayMs: MAX_DELAY_MS }, NOW);
    expect(max.runAt).toBe(NOW + MAX_DELAY_MS);
    expect(normalizePush(1, { runAt: 0 }, NOW).runAt).toBe(0);
  });

  it.each([
    ["a delay past 100 years", { delayMs: MAX_DELAY_MS + 1 }, "delayMs"],
    ["a run time past 100 years", { runAt: NOW + 101 * 365 * DAY }, "runAt"],
    ["a run time past JS Date", { runAt: 8.64e15 + 1 }, "runAt"],
  ])("refuses %s as one it cannot honour (F11)", (_name, options, field) => {
    const error = refusal(1, options);
    expect(error.field).toBe(`options.${field}`);
    expect(error.message).toContain("cannot honour");
  });

  it("refuses a run time before PostgreSQL's range", () => {
    const error = refusal(1, { runAt: -8.64e15 });
    expect(error.field).toBe("options.runAt");
    expect(error.message).toContain("PostgreSQL cannot store");
  });

  it.each([
    ["runAt", Number.NaN],
    ["runAt", Number.POSITIVE_INFINITY],
    ["runAt", "2030-01-01"],
    ["delayMs", -1],
    ["delayMs", Number.NaN],
    ["delayMs", Number.POSITIVE_INFINITY],
    ["delayMs", "5"],
    ["priority", 1.5],
    ["priority", 2 ** 31],
    ["priority", -(2 ** 31) - 1],
    ["priority", "1"],
    ["maxAttempts", 0],
    ["maxAttempts", -1],
    ["maxAttempts", 2.5],
    ["maxAttempts", 2 ** 31],
    ["maxAttempts", Number.POSITIVE_INFINITY],
  ])("refuses %s = %s", (name, value) => {
    const error = refusal(1, { [name]: value });
    expect(error.field).toBe(`options.${name}`);
    expect(error.message.startsWith(`options.${name} `)).toBe(true);
  });

  it("accepts the int32 bounds for priority and maxAttempts", () => {
    const top = { priority: 2 ** 31 - 1, maxAttempts: 2 ** 31 - 1 };
    expect(normalizePush(1, top, NOW)).toMatchObject(top);
    const low = normalizePush(1, { priority: -(2 ** 31), maxAttempts: 1 }, NOW);
    expect(low).toMatchObject({ priority: -(2 ** 31), maxAttempts: 1 });
  });

  it("refuses runAt and delayMs together", () => {
    expect(refusal(1, { runAt: NOW, delayMs: 1 }).message).toContain(
      "give one of them",
    );
  });

  it("refuses an unknown option such as a misspelt delay", () => {
    const error = refusal(1, { delay: 1000 });
    expect(error.field).toBe("options.delay");
    expect(error.message).toContain("delayMs");
  });

  it("refuses options that are not an object", () => {
    expect(refusal(1, 5).field).toBe("options");
  });
});

describe("cleanText", () => {
  it("replaces NUL and lone surrogates with U+FFFD (F13)", () => {
    expect(cleanText("fail\u0000 #1")).toBe("fail\uFFFD #1");
    expect(cleanText("a\uD800b\uDC00")).toBe("a\uFFFDb\uFFFD");
    expect(cleanText("\uDC00\uD800")).toBe("\uFFFD\uFFFD");
  });

  it("leaves valid text, surrogate pairs included, as it is", () => {
    const text = "plain é 😀 end";
    expect(cleanText(text)).toBe(text);
  });
});

describe("cleanError", () => {
  it("cleans short error text as cleanText does", () => {
    expect(cleanError("fail\u0000 #1 \uD800")).toBe("fail\uFFFD #1 \uFFFD");
  });

  it("cuts a 5 MB error to MAX_ERROR_CHARS, cleaning what it keeps", () => {
    const text = `\u0000${"x".repeat(5_000_000)}`;
    const stored = cleanError(text);
    expect(stored).toHaveLength(MAX_ERROR_CHARS);
    expect(stored.startsWith("\uFFFDxxx")).toBe(true);
    expect(stored).toMatch(/x… \[truncated 4,996,0\d\d characters\]$/);
    expect(cleanError(stored)).toBe(stored);
  });
});

describe("clampRunAt", () => {
  it("keeps a valid retry time and caps the others at the maximum delay", () => {
    expect(clampRunAt(NOW + 1000, NOW)).toBe(NOW + 1000);
    expect(clampRunAt(Number.NaN, NOW)).toBe(NOW + MAX_DELAY_MS);
    expect(clampRunAt(Number.POSITIVE_INFINITY, NOW)).toBe(NOW + MAX_DELAY_MS);
    expect(clampRunAt(NOW + 2 * MAX_DELAY_MS, NOW)).toBe(NOW + MAX_DELAY_MS);
  });
});

describe("normalizePushes", () => {
  it("names the refused task's place in the batch, keeping its field", () => {
    const tasks = [{ args: 1 }, { args: 2 }, { args: { s: "a\u0000b" } }];
    let error: InvalidTaskError | undefined;
    try {
      normalizePushes(tasks, NOW);
    } catch (caught) {
      error = caught as InvalidTaskError;
    }
    expect(error).toBeInstanceOf(InvalidTaskError);
    expect(error?.field).toBe("args.s");
    expect(error?.message).toMatch(/^task 2 of 3: args\.s has a NUL/);
    expect(error?.message).toContain("nothing was pushed");
  });

  it("leaves a single task's message as normalizePush words it", () => {
    const single = () =>
      normalizePushes([{ args: 1, options: { priority: 0.5 } }], NOW);
    expect(single).toThrow(/^options\.priority is 0\.5/);
  });
});
