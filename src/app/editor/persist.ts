/**
 * Keeps the editor's code in localStorage, so it comes back after a
 * reload. Restoring never runs anything: Run stays a click away.
 */
const KEY = "tasklab:code";

export function loadCode(fallback: string, storage = safeStorage()): string {
  return storage?.getItem(KEY) ?? fallback;
}

export function saveCode(code: string, storage = safeStorage()) {
  try {
    storage?.setItem(KEY, code);
  } catch {
    // A full or blocked storage only loses the saved copy, not the edit.
  }
}

export function clearCode(storage = safeStorage()) {
  storage?.removeItem(KEY);
}

function safeStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
