// drizzle-kit generates migrations/NNNN_*.sql from workers/db/schema.ts;
// wrangler applies the same files locally, in tests and in production.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./workers/db/schema.ts",
  out: "./migrations",
});
