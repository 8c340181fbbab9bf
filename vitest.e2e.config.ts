// End-to-end tests: Node-side vitest driving the real local edge (wrangler dev) and Debian
// Chromium. Files run one after another: each starts its own edge and browser.
//   npx vitest run --config vitest.e2e.config.ts
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["test/e2e/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000, // building, migrating and booting wrangler dev
  },
});
