// Seeds one site's N users straight into the local D1 (the edge stopped): each a site user
// with an email and a phone, one FCM device and one web push subscription of the push sink
// linked by external_id — what POST …/users, POST …/users/{id}/devices and a verified
// subscribe would leave behind, without N × 3 API calls.
//
// Addresses stay clear of the stand-ins' failure modes: emails start with "bench" (SendGrid's
// fail by prefix: invalid…, ratelimit…, error…, slow…, bounce…), phone numbers end in 1 (Twilio's
// by the last four digits: …4290, …5000, …3005, …0000 …), FCM tokens start with "bench-"
// (FCM's by prefix: unregistered-, quota-, slow- …).
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { d1ExecuteFile, sqlText } from "../lib/local.ts";

/** Rows per INSERT: the widest row (a subscription) is ~260 B, so 300 rows stay under the
 *  100 kB statement limit D1 (and its local SQLite) enforces. */
const SEED_ROWS_PER_INSERT = 300;

export interface SinkSubscription {
  id: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface SeededUser {
  externalId: string;
  email: string;
  phone: string;
  fcmToken: string;
}

const pad = (i: number) => String(i).padStart(9, "0");

/** The i-th user of the site tagged `tag` (one letter per site, so addresses differ per site). */
export function benchUser(tag: string, i: number): SeededUser {
  return {
    externalId: `bench-${tag}-${pad(i)}`,
    email: `bench-${tag}-${pad(i)}@example.com`,
    // +44 77 + 8 digits + 1: 13 digits, E.164; the trailing 1 avoids every magic suffix.
    phone: `+4477${String(i).padStart(8, "0")}1`,
    fcmToken: `bench-${tag}-${pad(i)}-${"x".repeat(120)}`,
  };
}

function inserts(table: string, columns: string[], rows: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rows.length; i += SEED_ROWS_PER_INSERT) {
    out.push(`INSERT INTO ${table} (${columns.join(", ")}) VALUES\n${rows.slice(i, i + SEED_ROWS_PER_INSERT).join(",\n")};`);
  }
  return out;
}

/** Seeds N = subs.length users of `siteId`; ids sort in creation order like the app's. */
export async function seedUsers(persistDir: string, siteId: string, tag: string, subs: SinkSubscription[]): Promise<SeededUser[]> {
  const now = Date.now();
  const site = sqlText(siteId);
  const users = subs.map((_, i) => benchUser(tag, i));
  const lines = [
    ...inserts(
      "site_users",
      ["id", "site_id", "external_id", "email", "phone", "locale", "attributes", "unreachable", "created_at", "updated_at"],
      users.map((u, i) => `(${sqlText(`eu_${tag}${pad(i)}`)},${site},${sqlText(u.externalId)},${sqlText(u.email)},${sqlText(u.phone)},'en','{}','{}',${now},${now})`),
    ),
    ...inserts(
      "subscribers",
      ["id", "site_id", "endpoint", "p256dh", "auth", "tags", "external_id", "active", "subscribed_at", "last_seen_at"],
      subs.map(
        (s, i) =>
          `(${sqlText(`sub_${tag}${pad(i)}`)},${site},${sqlText(s.endpoint)},${sqlText(s.keys.p256dh)},${sqlText(s.keys.auth)},'[]',${sqlText(users[i]!.externalId)},1,${now},${now})`,
      ),
    ),
    ...inserts(
      "mobile_devices",
      ["id", "site_id", "external_id", "token", "platform", "active", "created_at", "last_seen_at"],
      users.map((u, i) => `(${sqlText(`dev_${tag}${pad(i)}`)},${site},${sqlText(u.externalId)},${sqlText(u.fcmToken)},'android',1,${now},${now})`),
    ),
  ];
  const file = path.join(persistDir, `seed-messages-${tag}.sql`);
  await writeFile(file, lines.join("\n"));
  await d1ExecuteFile(persistDir, file);
  return users;
}
