// Audience and pending-recipient SQL of the channels that address a site's users rather than
// push subscriptions: email, SMS and WhatsApp go to a user's address (site_users), FCM to each
// of a user's active mobile devices, in_app to every matching user's inbox. Targets name users (`all`, `external_ids`); tags and
// subscriber ids address push subscriptions only, so they match nobody here (the messages API
// refuses them for these channels). Like targeting.ts, lists travel as one JSON parameter.
import { and, asc, between, eq, gt, isNotNull, sql, type SQL } from "drizzle-orm";
import type { Target } from "../../contracts/target";
import type { Db } from "../client";
import { deliveries, mobileDevices, siteUsers, subscribers } from "../schema";

export type UserAddressChannel = "email" | "sms" | "whatsapp";

const inList = (values: string[]) => sql`(select value from json_each(${JSON.stringify(values)}))`;

function userTarget(target: Target, externalId: typeof siteUsers.externalId | typeof mobileDevices.externalId): SQL {
  if ("all" in target) return sql`1 = 1`;
  if ("external_ids" in target) return sql`${externalId} in ${inList(target.external_ids)}`;
  return sql`0 = 1`;
}

/** Users with a usable address for the channel (email for email; phone for SMS and WhatsApp). */
function reachableUsers(siteId: string, channel: UserAddressChannel, target: Target) {
  const address = channel === "email" ? siteUsers.email : siteUsers.phone;
  return and(
    eq(siteUsers.siteId, siteId),
    isNotNull(address),
    sql`json_extract(${siteUsers.unreachable}, ${`$.${channel}`}) is null`,
    userTarget(target, siteUsers.externalId),
  );
}

const notDelivered = (notificationId: string, channel: string, id: SQL | typeof siteUsers.id) =>
  sql`not exists (select 1 from ${deliveries} where ${deliveries.notificationId} = ${notificationId} and ${deliveries.channel} = ${channel} and ${deliveries.subscriberId} = ${id})`;

export const userAudienceIds = (db: Db, siteId: string, channel: UserAddressChannel, target: Target, afterId: string, limit: number) =>
  db
    .select({ id: siteUsers.id })
    .from(siteUsers)
    .where(and(reachableUsers(siteId, channel, target), gt(siteUsers.id, afterId)))
    .orderBy(asc(siteUsers.id))
    .limit(limit)
    .all();

/** The profile columns a template renders with (also the send policy's: db/queries/preferences.ts). */
export const userColumns = {
  id: siteUsers.id,
  externalId: siteUsers.externalId,
  email: siteUsers.email,
  phone: siteUsers.phone,
  locale: siteUsers.locale,
  timezone: siteUsers.timezone,
  attributes: siteUsers.attributes,
};
export type UserRecipientRow = { id: string; externalId: string; email: string | null; phone: string | null; locale: string | null; timezone: string | null; attributes: Record<string, unknown> };

/** Reachable users in [fromId, toId] without a delivery of this notification on this channel. */
export const pendingUsers = (db: Db, siteId: string, channel: UserAddressChannel, target: Target, notificationId: string, fromId: string, toId: string) =>
  db
    .select(userColumns)
    .from(siteUsers)
    .where(and(reachableUsers(siteId, channel, target), between(siteUsers.id, fromId, toId), notDelivered(notificationId, channel, siteUsers.id)))
    .orderBy(asc(siteUsers.id))
    .all() as Promise<UserRecipientRow[]>;

/** Marks one channel's address of a user unusable (hard bounce, invalid number): sends skip it
 *  until the address changes (services/users.ts clears the mark on a new email or phone). */
export const markUsersUnreachable = (db: Db, siteId: string, channel: UserAddressChannel, userIds: string[], mark: { reason: string; code?: string; at: number }) =>
  db
    .update(siteUsers)
    .set({ unreachable: sql`json_set(${siteUsers.unreachable}, ${`$.${channel}`}, json(${JSON.stringify(mark)}))` })
    .where(and(eq(siteUsers.siteId, siteId), sql`${siteUsers.id} in ${inList(userIds)}`))
    .run();

// ─── In-app: every site user has an inbox (no address to be missing) ──────────

const inAppUsers = (siteId: string, target: Target) => and(eq(siteUsers.siteId, siteId), userTarget(target, siteUsers.externalId));

export const inAppAudienceIds = (db: Db, siteId: string, target: Target, afterId: string, limit: number) =>
  db
    .select({ id: siteUsers.id })
    .from(siteUsers)
    .where(and(inAppUsers(siteId, target), gt(siteUsers.id, afterId)))
    .orderBy(asc(siteUsers.id))
    .limit(limit)
    .all();

/** Users in [fromId, toId] matching the target without an in_app delivery of this notification. */
export const pendingInAppUsers = (db: Db, siteId: string, target: Target, notificationId: string, fromId: string, toId: string) =>
  db
    .select(userColumns)
    .from(siteUsers)
    .where(and(inAppUsers(siteId, target), between(siteUsers.id, fromId, toId), notDelivered(notificationId, "in_app", siteUsers.id)))
    .orderBy(asc(siteUsers.id))
    .all() as Promise<UserRecipientRow[]>;

// ─── FCM: a user's active mobile devices ─────────────────────────────────────

const activeDevices = (siteId: string, target: Target) =>
  and(eq(mobileDevices.siteId, siteId), eq(mobileDevices.active, true), userTarget(target, mobileDevices.externalId));

export const deviceAudienceIds = (db: Db, siteId: string, target: Target, afterId: string, limit: number) =>
  db
    .select({ id: mobileDevices.id })
    .from(mobileDevices)
    .where(and(activeDevices(siteId, target), gt(mobileDevices.id, afterId)))
    .orderBy(asc(mobileDevices.id))
    .limit(limit)
    .all();

export type DeviceRecipientRow = { id: string; token: string; platform: string; user: Omit<UserRecipientRow, "id"> & { id: string | null } };

/** Active devices in [fromId, toId] without an FCM delivery of this notification, with their user (when one exists). */
export async function pendingDevices(db: Db, siteId: string, target: Target, notificationId: string, fromId: string, toId: string): Promise<DeviceRecipientRow[]> {
  const rows = await db
    .select({
      id: mobileDevices.id,
      token: mobileDevices.token,
      platform: mobileDevices.platform,
      externalId: mobileDevices.externalId,
      userId: siteUsers.id,
      email: siteUsers.email,
      phone: siteUsers.phone,
      locale: siteUsers.locale,
      timezone: siteUsers.timezone,
      attributes: siteUsers.attributes,
    })
    .from(mobileDevices)
    .leftJoin(siteUsers, and(eq(siteUsers.siteId, mobileDevices.siteId), eq(siteUsers.externalId, mobileDevices.externalId)))
    .where(and(activeDevices(siteId, target), between(mobileDevices.id, fromId, toId), notDelivered(notificationId, "fcm", sql`${mobileDevices.id}`)))
    .orderBy(asc(mobileDevices.id))
    .all();
  return rows.map((r) => ({
    id: r.id,
    token: r.token,
    platform: r.platform,
    user: { id: r.userId, externalId: r.externalId, email: r.email, phone: r.phone, locale: r.locale, timezone: r.timezone, attributes: r.attributes ?? {} },
  }));
}

/** Unregisters devices whose token the provider called gone (UNREGISTERED, invalid); returns
 *  the ones this call unregistered (for their subscriber.deleted events). */
export const pruneDevices = (db: Db, siteId: string, ids: string[], now: number) =>
  db
    .update(mobileDevices)
    .set({ active: false, unregisteredAt: now })
    .where(and(eq(mobileDevices.siteId, siteId), sql`${mobileDevices.id} in ${inList(ids)}`, eq(mobileDevices.active, true)))
    .returning({ id: mobileDevices.id, externalId: mobileDevices.externalId })
    .all();

/** The external ids behind recipient ids of any channel (site users, mobile devices, push
 *  subscriptions); ids without a known person are left out. */
export async function externalIdsOf(db: Db, siteId: string, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const list = inList(ids);
  const rows = await db.all<{ id: string; externalId: string }>(sql`
    select ${siteUsers.id} as id, ${siteUsers.externalId} as externalId from ${siteUsers} where ${siteUsers.siteId} = ${siteId} and ${siteUsers.id} in ${list}
    union all select ${mobileDevices.id}, ${mobileDevices.externalId} from ${mobileDevices} where ${mobileDevices.siteId} = ${siteId} and ${mobileDevices.id} in ${list}
    union all select ${subscribers.id}, ${subscribers.externalId} from ${subscribers} where ${subscribers.siteId} = ${siteId} and ${subscribers.id} in ${list} and ${subscribers.externalId} is not null`);
  return new Map(rows.map((r) => [r.id, r.externalId]));
}
