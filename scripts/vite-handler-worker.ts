/**
 * A Vite plugin that offers the handler worker as text:
 *
 *   import source from "virtual:tasklab-handler-worker";
 *
 * The worker must reach a sandboxed iframe (origin null) as one script
 * it can turn into a `blob:` URL, with no imports left to fetch: a blob
 * has no base URL, and the dev server would not answer a null origin.
 * So the plugin bundles src/engine/handler-worker.ts into one IIFE with
 * Vite's own build, the same way in `vite dev`, `vite build` and under
 * any base path. In dev, editing a file of the bundle rebuilds it.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin, type Rolldown } from "vite";

const VIRTUAL_ID = "virtual:tasklab-handler-worker";
const RESOLVED_ID = `\0${VIRTUAL_ID}`;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "src", "engine", "handler-worker.ts");

export function handlerWorkerSource(): Plugin {
  let minify = false;
  return {
    name: "tasklab-handler-worker",
    configResolved(config) {
      minify = config.command === "build";
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    async load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const chunk = await bundle(minify);
      for (const file of chunk.moduleIds) {
        if (!file.startsWith("\0")) this.addWatchFile(file);
      }
      return `export default ${JSON.stringify(chunk.code)};`;
    },
  };
}

async function bundle(minify: boolean): Promise<Rolldown.OutputChunk> {
  const result = await build({
    configFile: false,
    root,
    logLevel: "warn",
    publicDir: false,
    define: {
      "process.env.NODE_ENV": JSON.stringify(
        minify ? "production" : "development",
      ),
    },
    build: {
      write: false,
      minify,
      target: "es2022",
      emptyOutDir: false,
      lib: {
        entry,
        formats: ["iife"],
        name: "tasklabHandlerWorker",
        fileName: () => "handler-worker.js",
      },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  for (const output of outputs) {
    if (!("output" in output)) continue;
    const chunk = output.output.find((o) => o.type === "chunk");
    if (chunk) return chunk;
  }
  throw new Error("bundling the handler worker produced no script");
}
