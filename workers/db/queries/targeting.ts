// Audience SQL: which active subscribers of a site a notification's target matches.
// Lists travel as one JSON parameter (json_each), so no query nears D1's 100-bound-
// parameter limit however many tags or ids a target names.
import { and, asc, between, count, eq, gt, sql, type SQL } from "drizzle-orm";
import type { AbSlice, SegmentSnapshot, Target } from "../../contracts/target";
import type { Db } from "../client";
import { deliveries, siteUsers, subscribers } from "../schema";
import { segmentCondition } from "./segments";

export type { Target };

const inList = (values: string[]) => sql`(select value from json_each(${JSON.stringify(values)}))`;
const tagMatches = (values: string[]) => sql`(select count(distinct value) from json_each(${subscribers.tags}) where value in ${inList(values)})`;

/** A subscriber id's bucket, 0–1023: its last two (random) characters read in the id alphabet. */
const ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const bucketOf = sql`((instr(${ID_ALPHABET}, substr(${subscribers.id}, -2, 1)) - 1) * 32 + (instr(${ID_ALPHABET}, substr(${subscribers.id}, -1, 1)) - 1))`;

export function targetCondition(target: Target): SQL {
  if ("ab_slice" in target) {
    const { of, from, to } = (target as unknown as AbSlice).ab_slice;
    return and(targetCondition(of), sql`${bucketOf} >= ${from} and ${bucketOf} < ${to}`)!;
  }
  if ("all" in target) return sql`1 = 1`;
  if ("subscriber_ids" in target) return sql`${subscribers.id} in ${inList(target.subscriber_ids)}`;
  if ("external_ids" in target) return sql`${subscribers.externalId} in ${inList(target.external_ids)}`;
  if ("segment_id" in target) {
    const snap = target as Partial<SegmentSnapshot>;
    // Resolved by services/segments before any query: an unresolved one is a programming error.
    if (!snap.rules || snap.as_of === undefined) throw new Error(`segment target ${target.segment_id} used before it was resolved`);
    return segmentCondition(snap.rules, snap.as_of);
  }
  const parts: SQL[] = [];
  const { any, all, none } = target.tags;
  if (any?.length) parts.push(sql`${tagMatches(any)} > 0`);
  if (all?.length) parts.push(sql`${tagMatches([...new Set(all)])} = ${new Set(all).size}`);
  if (none?.length) parts.push(sql`${tagMatches(none)} = 0`);
  return parts.length ? and(...parts)! : sql`1 = 1`;
}

const audience = (siteId: string, target: Target) =>
  and(eq(subscribers.siteId, siteId), eq(subscribers.active, true), targetCondition(target));

export async function countAudience(db: Db, siteId: string, target: Target): Promise<number> {
  const row = await db.select({ n: count() }).from(subscribers).where(audience(siteId, target)).get();
  return row?.n ?? 0;
}

/** The next page of matching subscriber ids after `afterId`, in id order (for the planner). */
export const audienceIds = (db: Db, siteId: string, target: Target, afterId: string, limit: number) =>
  db
    .select({ id: subscribers.id })
    .from(subscribers)
    .where(and(audience(siteId, target), gt(subscribers.id, afterId)))
    .orderBy(asc(subscribers.id))
    .limit(limit)
    .all();

/** Matching subscribers in [fromId, toId] not yet delivered this notification (for the sender). */
export const pendingRecipients = (db: Db, siteId: string, target: Target, notificationId: string, fromId: string, toId: string) =>
  db
    .select({ id: subscribers.id, endpoint: subscribers.endpoint, p256dh: subscribers.p256dh, auth: subscribers.auth, externalId: subscribers.externalId, timezone: subscribers.timezone })
    .from(subscribers)
    .where(
      and(
        audience(siteId, target),
        between(subscribers.id, fromId, toId),
        sql`not exists (select 1 from ${deliveries} where ${deliveries.notificationId} = ${notificationId} and ${deliveries.channel} = 'web_push' and ${deliveries.subscriberId} = ${subscribers.id})`,
      ),
    )
    .orderBy(asc(subscribers.id))
    .all();

/** pendingRecipients with who each subscription belongs to (its verified user, if any) and the
 *  browser's language: what a template renders per recipient. Only template sends pay the join. */
export const pendingRecipientsWithUsers = (db: Db, siteId: string, target: Target, notificationId: string, fromId: string, toId: string) =>
  db
    .select({
      id: subscribers.id,
      endpoint: subscribers.endpoint,
      p256dh: subscribers.p256dh,
      auth: subscribers.auth,
      language: subscribers.language,
      browserTimezone: subscribers.timezone,
      externalId: subscribers.externalId,
      userId: siteUsers.id,
      email: siteUsers.email,
      phone: siteUsers.phone,
      locale: siteUsers.locale,
      timezone: siteUsers.timezone,
      attributes: siteUsers.attributes,
    })
    .from(subscribers)
    .leftJoin(siteUsers, and(eq(siteUsers.siteId, subscribers.siteId), eq(siteUsers.externalId, subscribers.externalId)))
    .where(
      and(
        audience(siteId, target),
        between(subscribers.id, fromId, toId),
        sql`not exists (select 1 from ${deliveries} where ${deliveries.notificationId} = ${notificationId} and ${deliveries.channel} = 'web_push' and ${deliveries.subscriberId} = ${subscribers.id})`,
      ),
    )
    .orderBy(asc(subscribers.id))
    .all();
