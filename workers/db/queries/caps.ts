// SQL of the frequency cap's ledger (services/preferences/caps.ts). Scoped by site; the primary
// key (site, recipient, notification) answers "does this notification hold a slot already",
// cap_ledger_recipient_at_idx counts a recipient's window, cap_ledger_at_idx serves pruning.
import { lt, sql } from "drizzle-orm";
import type { Db } from "../client";
import { capLedger } from "../schema";

export interface CapLimits {
  perDay: number | null;
  perWeek: number | null;
}

const DAY_MS = 24 * 3600_000;
const WEEK_MS = 7 * DAY_MS;
/** Rows older than this count toward no window: housekeeping deletes them. */
export const CAP_LEDGER_KEEP_MS = WEEK_MS;

/**
 * Takes a slot of the cap for `notificationId` for each recipient key that has room, in one D1
 * transaction: the keys that hold a slot for this notification already (another channel of the
 * same message, a redelivered batch) keep it; the others get one only while their rows in the
 * last 24 hours and 7 days number fewer than the limits — the count and the insert are one
 * statement, and D1 runs statements one at a time, so two sends at once never both take the
 * last slot. Returns the keys allowed to receive it.
 */
export async function takeCapSlots(db: Db, siteId: string, notificationId: string, keys: string[], limits: CapLimits, now: number): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const list = JSON.stringify(keys);
  const [held, taken] = await db.$client.batch<{ recipient: string }>([
    db.$client
      .prepare("select recipient from cap_ledger where site_id = ?1 and notification_id = ?2 and recipient in (select value from json_each(?3))")
      .bind(siteId, notificationId, list),
    db.$client
      .prepare(
        `insert into cap_ledger (site_id, recipient, notification_id, at)
         select ?1, j.value, ?2, ?3 from json_each(?4) j
         where (?5 is null or (select count(*) from cap_ledger c where c.site_id = ?1 and c.recipient = j.value and c.at > ?3 - ${DAY_MS}) < ?5)
           and (?6 is null or (select count(*) from cap_ledger c where c.site_id = ?1 and c.recipient = j.value and c.at > ?3 - ${WEEK_MS}) < ?6)
         on conflict do nothing
         returning recipient`,
      )
      .bind(siteId, notificationId, now, list, limits.perDay, limits.perWeek),
  ]);
  return new Set([...held!.results, ...taken!.results].map((r) => r.recipient));
}

/** Deletes ledger rows no window reaches any more. */
export const pruneCapLedger = (db: Db, now: number) => db.delete(capLedger).where(lt(capLedger.at, now - CAP_LEDGER_KEEP_MS));

/** Whose slot a send takes: the user behind the address (all their browsers and devices share
 *  one count), else the anonymous subscriber. */
export const capKey = (recipient: { id: string; externalId?: string | null }) => (recipient.externalId ? `u:${recipient.externalId}` : `s:${recipient.id}`);

/** Forgets a user's ledger rows (GDPR erasure; run in its batch). */
export const eraseUserCapLedger = (db: Db, siteId: string, externalId: string) =>
  db.delete(capLedger).where(sql`${capLedger.siteId} = ${siteId} and ${capLedger.recipient} = ${capKey({ id: "", externalId })}`);
