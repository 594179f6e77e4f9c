/**
 * The package as a user installs it: the library build (`npm run
 * build:lib`) gives plain JavaScript and declarations at the paths the
 * `exports` map names, the root runs a worker, and nothing the root
 * imports needs Node, so a browser bundle can take it whole.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "tasklab-lib-"));
  await promisify(execFile)(
    process.execPath,
    [
      join(root, "node_modules/typescript/bin/tsc"),
      "-p",
      join(root, "tsconfig.lib.json"),
      "--outDir",
      join(out, "lib"),
      "--declarationDir",
      join(out, "types"),
    ],
    { cwd: root },
  );
}, 120_000);

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

/** Every module the file at `path` imports, followed, by specifier. */
async function importGraph(path: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const visit = async (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = await readFile(file, "utf8");
    const found = text.matchAll(
      /\bfrom\s+"([^"]+)"|\bimport\s*\(\s*"([^"]+)"/g,
    );
    for (const [, from, dynamic] of found) {
      const specifier = (from ?? dynamic) as string;
      if (specifier.startsWith(".")) {
        await visit(resolve(dirname(file), specifier));
      } else bare.add(specifier);
    }
  };
  await visit(path);
  return bare;
}

describe("the library build", () => {
  it("lays out what package.json's exports name", async () => {
    const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
    for (const entry of Object.values(pkg.exports) as Record<
      string,
      string
    >[]) {
      for (const path of [entry.types, entry.default] as string[]) {
        const built = path.replace("./dist", out);
        await expect(readFile(built, "utf8")).resolves.toMatch(/export/);
      }
    }
  });

  it("runs a task to Done from the built root", async () => {
    const lib = await import(pathToFileURL(join(out, "lib/index.js")).href);
    const storage = new lib.MemoryStorage({ queue: "email" });
    const seen: string[] = [];
    const worker = new lib.WorkerBuilder("mailer")
      .backend(storage)
      .build(async (args: { to: string }) => {
        seen.push(args.to);
      });
    const taskId = await storage.push({ to: "a@example.test" });
    await worker.start();
    for (let i = 0; i < 200 && seen.length === 0; i++) {
      await new Promise((done) => setTimeout(done, 5));
    }
    await worker.stop();
    expect(seen).toEqual(["a@example.test"]);
    expect((await storage.get(taskId))?.status).toBe("Done");
  });

  it("keeps Node's modules out of the root, and in tasklab/node", async () => {
    const browser = await importGraph(join(out, "lib/index.js"));
    expect(
      [...browser].filter((s) => s.startsWith("node:") || s === "pg"),
    ).toEqual([]);
    const node = await importGraph(join(out, "lib/node.js"));
    expect(node.has("pg")).toBe(true);
  });
});
