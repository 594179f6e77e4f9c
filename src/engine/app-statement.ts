/**
 * What a user file's database handle may run. The handle's statements
 * share PGlite's one session with the runtime, whose session user is a
 * superuser, so a statement that changes the session (SET ROLE, SET
 * SESSION AUTHORIZATION, a search path, a statement timeout) would
 * escape the app role or break the runtime. Only statements that work
 * on data and on the user's own tables are let through; the database
 * itself refuses the rest of what the role may not do (see
 * `changeFeedSql`: no DO blocks, no functions of its own, no
 * set_config).
 */
const ALLOWED = new Set([
  "select",
  "with",
  "values",
  "table",
  "insert",
  "update",
  "delete",
  "merge",
  "explain",
  "create",
  "alter",
  "drop",
  "truncate",
  "comment",
  "show",
]);

/** The first keyword of `sql`, past spaces, comments and parentheses. */
export function firstKeyword(sql: string): string {
  let rest = sql;
  for (;;) {
    const trimmed = rest.replace(/^[\s(]+/, "");
    if (trimmed.startsWith("--")) {
      const end = trimmed.indexOf("\n");
      rest = end < 0 ? "" : trimmed.slice(end + 1);
    } else if (trimmed.startsWith("/*")) {
      rest = trimmed.slice(blockCommentEnd(trimmed));
    } else {
      return (/^[a-z_]+/i.exec(trimmed)?.[0] ?? "").toLowerCase();
    }
  }
}

/** Where a leading block comment ends; PostgreSQL's nest. */
function blockCommentEnd(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const pair = text.slice(i, i + 2);
    if (pair === "/*") {
      depth++;
      i++;
    } else if (pair === "*/") {
      depth--;
      i++;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

/** Throws a clear error unless the handle may run `sql`. */
export function checkAppStatement(sql: unknown): void {
  if (typeof sql !== "string") {
    throw new TypeError(
      `database.query needs the SQL as a string, got ${typeof sql}`,
    );
  }
  const keyword = firstKeyword(sql);
  if (ALLOWED.has(keyword)) return;
  const what = keyword === "" ? "an empty statement" : keyword.toUpperCase();
  throw new Error(
    `the playground's database handle runs statements on data and on tables of your own (SELECT, INSERT, UPDATE, DELETE, CREATE TABLE …); ${what} is not offered, since the handle shares its session with the runtime`,
  );
}
