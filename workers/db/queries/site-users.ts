// SQL for a site's own users and their mobile devices. Every query is scoped by site_id.
import { and, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { deliveries, events, mobileDevices, notifications, siteUsers, subscribers } from "../schema";
import { eraseUserCapLedger } from "./caps";

export type SiteUserRow = typeof siteUsers.$inferSelect;
export type MobileDeviceRow = typeof mobileDevices.$inferSelect;
export type UserDeliveryRow = Awaited<ReturnType<typeof userDeliveries>>[number];

export const findUser = (db: Db, siteId: string, externalId: string) =>
  db.select().from(siteUsers).where(and(eq(siteUsers.siteId, siteId), eq(siteUsers.externalId, externalId))).get();

/** Creates the user, or applies `update` to the one with this external id. Returns the row and whether it was new. */
/** A profile update: fields as given, and optionally the reset of unreachable marks (clearUnreachable). */
export type UserUpdate = Partial<Pick<SiteUserRow, "email" | "phone" | "locale" | "timezone" | "attributes">> & { unreachable?: SQL };

/** Forgets the unreachable marks of these channels (the address changed). */
export const clearUnreachable = (channels: string[]): SQL =>
  sql`json_remove(${siteUsers.unreachable}, ${sql.join(
    channels.map((c) => sql`${`$.${c}`}`),
    sql`, `,
  )})`;

export async function upsertUser(db: Db, row: SiteUserRow, update: UserUpdate) {
  const result = await db
    .insert(siteUsers)
    .values(row)
    .onConflictDoUpdate({ target: [siteUsers.siteId, siteUsers.externalId], set: { ...update, updatedAt: row.updatedAt } })
    .returning()
    .get();
  return { row: result!, created: result!.id === row.id };
}

/** Records that a user exists (a browser subscribed with their verified id); changes nothing if they do. */
export const ensureUser = (db: Db, row: SiteUserRow) => db.insert(siteUsers).values(row).onConflictDoNothing().run();

export const updateUser = (db: Db, siteId: string, externalId: string, patch: UserUpdate & { updatedAt: number }) =>
  db.update(siteUsers).set(patch).where(and(eq(siteUsers.siteId, siteId), eq(siteUsers.externalId, externalId))).run();

export interface UserFilter {
  email?: string;
  locale?: string;
  /** A prefix of the external id or of the e-mail (lower-cased by the service). */
  q?: string;
}

/** `column` starts with `prefix`, as a range the column's index can serve (LIKE cannot: it is
 *  case-insensitive in SQLite, and ids are not). */
const startsWith = (column: typeof siteUsers.externalId | typeof siteUsers.email, prefix: string) =>
  sql`(${column} >= ${prefix} and ${column} < ${prefix + "\u{10FFFF}"})`;

export function listUsers(db: Db, siteId: string, filter: UserFilter, cursor: string | undefined, limit: number) {
  const conditions: SQL[] = [eq(siteUsers.siteId, siteId)];
  if (filter.email) conditions.push(eq(siteUsers.email, filter.email));
  if (filter.locale) conditions.push(eq(siteUsers.locale, filter.locale));
  if (filter.q) conditions.push(sql`(${startsWith(siteUsers.externalId, filter.q)} or ${startsWith(siteUsers.email, filter.q.toLowerCase())})`);
  if (cursor) conditions.push(lt(siteUsers.id, cursor));
  return db.select().from(siteUsers).where(and(...conditions)).orderBy(desc(siteUsers.id)).limit(limit).all();
}

/** The user's web push subscriptions (devices that subscribed with their verified id). */
export const userSubscriptions = (db: Db, siteId: string, externalId: string) =>
  db.select().from(subscribers).where(and(eq(subscribers.siteId, siteId), eq(subscribers.externalId, externalId))).orderBy(desc(subscribers.id)).all();

export const userMobileDevices = (db: Db, siteId: string, externalId: string) =>
  db.select().from(mobileDevices).where(and(eq(mobileDevices.siteId, siteId), eq(mobileDevices.externalId, externalId))).orderBy(desc(mobileDevices.id)).all();

export const findMobileDeviceByToken = (db: Db, siteId: string, token: string) =>
  db.select({ id: mobileDevices.id }).from(mobileDevices).where(and(eq(mobileDevices.siteId, siteId), eq(mobileDevices.token, token))).get();

/** Registers an FCM token for the user; a token already known (the app re-registering, or the
 *  device changing hands) moves to this user and becomes active again. */
export const upsertMobileDevice = (db: Db, row: MobileDeviceRow) =>
  db
    .insert(mobileDevices)
    .values(row)
    .onConflictDoUpdate({
      target: [mobileDevices.siteId, mobileDevices.token],
      set: { externalId: row.externalId, platform: row.platform, active: true, lastSeenAt: row.lastSeenAt, unregisteredAt: null },
    })
    .returning()
    .get();

/** Deletes the user's device; returns it (for its subscriber.deleted event) or undefined. */
export const deleteMobileDevice = (db: Db, siteId: string, externalId: string, id: string) =>
  db
    .delete(mobileDevices)
    .where(and(eq(mobileDevices.siteId, siteId), eq(mobileDevices.externalId, externalId), eq(mobileDevices.id, id)))
    .returning({ id: mobileDevices.id, externalId: mobileDevices.externalId, active: mobileDevices.active })
    .get();

/** Unlinks a web push subscription from the user (the browser stays subscribed, anonymously). */
export const unlinkSubscription = (db: Db, siteId: string, externalId: string, id: string) =>
  db
    .update(subscribers)
    .set({ externalId: null })
    .where(and(eq(subscribers.siteId, siteId), eq(subscribers.externalId, externalId), eq(subscribers.id, id)))
    .run();

/** Every recipient id deliveries and events of this user are recorded under: their push
 *  subscriptions, their mobile devices and the user themself (email, SMS, WhatsApp). */
const recipientIds = (siteId: string, externalId: string) =>
  sql`(select ${subscribers.id} from ${subscribers} where ${subscribers.siteId} = ${siteId} and ${subscribers.externalId} = ${externalId}
      union all select ${mobileDevices.id} from ${mobileDevices} where ${mobileDevices.siteId} = ${siteId} and ${mobileDevices.externalId} = ${externalId}
      union all select ${siteUsers.id} from ${siteUsers} where ${siteUsers.siteId} = ${siteId} and ${siteUsers.externalId} = ${externalId})`;

/** GDPR erasure: the user, their devices, and every delivery and event of theirs, in one transaction. */
export function eraseUser(db: Db, siteId: string, externalId: string) {
  const ids = recipientIds(siteId, externalId);
  return db.batch([
    db.delete(events).where(and(eq(events.siteId, siteId), sql`${events.subscriberId} in ${ids}`)),
    db.delete(deliveries).where(and(eq(deliveries.siteId, siteId), sql`${deliveries.subscriberId} in ${ids}`)),
    db.delete(subscribers).where(and(eq(subscribers.siteId, siteId), eq(subscribers.externalId, externalId))),
    db.delete(mobileDevices).where(and(eq(mobileDevices.siteId, siteId), eq(mobileDevices.externalId, externalId))),
    db.delete(siteUsers).where(and(eq(siteUsers.siteId, siteId), eq(siteUsers.externalId, externalId))),
    eraseUserCapLedger(db, siteId, externalId),
  ]);
}

/** Deliveries (every channel) and events of the user, for the export. */
export const userHistory = async (db: Db, siteId: string, externalId: string) => {
  const ids = recipientIds(siteId, externalId);
  const [deliveryRows, eventRows] = await Promise.all([
    db.select().from(deliveries).where(and(eq(deliveries.siteId, siteId), sql`${deliveries.subscriberId} in ${ids}`)).all(),
    db.select().from(events).where(and(eq(events.siteId, siteId), sql`${events.subscriberId} in ${ids}`)).orderBy(desc(events.createdAt)).all(),
  ]);
  return { deliveryRows, eventRows };
};

/** What the user received, newest first, across channels (a page; the cursor is "<created_at>:<notification id>:<channel>:<recipient>"). */
export function userDeliveries(db: Db, siteId: string, externalId: string, cursor: string | undefined, limit: number) {
  const key = sql<string>`printf('%015d', ${deliveries.createdAt}) || ':' || ${deliveries.notificationId} || ':' || ${deliveries.channel} || ':' || ${deliveries.subscriberId}`;
  return db
    .select({
      notificationId: deliveries.notificationId,
      kind: notifications.kind,
      content: notifications.content,
      channelContent: notifications.channelContent,
      template: notifications.template,
      channel: deliveries.channel,
      recipientId: deliveries.subscriberId,
      status: deliveries.status,
      reason: deliveries.reason,
      providerStatus: deliveries.providerStatus,
      createdAt: deliveries.createdAt,
      cursor: key,
    })
    .from(deliveries)
    .innerJoin(notifications, eq(notifications.id, deliveries.notificationId))
    .where(and(eq(deliveries.siteId, siteId), sql`${deliveries.subscriberId} in ${recipientIds(siteId, externalId)}`, cursor ? lt(key, cursor) : undefined))
    .orderBy(desc(key))
    .limit(limit)
    .all();
}
