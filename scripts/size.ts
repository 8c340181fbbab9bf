// Prints the gzipped size of every browser bundle and fails (exit 1) when one is over
// its budget or missing. Add a bundle by adding a row. Run after the builds:
//   node scripts/size.ts
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";

interface Budget { name: string; file: string; budgetBytes: number }

/** Gzipped bytes. The SDK loads on every customer page, the SW on every push: keep both tiny. */
export const BUDGETS: Budget[] = [
  { name: "sdk", file: "dist/sdk/sdk.js", budgetBytes: 3 * 1024 },
  { name: "sw", file: "dist/sdk/sw.js", budgetBytes: 3 * 1024 },
  // The inbox client and widget, loaded lazily by Herald.inbox (issue #9 §5).
  { name: "inbox", file: "dist/sdk/inbox.js", budgetBytes: 10 * 1024 },
  // The dashboard's initial JS (entry + static imports, concatenated by vite.config.ts);
  // every page is a lazy chunk on top of this.
  { name: "dashboard", file: "dist/size/dashboard-initial.js", budgetBytes: 60 * 1024 },
];

const root = path.resolve(import.meta.dirname, "..");
let failed = false;
for (const { name, file, budgetBytes } of BUDGETS) {
  let gzipped: number;
  try {
    // Level 9: what CDNs use for static JS, and deterministic across runs.
    gzipped = gzipSync(await readFile(path.join(root, file)), { level: 9 }).length;
  } catch {
    console.error(`${name.padEnd(10)} ${file}: missing — run the build first`);
    failed = true;
    continue;
  }
  const over = gzipped > budgetBytes;
  failed ||= over;
  const pct = ((100 * gzipped) / budgetBytes).toFixed(0);
  console.log(`${name.padEnd(10)} ${String(gzipped).padStart(7)} B gz / ${budgetBytes} B budget (${pct}%)${over ? "  OVER BUDGET" : ""}  ${file}`);
}
process.exit(failed ? 1 : 0);
