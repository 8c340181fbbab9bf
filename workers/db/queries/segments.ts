// SQL of segments (issue #10 §1): their rows, and their rules compiled into one parameterised
// condition on `subscribers` (the audience SQL of db/queries/targeting.ts uses it like a tag
// target). Every value is a bound parameter — attribute keys too, spliced into a JSON path
// string by SQL, never into the statement — and every list is one JSON parameter (json_each),
// so a segment at its limits (20 conditions) binds far fewer than D1's 100 parameters.
//
//   tag has / has_not            value in the subscriber's tags
//   attribute …                  the subscriber's user's attributes (json_extract), numbers as numbers
//   browser / os / country /
//   language / timezone is(_not) equals one of the values (country compared upper-case)
//   subscribed before / after    an instant;  within_days / more_than_days_ago: relative to `now`
//   last_seen within_days …      relative to `now`
//   engaged clicked / shown /
//   not_clicked within N days    an event of theirs (events_subscriber_idx)
//   received / not_received X    a web push delivery of notification X sent to them (primary key)
//   has_channel Y                their user has an address for Y (email; phone for SMS and
//                                WhatsApp), an active FCM device, is a user (in_app); web_push: always
//
// `now` is fixed by the caller: the estimate's time, or the send's start for a planned send.
import { and, desc, eq, lt, sql, type SQL } from "drizzle-orm";
import { type Condition, type Group, isGroup } from "../../contracts/segments";
import type { Db } from "../client";
import { mobileDevices, segments, siteUsers, subscribers } from "../schema";

export type SegmentRow = typeof segments.$inferSelect;
const DAY_MS = 86_400_000;

const json = (v: unknown) => JSON.stringify(v);
/** The subscriber's user's attribute `key`: a correlated lookup on (site, external id). */
const attribute = (key: string) =>
  sql`(select json_extract(u.attributes, '$."' || ${key} || '"') from ${siteUsers} u where u.site_id = ${subscribers.siteId} and u.external_id = ${subscribers.externalId})`;
const userHas = (column: "email" | "phone") =>
  sql`exists (select 1 from ${siteUsers} u where u.site_id = ${subscribers.siteId} and u.external_id = ${subscribers.externalId} and u.${sql.raw(column)} is not null)`;
const textColumn = { browser: subscribers.browser, os: subscribers.os, country: subscribers.country, language: subscribers.language, timezone: subscribers.timezone };

function condition(c: Condition, now: number): SQL {
  switch (c.field) {
    case "tag": {
      const has = sql`exists (select 1 from json_each(${subscribers.tags}) where value = ${c.value})`;
      return c.operator === "has" ? has : sql`not ${has}`;
    }
    case "attribute": {
      const v = attribute(c.key);
      switch (c.operator) {
        case "exists":
          return sql`${v} is not null`;
        case "not_exists":
          return sql`${v} is null`;
        case "equals":
          return sql`${v} = ${c.value}`;
        case "not_equals":
          return sql`coalesce(${v} != ${c.value}, 1)`;
        case "contains":
          return sql`instr(lower(cast(${v} as text)), lower(${String(c.value)})) > 0`;
        case "greater_than":
          return sql`cast(${v} as real) > ${c.value}`;
        case "less_than":
          return sql`cast(${v} as real) < ${c.value}`;
      }
      break;
    }
    case "browser":
    case "os":
    case "country":
    case "language":
    case "timezone": {
      const values = (Array.isArray(c.value) ? c.value : [c.value]).map((x) => (c.field === "country" ? x.toUpperCase() : x));
      const col = c.field === "country" ? sql`upper(${textColumn.country})` : textColumn[c.field];
      const isIn = sql`${col} in (select value from json_each(${json(values)}))`;
      return c.operator === "is" ? isIn : sql`coalesce(not ${isIn}, 1)`;
    }
    case "subscribed":
      switch (c.operator) {
        case "before":
          return sql`${subscribers.subscribedAt} < ${c.value}`;
        case "after":
          return sql`${subscribers.subscribedAt} >= ${c.value}`;
        case "within_days":
          return sql`${subscribers.subscribedAt} >= ${now - c.value * DAY_MS}`;
        case "more_than_days_ago":
          return sql`${subscribers.subscribedAt} < ${now - c.value * DAY_MS}`;
      }
      break;
    case "last_seen":
      return c.operator === "within_days" ? sql`${subscribers.lastSeenAt} >= ${now - c.value * DAY_MS}` : sql`${subscribers.lastSeenAt} < ${now - c.value * DAY_MS}`;
    case "engaged": {
      const type = c.operator === "shown" ? "impression" : "click";
      const any = sql`exists (select 1 from events e where e.subscriber_id = ${subscribers.id} and e.type = ${type} and e.created_at >= ${now - c.days * DAY_MS})`;
      return c.operator === "not_clicked" ? sql`not ${any}` : any;
    }
    case "received": {
      const got = sql`exists (select 1 from deliveries d where d.notification_id = ${c.notification_id} and d.channel = 'web_push' and d.subscriber_id = ${subscribers.id} and d.status = 'sent')`;
      return c.operator === "received" ? got : sql`not ${got}`;
    }
    case "has_channel": {
      const has =
        c.value === "web_push" ? sql`1 = 1`
        : c.value === "in_app" ? sql`${subscribers.externalId} is not null`
        : c.value === "email" ? userHas("email")
        : c.value === "fcm" ? sql`exists (select 1 from ${mobileDevices} m where m.site_id = ${subscribers.siteId} and m.external_id = ${subscribers.externalId} and m.active = 1)`
        : userHas("phone");
      return c.operator === "has" ? has : sql`not ${has}`;
    }
  }
  throw new Error(`unhandled segment condition ${JSON.stringify(c)}`);
}

/** The rules as one SQL condition on `subscribers`. */
export function segmentCondition(g: Group, now: number): SQL {
  const parts = g.rules.map((r) => sql`(${isGroup(r) ? segmentCondition(r, now) : condition(r, now)})`);
  return sql.join(parts, sql.raw(g.op === "and" ? " and " : " or "));
}

export const insertSegment = async (db: Db, row: SegmentRow) => (await db.insert(segments).values(row).returning().get())!;
export const findSegment = (db: Db, siteId: string, id: string) => db.select().from(segments).where(and(eq(segments.siteId, siteId), eq(segments.id, id))).get();
export const listSegments = (db: Db, siteId: string, before: string | undefined, limit: number) =>
  db
    .select()
    .from(segments)
    .where(and(eq(segments.siteId, siteId), before ? lt(segments.id, before) : undefined))
    .orderBy(desc(segments.id))
    .limit(limit)
    .all();
export const updateSegment = (db: Db, siteId: string, id: string, patch: Partial<SegmentRow>) =>
  db.update(segments).set(patch).where(and(eq(segments.siteId, siteId), eq(segments.id, id))).returning().get();
export const deleteSegment = (db: Db, siteId: string, id: string) =>
  db.delete(segments).where(and(eq(segments.siteId, siteId), eq(segments.id, id))).returning({ id: segments.id }).get();
