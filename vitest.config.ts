import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One PGlite per file already uses a core; files in parallel
          // on a two-core machine only slow each other down.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "app",
          include: ["test/app/**/*.test.{ts,tsx}"],
          environment: "jsdom",
        },
      },
    ],
  },
});
