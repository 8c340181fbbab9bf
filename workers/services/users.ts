// A site's own users (known by their external_id) and their devices: profiles with email,
// phone, locale, timezone and attributes; web push subscriptions that subscribed with the
// user's verified id and FCM tokens registered by the site's backend are the user's devices.
// Erasure removes the user, every device and their delivery history (GDPR Art. 17); export
// returns all of it (Art. 15).
import { failureLabel } from "../contracts/failure-reasons";
import { eraseInbox, inboxItems, presence } from "./inbox";
import { headline } from "./messages";
import { emitWebhookEvents } from "./webhooks/emit";
import { deviceRegistered, emitDevicesEnded, emitSubscriptionsEnded } from "./webhooks/events";
import * as q from "../db/queries/site-users";
import { ApiError } from "../errors";
import { newId } from "../lib/ids";
import type { Deps } from "./deps";

export interface UserInput {
  email?: string | null;
  phone?: string | null;
  locale?: string | null;
  timezone?: string | null;
  attributes?: Record<string, unknown>;
}

export interface UserView {
  external_id: string;
  email: string | null;
  phone: string | null;
  locale: string | null;
  timezone: string | null;
  attributes: Record<string, unknown>;
  unreachable: Record<string, { reason: string; code: string | null; at: number }>;
  created_at: number;
  updated_at: number;
}

export interface DeviceView {
  id: string;
  type: "web_push" | "fcm";
  /** Browser and OS for web push ("Chrome on macOS"), android or ios for FCM. */
  platform: string | null;
  active: boolean;
  created_at: number;
  last_seen_at: number;
}

const view = (u: q.SiteUserRow): UserView => ({
  external_id: u.externalId,
  email: u.email,
  phone: u.phone,
  locale: u.locale,
  timezone: u.timezone,
  attributes: u.attributes,
  unreachable: Object.fromEntries(Object.entries(u.unreachable ?? {}).map(([c, m]) => [c, { reason: m!.reason, code: m!.code ?? null, at: m!.at }])),
  created_at: u.createdAt,
  updated_at: u.updatedAt,
});

/** Only the fields the caller gave (null clears), normalised: e-mail lower-cased, locale canonical. */
function profilePatch(input: UserInput) {
  const patch: Partial<Pick<q.SiteUserRow, "email" | "phone" | "locale" | "timezone" | "attributes">> = {};
  if (input.email !== undefined) patch.email = input.email?.trim().toLowerCase() ?? null;
  if (input.phone !== undefined) patch.phone = input.phone;
  if (input.locale !== undefined) patch.locale = input.locale === null ? null : Intl.getCanonicalLocales(input.locale)[0]!;
  if (input.timezone !== undefined) patch.timezone = input.timezone;
  if (input.attributes !== undefined) patch.attributes = input.attributes;
  return patch;
}

/** The update of an existing user: the patch, and a new address is worth trying again — the
 *  channels it had been unreachable on are forgotten. */
function profileUpdate(patch: ReturnType<typeof profilePatch>) {
  const cleared = [...(patch.email !== undefined ? ["email"] : []), ...(patch.phone !== undefined ? ["sms", "whatsapp"] : [])];
  return cleared.length ? { ...patch, unreachable: q.clearUnreachable(cleared) } : patch;
}

function newRow(siteId: string, externalId: string, now: number): q.SiteUserRow {
  return { id: newId("eu", now), siteId, externalId, email: null, phone: null, locale: null, timezone: null, attributes: {}, unreachable: {}, preferences: {}, createdAt: now, updatedAt: now };
}

/** Creates the user or updates the one with this external id (an idempotent "identify"). */
export async function upsertUser(deps: Deps, siteId: string, externalId: string, input: UserInput) {
  const now = deps.now();
  const patch = profilePatch(input);
  const { row, created } = await q.upsertUser(deps.db, { ...newRow(siteId, externalId, now), ...patch }, profileUpdate(patch));
  return { user: view(row), created };
}

/** A browser subscribed with this verified id: the user exists from now on (nothing else changes). */
export async function ensureUser(deps: Deps, siteId: string, externalId: string) {
  await q.ensureUser(deps.db, newRow(siteId, externalId, deps.now()));
}

async function load(deps: Deps, siteId: string, externalId: string) {
  const row = await q.findUser(deps.db, siteId, externalId);
  if (!row) throw new ApiError("not_found", "User not found.");
  return row;
}

export const getUser = async (deps: Deps, siteId: string, externalId: string) => view(await load(deps, siteId, externalId));

/** The user with their presence: whether a client of theirs holds the inbox WebSocket now, and
 *  when one last did (issue #9 §2). */
export async function getUserWithPresence(deps: Deps, siteId: string, externalId: string) {
  const user = await getUser(deps, siteId, externalId);
  return { ...user, presence: await presence(deps, siteId, externalId) };
}

export async function updateUser(deps: Deps, siteId: string, externalId: string, input: UserInput) {
  await load(deps, siteId, externalId);
  const patch = profilePatch(input);
  if (Object.keys(patch).length) await q.updateUser(deps.db, siteId, externalId, { ...profileUpdate(patch), updatedAt: deps.now() });
  return getUser(deps, siteId, externalId);
}

export async function listUsers(deps: Deps, siteId: string, filter: q.UserFilter, cursor: string | undefined, limit: number) {
  const rows = await q.listUsers(deps.db, siteId, { ...filter, email: filter.email?.toLowerCase() }, cursor, limit + 1);
  const page = rows.slice(0, limit);
  return { data: page.map(view), next_cursor: rows.length > limit ? page[page.length - 1]!.id : null };
}

const mobileView = (d: q.MobileDeviceRow): DeviceView => ({
  id: d.id,
  type: "fcm",
  platform: d.platform,
  active: d.active,
  created_at: d.createdAt,
  last_seen_at: d.lastSeenAt,
});

export async function listDevices(deps: Deps, siteId: string, externalId: string): Promise<DeviceView[]> {
  await load(deps, siteId, externalId);
  const [subs, mobile] = await Promise.all([q.userSubscriptions(deps.db, siteId, externalId), q.userMobileDevices(deps.db, siteId, externalId)]);
  return [
    ...subs.map((s): DeviceView => ({
      id: s.id,
      type: "web_push",
      platform: [s.browser, s.os].filter(Boolean).join(" on ") || null,
      active: s.active,
      created_at: s.subscribedAt,
      last_seen_at: s.lastSeenAt,
    })),
    ...mobile.map(mobileView),
  ];
}

/** Registers an FCM registration token for an existing user (create them first: POST /users). */
export async function registerDevice(deps: Deps, siteId: string, externalId: string, input: { type: "fcm"; token: string; platform: "android" | "ios" }) {
  const now = deps.now();
  await load(deps, siteId, externalId);
  const known = await q.findMobileDeviceByToken(deps.db, siteId, input.token);
  const row = await q.upsertMobileDevice(deps.db, {
    id: newId("dev", now),
    siteId,
    externalId,
    token: input.token,
    platform: input.platform,
    active: true,
    createdAt: now,
    lastSeenAt: now,
    unregisteredAt: null,
  });
  if (!known) await emitWebhookEvents(deps, siteId, [deviceRegistered(row!)]);
  return { device: mobileView(row!), created: !known };
}

/** Removes a device from the user: an FCM token is deleted, a browser is unlinked (it stays subscribed, anonymously). */
export async function removeDevice(deps: Deps, siteId: string, externalId: string, deviceId: string) {
  if (deviceId.startsWith("dev_")) {
    const removed = await q.deleteMobileDevice(deps.db, siteId, externalId, deviceId);
    if (!removed) throw new ApiError("not_found", "Device not found.");
    if (removed.active) await emitDevicesEnded(deps, siteId, [removed], "unsubscribed", deps.now());
    return;
  }
  const res = await q.unlinkSubscription(deps.db, siteId, externalId, deviceId);
  if (res.meta.changes !== 1) throw new ApiError("not_found", "Device not found.");
}

export async function eraseUser(deps: Deps, siteId: string, externalId: string) {
  await load(deps, siteId, externalId);
  const [subs, devices] = await Promise.all([q.userSubscriptions(deps.db, siteId, externalId), q.userMobileDevices(deps.db, siteId, externalId)]);
  await q.eraseUser(deps.db, siteId, externalId);
  await eraseInbox(deps.env, siteId, externalId);
  const now = deps.now();
  await emitSubscriptionsEnded(deps, siteId, subs.filter((x) => x.active), "erased", now);
  await emitDevicesEnded(deps, siteId, devices.filter((d) => d.active), "erased", now);
}

/** Everything held about the user (GDPR Art. 15). Push endpoints and FCM tokens are the user's data too. */
export async function exportUser(deps: Deps, siteId: string, externalId: string) {
  const user = await load(deps, siteId, externalId);
  const [subs, mobile, history, inbox] = await Promise.all([
    q.userSubscriptions(deps.db, siteId, externalId),
    q.userMobileDevices(deps.db, siteId, externalId),
    q.userHistory(deps.db, siteId, externalId),
    inboxItems(deps, siteId, externalId),
  ]);
  return {
    exported_at: deps.now(),
    user: view(user),
    web_push_subscriptions: subs.map((s) => ({
      id: s.id,
      endpoint: s.endpoint,
      browser: s.browser,
      os: s.os,
      language: s.language,
      timezone: s.timezone,
      country: s.country,
      tags: s.tags,
      active: s.active,
      subscribed_at: s.subscribedAt,
      last_seen_at: s.lastSeenAt,
    })),
    mobile_devices: mobile.map((d) => ({ id: d.id, token: d.token, platform: d.platform, active: d.active, created_at: d.createdAt, last_seen_at: d.lastSeenAt })),
    deliveries: history.deliveryRows.map((d) => ({
      notification_id: d.notificationId,
      channel: d.channel,
      recipient_id: d.subscriberId,
      status: d.status,
      reason: d.reason,
      provider_status: d.providerStatus,
      created_at: d.createdAt,
    })),
    events: history.eventRows.map((e) => ({ type: e.type, action: e.action, notification_id: e.notificationId, device_id: e.subscriberId, created_at: e.createdAt })),
    inbox_items: inbox,
  };
}

/** What the user received on every channel, newest first. */
export async function userMessages(deps: Deps, siteId: string, externalId: string, cursor: string | undefined, limit: number) {
  await load(deps, siteId, externalId);
  const rows = await q.userDeliveries(deps.db, siteId, externalId, cursor, limit + 1);
  const page = rows.slice(0, limit);
  return {
    data: page.map((r) => ({
      notification_id: r.notificationId,
      kind: r.kind,
      headline: headline(r, r.channel),
      channel: r.channel,
      recipient_id: r.recipientId,
      status: r.providerStatus ?? r.status,
      reason: r.reason,
      reason_label: r.reason ? failureLabel(r.reason) : null,
      at: r.createdAt,
    })),
    next_cursor: rows.length > limit ? page[page.length - 1]!.cursor : null,
  };
}
