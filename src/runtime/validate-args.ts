/**
 * The args half of push validation: a walk that copies args while
 * checking that every value is JSON PostgreSQL can store losslessly,
 * and that names the first refused field with advice for its kind.
 */
import type { Json } from "./contract.ts";
import { InvalidTaskError } from "./errors.ts";

/** The deepest nesting of arrays and objects accepted in args. */
export const MAX_ARGS_DEPTH = 100;
/** The largest args accepted, in characters of JSON (about 16 MiB). */
export const MAX_ARGS_CHARS = 16 * 1024 * 1024;

const JSON_KINDS =
  "task args must be JSON (strings, finite numbers, booleans, null, arrays and plain objects)";

/** A JSON copy of `args`, or `InvalidTaskError` naming the field. */
export function copyArgs(args: unknown): Json {
  return new ArgsCopier().copy(args);
}

/** Where a string holds a NUL or a lone surrogate, from `from` on. */
export function findBadChar(
  text: string,
  from: number,
): { index: number; code: number } | null {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return { index: i, code };
    if (code < 0xd800 || code > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    return { index: i, code };
  }
  return null;
}

type Segment = string | number;

/**
 * Copies args while checking that each value is JSON that PostgreSQL
 * can store. The path is kept as segments and formatted only when a
 * value is refused, so valid args cost one walk and one copy.
 */
class ArgsCopier {
  readonly #path: Segment[] = [];
  /** Objects being copied, with the path length where each began. */
  readonly #ancestors = new Map<object, number>();
  #chars = 0;

  copy(value: unknown): Json {
    return this.#value(value, 0);
  }

  #value(value: unknown, depth: number): Json {
    switch (typeof value) {
      case "string":
        this.#text(value);
        this.#grow(value.length + 2);
        return value;
      case "boolean":
        this.#grow(5);
        return value;
      case "number":
        if (!Number.isFinite(value)) {
          this.#fail(
            `is ${value}; ${JSON_KINDS}, and JSON has no ${value}; pass null or a finite number`,
          );
        }
        this.#grow(8);
        // JSON has no negative zero; storing 0 keeps every backend equal.
        return value === 0 ? 0 : value;
      case "object":
        if (value === null) {
          this.#grow(4);
          return null;
        }
        return this.#object(value, depth);
      case "undefined":
        return this.#fail(
          `is undefined; ${JSON_KINDS}; leave the key out or use null`,
        );
      case "bigint":
        return this.#fail(
          `is a bigint; ${JSON_KINDS}; pass ${this.#leaf()}.toString(), or a number if it fits`,
        );
      default:
        return this.#fail(
          `is a ${typeof value}; ${JSON_KINDS}; pass data, not ${typeof value}s`,
        );
    }
  }

  #object(value: object, depth: number): Json {
    if (depth >= MAX_ARGS_DEPTH) {
      this.#fail(
        `nests deeper than ${MAX_ARGS_DEPTH} levels of arrays and objects; flatten the args`,
      );
    }
    const start = this.#ancestors.get(value);
    if (start !== undefined) {
      const target = formatPath(this.#path.slice(0, start));
      this.#fail(
        `refers back to ${target} (a cycle); ${JSON_KINDS}; remove the back-reference`,
      );
    }
    this.#ancestors.set(value, this.#path.length);
    const copy = Array.isArray(value)
      ? this.#array(value, depth)
      : this.#record(value, depth);
    this.#ancestors.delete(value);
    return copy;
  }

  #array(value: unknown[], depth: number): Json[] {
    const copy: Json[] = new Array(value.length);
    this.#grow(2 + value.length);
    for (let i = 0; i < value.length; i++) {
      this.#path.push(i);
      if (!(i in value)) {
        this.#fail(
          `is an empty slot of a sparse array; ${JSON_KINDS}; fill it, e.g. with null`,
        );
      }
      copy[i] = this.#value(value[i], depth + 1);
      this.#path.pop();
    }
    return copy;
  }

  #record(value: object, depth: number): Json {
    const advice = nonPlainAdvice(value, this.#leaf());
    if (advice) this.#fail(`${advice.what}; ${JSON_KINDS}; ${advice.fix}`);
    const symbol = Object.getOwnPropertySymbols(value)[0];
    if (symbol) {
      this.#fail(
        `has a symbol key (${symbol.toString()}), which JSON drops; ${JSON_KINDS}; use a string key`,
      );
    }
    const copy: { [key: string]: Json } = {};
    const source = value as Record<string, unknown>;
    this.#grow(2);
    for (const key of Object.keys(source)) {
      this.#path.push(key);
      this.#key(key);
      this.#grow(key.length + 4);
      const item = this.#value(source[key], depth + 1);
      if (key === "__proto__") {
        // A plain assignment would replace the copy's prototype.
        Object.defineProperty(copy, key, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        copy[key] = item;
      }
      this.#path.pop();
    }
    return copy;
  }

  #text(value: string) {
    const bad = findBadChar(value, 0);
    if (!bad) return;
    const fix =
      bad.code === 0
        ? "remove it, or encode the text (e.g. base64) before pushing"
        : "fix the text, or replace it with cleanText(text)";
    this.#fail(`has ${badCharText(bad)}; ${fix}`);
  }

  #key(key: string) {
    const bad = findBadChar(key, 0);
    if (bad) this.#fail(`is a key with ${badCharText(bad)}; rename the key`);
  }

  #grow(chars: number) {
    this.#chars += chars;
    if (this.#chars > MAX_ARGS_CHARS) {
      throw new InvalidTaskError(
        "args",
        `args is over ${MAX_ARGS_CHARS} characters of JSON; store a large payload elsewhere (a file, a table) and pass its reference in args`,
      );
    }
  }

  /** How advice refers to the refused value: its key, or its path. */
  #leaf(): string {
    const last = this.#path[this.#path.length - 1];
    return typeof last === "string" && IDENTIFIER.test(last)
      ? last
      : formatPath(this.#path);
  }

  #fail(problem: string): never {
    const field = formatPath(this.#path);
    throw new InvalidTaskError(field, `${field} ${problem}`);
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

// A deeper path shows its ends only: a hundred `[0]`s say nothing more.
const PATH_ENDS = 4;

function formatPath(path: readonly Segment[]): string {
  if (path.length <= 3 * PATH_ENDS) return `args${segments(path)}`;
  const skipped = path.length - 2 * PATH_ENDS;
  const head = segments(path.slice(0, PATH_ENDS));
  const tail = segments(path.slice(-PATH_ENDS));
  return `args${head}…(${skipped} levels)…${tail}`;
}

function segments(path: readonly Segment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function badCharText(bad: { index: number; code: number }): string {
  if (bad.code === 0) {
    return `a NUL character (U+0000) at index ${bad.index}, which PostgreSQL text and jsonb cannot store`;
  }
  const hex = bad.code.toString(16).toUpperCase();
  return `a lone surrogate (U+${hex}) at index ${bad.index}, which is not valid Unicode and cannot be stored`;
}

/** Why an object is not a plain JSON object, and what to pass instead. */
function nonPlainAdvice(
  value: object,
  leaf: string,
): { what: string; fix: string } | null {
  const proto = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return null;
  // A plain object from another realm (a vm context, an iframe).
  if (
    Object.getPrototypeOf(proto) === null &&
    Object.prototype.toString.call(value) === "[object Object]"
  ) {
    return null;
  }
  if (value instanceof Date) {
    return { what: "is a Date", fix: `pass ${leaf}.toISOString()` };
  }
  if (value instanceof Map) {
    return {
      what: "is a Map",
      fix: `pass Object.fromEntries(${leaf}) or [...${leaf}]`,
    };
  }
  if (value instanceof Set) {
    return { what: "is a Set", fix: `pass [...${leaf}]` };
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return {
      what: `is binary data (${constructorName(proto)})`,
      fix: "pass an array of numbers or a base64 string",
    };
  }
  if (value instanceof Promise) {
    return { what: "is a Promise", fix: "await it before pushing" };
  }
  if (value instanceof Error) {
    return { what: "is an Error", fix: `pass ${leaf}.message` };
  }
  return {
    what: `is an instance of ${constructorName(proto)}`,
    fix: `pass a plain object with the fields you need, e.g. { ...${leaf} }`,
  };
}

function constructorName(proto: object): string {
  const name = (proto as { constructor?: { name?: unknown } }).constructor
    ?.name;
  return typeof name === "string" && name ? name : "a class";
}
