// Worker tests run inside workerd with the bindings from wrangler.toml; D1 migrations
// are read here (Node side) and applied by test/setup.ts before every test file.
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            // Test-only secrets; real ones come from .dev.vars or `wrangler secret put`.
            MASTER_KEYS: "1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
            JWT_SECRET: "dGVzdC1qd3Qtc2VjcmV0LXRoYXQtaXMtbG9uZy1lbm91Z2g=",
            METRICS_TOKEN: "test-metrics-token",
            ADMIN_TOKEN: "test-admin-token",
            EXTRA_PUSH_ORIGINS: "http://127.0.0.1:9,https://push.test",
            // A local stand-in the install-check tests fetch over http (never 127.0.0.1:9:
            // those tests need a private address that stays refused).
            OUTBOUND_ALLOW_ORIGINS: "http://127.0.0.1:8799",
            // test/fuzz: the PRNG seed (empty = random) and the number of requests (empty = its default).
            FUZZ_SEED: process.env.FUZZ_SEED ?? "",
            FUZZ_REQUESTS: process.env.FUZZ_REQUESTS ?? "",
          },
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.ts"],
      exclude: ["test/e2e/**", "node_modules/**"],
      setupFiles: ["./test/setup.ts"],
      testTimeout: 60_000,
    },
  };
});
