import { expect, it } from "vitest";
import { quickStart } from "../../../examples/quick-start.ts";

it("runs the README's example to the end on PGlite", async () => {
  expect(await quickStart()).toEqual([
    { to: "ada@example.com", subject: "hi" },
  ]);
});
