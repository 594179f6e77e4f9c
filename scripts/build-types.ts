/**
 * Generates the runtime's type declarations for the playground's editor,
 * so completion, hover and errors in the page come from the same source
 * as the package itself.
 *
 * Runs `tsc --declaration --emitDeclarationOnly` on the package root and
 * writes every `.d.ts` into one JSON file that the editor module loads
 * (`src/app/editor/runtime-types.generated.json`): a list of
 * `{ path, content }` where `path` is relative to the package folder.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const output = join(root, "src/app/editor/runtime-types.generated.json");

/** The package root; while it is missing, the runtime's two contract files. */
function entries(): string[] {
  const index = join(root, "src/index.ts");
  if (existsSync(index)) return [index];
  return ["contract.ts", "handler.ts"].map((f) => join(root, "src/runtime", f));
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
  try {
    const tsc = join(root, "node_modules/.bin/tsc");
    execFileSync(
      tsc,
      [
        ...entries(),
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
        "--types",
        "",
      ],
      { stdio: "inherit" },
    );
    const files = walk(outDir)
      .filter((path) => path.endsWith(".d.ts"))
      .map((path) => ({
        path: relative(outDir, path).split("\\").join("/"),
        content: toJsSpecifiers(readFileSync(path, "utf8")),
      }));
    if (!files.some((f) => f.path === "index.d.ts")) {
      // No package root yet: expose what exists under the package name.
      const lines = files.map(
        (f) => `export * from "./${f.path.replace(/\.d\.ts$/, ".js")}";`,
      );
      files.push({ path: "index.d.ts", content: `${lines.join("\n")}\n` });
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
