import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { handlerWorkerSource } from "./scripts/vite-handler-worker.ts";

/**
 * The playground. `vite build --base /x/` serves it under a path: every
 * asset, worker and chunk URL is relative to that base.
 */
export default defineConfig({
  // The handler worker reaches its sandbox as text: see the plugin.
  plugins: [react(), handlerWorkerSource()],
  // PGlite loads its WebAssembly and data files relative to its own
  // module; pre-bundling would move the module away from them.
  optimizeDeps: { exclude: ["@electric-sql/pglite"] },
  // Workers are ES modules (Monaco's and the engine's), so they can
  // import and be split like the page's code.
  worker: {
    format: "es",
    rolldownOptions: { checks: { eval: false, bundlerTimings: false } },
  },
  build: {
    target: "es2022",
    // Monaco and TypeScript's services are big by nature; they load
    // lazily, after the page is up, so their size is not a warning.
    chunkSizeWarningLimit: 8_000,
    // PGlite's own bundle uses direct eval, and the plugin timings say
    // nothing actionable: both would bury a real warning in every build.
    rolldownOptions: { checks: { eval: false, bundlerTimings: false } },
  },
});
