// Applies the D1 migrations (the same files wrangler applies in dev and production)
// before each test file. applyD1Migrations is idempotent.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
