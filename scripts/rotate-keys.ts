// Re-seals every stored secret under the newest MASTER_KEYS version by paging through
// POST /api/admin/reencrypt-secrets until no cursor is left. Safe to run again.
//   HERALD_URL=https://herald.example.com ADMIN_TOKEN=… npm run rotate-keys
const base = process.env.HERALD_URL ?? "http://localhost:8787";
const token = process.env.ADMIN_TOKEN;
if (!token) {
  console.error("Set ADMIN_TOKEN (and HERALD_URL for a deployed Herald).");
  process.exit(2);
}
let cursor = "";
let total = 0;
for (;;) {
  const res = await fetch(`${base}/api/admin/reencrypt-secrets?cursor=${encodeURIComponent(cursor)}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: "{}",
  });
  const body = (await res.json()) as { reencrypted: number; failed: unknown[]; next_cursor: string | null; key_version: number };
  if (!res.ok) {
    console.error(`HTTP ${res.status}`, body);
    process.exit(1);
  }
  total += body.reencrypted;
  if (body.failed.length) console.error("could not open:", body.failed);
  if (!body.next_cursor) {
    console.log(`Re-encrypted ${total} secret(s) under master key version ${body.key_version}.`);
    break;
  }
  cursor = body.next_cursor;
}
