import { describe, expect, it } from "vitest";
import { compileUserFile } from "../../src/engine/compile.ts";

describe("compileUserFile", () => {
  it("turns TypeScript with imports into CommonJS require calls", () => {
    const compiled = compileUserFile(
      'import { handler, type StateKey } from "tasklab";\nconst n: number = 1;\nexport default { n, handler };\n',
    );
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    expect(compiled.code).toMatch(/require\(['"]tasklab['"]\)/);
    expect(compiled.code).not.toContain("number");
  });

  it("drops type-only imports entirely", () => {
    const compiled = compileUserFile(
      'import type { PlaygroundFile } from "tasklab/playground";\nexport const x: PlaygroundFile | null = null;\n',
    );
    expect(compiled.ok && compiled.code).not.toContain("require(");
  });

  it("reports a syntax error with its line, column and what to do", () => {
    const compiled = compileUserFile("const a = 1;\nconst b = ;\n");
    expect(compiled).toEqual({
      ok: false,
      diagnostics: [
        {
          line: 2,
          column: 11,
          message:
            "Unexpected token at line 2, column 11. Fix the code and run again; nothing was started.",
        },
      ],
    });
  });
});
