/**
 * Drawing values that were thrown, for error text: any value, however
 * hostile (cycles, throwing getters, Proxies, endless nesting), gives
 * bounded text and never an exception.
 */

/** How deep a thrown object is drawn; deeper values show as `{…}`. */
export const MAX_RENDER_DEPTH = 5;

/**
 * Draws any value as JSON-like text, and never throws: a cycle shows
 * as `[Circular]`, nesting past MAX_RENDER_DEPTH as `{…}` or `[…]`,
 * and drawing stops near `budget` characters.
 */
export function render(value: unknown, budget: number): string {
  return draw(value, 0, { left: budget, path: new Set() });
}

interface Drawing {
  /** Characters still to spend. */
  left: number;
  /** The objects being drawn, outermost first: meeting one is a cycle. */
  path: Set<object>;
}

function draw(
  value: unknown,
  depth: number,
  at: Drawing,
  viaJSON = true,
): string {
  const left = at.left;
  let text: string;
  try {
    text = drawValue(value, depth, at, viaJSON);
  } catch {
    text = "[unreadable]";
  }
  // What this value spent is its text, however its children counted.
  at.left = left - text.length;
  return text;
}

function drawValue(
  value: unknown,
  depth: number,
  at: Drawing,
  viaJSON: boolean,
): string {
  if (typeof value === "string") return drawString(value, at.left);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return `[Function ${value.name}]`;
  if (typeof value !== "object" || value === null) return String(value);
  if (at.path.has(value)) return "[Circular]";
  if (value instanceof Error) return `[${headline(value, at.left)}]`;
  const toJSON = viaJSON ? read(value, "toJSON") : undefined;
  // As in JSON.stringify, toJSON is asked once per value, not of its result.
  if (typeof toJSON === "function") {
    return draw(toJSON.call(value), depth, at, false);
  }
  const isArray = Array.isArray(value);
  if (depth >= MAX_RENDER_DEPTH) return isArray ? "[…]" : "{…}";
  at.path.add(value);
  try {
    const body = isArray
      ? drawItems(value, (item) => draw(item, depth + 1, at), at)
      : drawItems(Object.keys(value), (key) => drawEntry(value, key), at);
    return isArray ? `[${body}]` : `${className(value)}{${body}}`;
  } finally {
    at.path.delete(value);
  }

  function drawEntry(object: object, key: string): string {
    let item: string;
    try {
      const value = (object as Record<string, unknown>)[key];
      item = draw(value, depth + 1, at);
    } catch {
      item = "[unreadable]"; // a getter that throws
    }
    return `${JSON.stringify(key)}:${item}`;
  }
}

function drawString(text: string, max: number): string {
  const kept = cut(text, max);
  return kept === text ? JSON.stringify(text) : `${JSON.stringify(kept)}…`;
}

function drawItems<T>(
  items: readonly T[],
  drawItem: (item: T) => string,
  at: Drawing,
): string {
  const parts: string[] = [];
  for (const item of items) {
    if (at.left <= 0) {
      parts.push(`… ${items.length - parts.length} more`);
      break;
    }
    parts.push(drawItem(item));
    at.left -= 1; // the comma
  }
  return parts.join(",");
}

/** `Name ` for an instance of a class, nothing for a plain object. */
function className(object: object): string {
  const proto = Object.getPrototypeOf(object);
  if (proto === null || proto === Object.prototype) return "";
  const name = read(proto, "constructor");
  return typeof name === "function" && name.name ? `${name.name} ` : "";
}

/** At most `max` characters of `text`, never half a surrogate pair. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = Math.max(max, 0);
  const last = text.charCodeAt(end - 1);
  const halfPair = last >= 0xd800 && last <= 0xdbff;
  return text.slice(0, halfPair ? end - 1 : end);
}

/** A property, or undefined when reading it throws (a getter, a Proxy). */
export function read(value: unknown, key: string): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/**
 * `name: message` of an error, or as much of it as it has; a message
 * that is not a string is drawn within `budget` characters.
 */
export function headline(error: unknown, budget: number): string {
  const name = read(error, "name");
  const message = read(error, "message");
  const nameText = typeof name === "string" ? name : "";
  const messageText =
    typeof message === "string" || message === undefined
      ? (message ?? "")
      : render(message, budget);
  if (!nameText) return messageText;
  return messageText ? `${nameText}: ${messageText}` : nameText;
}
