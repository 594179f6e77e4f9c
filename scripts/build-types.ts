/**
 * Generates the runtime's type declarations for the playground's editor,
 * so completion, hover and errors in the page come from the same source
 * as the code handlers really run with.
 *
 * Runs `tsc --declaration --emitDeclarationOnly` on the modules a user
 * file can import, and writes every `.d.ts` into one JSON file that the
 * editor module loads (`src/app/editor/runtime-types.generated.json`):
 * a list of `{ path, content }`, paths relative to the package folder.
 * `index.d.ts` stands for `import ... from "tasklab"`, and
 * `playground.d.ts` for `"tasklab/playground"`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const output = join(root, "src/app/editor/runtime-types.generated.json");

/**
 * Each module name a user file imports, and the sources behind it, the
 * first that exists: what a handler worker really hands out first, then
 * the package root, then the runtime's contract.
 */
const MODULES: { file: string; sources: string[][] }[] = [
  {
    file: "index.d.ts",
    sources: [
      ["src/engine/tasklab-module.ts"],
      ["src/index.ts"],
      ["src/runtime/contract.ts", "src/runtime/handler.ts"],
    ],
  },
  { file: "playground.d.ts", sources: [["src/engine/user-file.ts"]] },
];

function pick(sources: string[][]): string[] {
  const found = sources.find((list) =>
    list.every((file) => existsSync(join(root, file))),
  );
  return found ?? [];
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

/**
 * Declarations keep the source's `./x.ts` specifiers; the editor's
 * TypeScript resolves `./x.js` to `./x.d.ts`, so rewrite them.
 */
function toJsSpecifiers(content: string): string {
  return content.replace(/(from\s+["']\.{1,2}\/[^"']+)\.ts(["'])/g, "$1.js$2");
}

async function main() {
  const outDir = mkdtempSync(join(tmpdir(), "tasklab-types-"));
  const chosen = MODULES.map((m) => ({ ...m, entries: pick(m.sources) }));
  try {
    const tsc = join(root, "node_modules/.bin/tsc");
    execFileSync(
      tsc,
      [
        ...chosen.flatMap((m) => m.entries.map((f) => join(root, f))),
        "--ignoreConfig",
        "--declaration",
        "--emitDeclarationOnly",
        "--noEmit",
        "false",
        "--outDir",
        outDir,
        "--rootDir",
        join(root, "src"),
        "--target",
        "ES2022",
        "--module",
        "ESNext",
        "--moduleResolution",
        "Bundler",
        "--allowImportingTsExtensions",
        "--strict",
        "--skipLibCheck",
        "--lib",
        "ES2023,DOM",
        // The runtime runs in browsers and Node; it may name Node's timers.
        "--types",
        "node",
      ],
      { stdio: "inherit" },
    );
    const files = walk(outDir)
      .filter((path) => path.endsWith(".d.ts"))
      .map((path) => ({
        path: relative(outDir, path).split("\\").join("/"),
        content: toJsSpecifiers(readFileSync(path, "utf8")),
      }));
    for (const module of chosen) {
      const lines = module.entries.map(
        (f) =>
          `export * from "./${f.replace(/^src\//, "").replace(/\.ts$/, ".js")}";`,
      );
      files.push({ path: module.file, content: `${lines.join("\n")}\n` });
    }
    await writeFile(output, `${JSON.stringify(files, null, 1)}\n`);
    console.log(
      `runtime types: ${files.length} files -> ${relative(root, output)}`,
    );
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

await main();
