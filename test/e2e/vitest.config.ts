import { defineConfig } from "vitest/config";

/**
 * End-to-end tests: the production build (made by `pretest:e2e` under
 * the base path /tasklab/) in real Chromium. One browser at a time.
 */
export default defineConfig({
  test: {
    name: "e2e",
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
