import { describe, expect, it } from "vitest";
import {
  checkAppStatement,
  firstKeyword,
} from "../../src/engine/app-statement.ts";

describe("the first keyword of a statement", () => {
  it.each([
    ["select 1", "select"],
    ["  \n\tWITH a AS (SELECT 1) SELECT * FROM a", "with"],
    ["(SELECT 1) UNION (SELECT 2)", "select"],
    ["-- a note\nSET ROLE postgres", "set"],
    ["/* one /* nested */ still */ reset role", "reset"],
    ["/* never closed", ""],
    ["-- only a note", ""],
    ["", ""],
    ["set_config", "set_config"],
  ])("%j starts with %j", (sql, keyword) => {
    expect(firstKeyword(sql)).toBe(keyword);
  });
});

describe("what the app handle may run", () => {
  it.each(["SELECT 1", "insert into users values (1)", "CREATE TABLE x ()"])(
    "lets %j through",
    (sql) => {
      expect(() => checkAppStatement(sql)).not.toThrow();
    },
  );

  it("names what it refuses", () => {
    expect(() => checkAppStatement("set role postgres")).toThrow(
      /SET is not offered/,
    );
    expect(() => checkAppStatement("  ")).toThrow(
      /an empty statement is not offered/,
    );
    expect(() => checkAppStatement(42)).toThrow(
      /needs the SQL as a string, got number/,
    );
  });
});
