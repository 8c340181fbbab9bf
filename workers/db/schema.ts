// The relational model of Herald (D1 via drizzle-orm). Conventions: snake_case
// columns, ids are prefixed random strings (see lib/ids.ts), timestamps are integer
// unix milliseconds, JSON columns hold small structured values. Every index here
// serves a query in db/queries; migrations are generated from this file by drizzle-kit.

import type { DigestRule, FrequencyCap, LocalDelivery, Priority, QuietHours, StoredPreferences } from "../contracts/preferences";
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export type Role = "owner" | "admin" | "member";

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(), // stored lower-cased
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(), // "pbkdf2-sha256$<iter>$<salt b64>$<hash b64>"
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** A login session: every refresh token issued from one login belongs to one family. */
export const refreshTokenFamilies = sqliteTable(
  "refresh_token_families",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
    revokedReason: text("revoked_reason"), // logout | reuse_detected
  },
  (t) => [index("refresh_token_families_user_idx").on(t.userId)],
);

export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: text("id").primaryKey(),
    familyId: text("family_id").notNull().references(() => refreshTokenFamilies.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(), // SHA-256 hex of the opaque token
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    rotatedAt: integer("rotated_at"), // set when exchanged; presenting it again is reuse
  },
  (t) => [index("refresh_tokens_family_idx").on(t.familyId)],
);

/** A tenant: one website that sends notifications. */
export const sites = sqliteTable("sites", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  url: text("url").notNull(),
  siteKey: text("site_key").notNull().unique(), // public, embedded in the SDK tag
  settings: text("settings", { mode: "json" }).notNull().$type<SiteSettings>(),
  vapidWarning: text("vapid_warning"), // set when a push service rejects our VAPID auth
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export interface SiteSettings {
  timezone: string;
  default_ttl_s: number;
  default_icon: string | null;
  value_per_click: number;
  /** ISO 4217 code of the site's money figures (value per click). Older sites lack it: USD. */
  currency?: string;
  allowed_origins: string[];
  soft_prompt: { enabled: boolean; text: string; delay_s: number };
  // ─── In-app inbox (issue #9) ───
  /** Inbox items are deleted this many days after they arrive (1–3650). Older sites lack it: 90. */
  inbox_retention_days?: number;
  // ─── Preferences (issue #9 §3) ───
  /** The quiet hours of users who set none (in each user's timezone, else the site's). Older sites lack it: none. */
  quiet_hours?: QuietHours | null;
  /** At most N notifications per recipient per day / week (services/preferences/caps.ts). Older sites lack it: none. */
  frequency_cap?: FrequencyCap | null;
}

export const siteMembers = sqliteTable(
  "site_members",
  {
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    role: text("role").notNull().$type<Role>(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.userId] }), index("site_members_user_idx").on(t.userId)],
);

/**
 * Identity verification (issue #7): the site's backend signs each external_id with this
 * secret (HMAC-SHA256), so a browser cannot claim someone else's identity. Sealed like the
 * VAPID key. After a rotation the previous secret stays valid until previous_expires_at,
 * so pages rendered with the old hash keep working while the site deploys the new one.
 */
export const siteIdentitySecrets = sqliteTable("site_identity_secrets", {
  siteId: text("site_id").primaryKey().references(() => sites.id, { onDelete: "cascade" }),
  secretEnc: text("secret_enc").notNull(), // envelope, see lib/envelope.ts
  hint: text("hint").notNull(), // last 4 characters, to recognise it in settings
  createdAt: integer("created_at").notNull(),
  previousEnc: text("previous_enc"),
  previousExpiresAt: integer("previous_expires_at"),
});

/**
 * Invitations to a site's team: the invitee accepts or declines from their own account,
 * so nobody is put into a stranger's site without consent. Matched by e-mail (lower-cased);
 * one row per (site, email), re-used when someone is invited again.
 */
export const siteInvitations = sqliteTable(
  "site_invitations",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: text("role").notNull().$type<Role>(),
    invitedBy: text("invited_by"),
    status: text("status").notNull().$type<InvitationStatus>(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    respondedAt: integer("responded_at"),
  },
  (t) => [uniqueIndex("site_invitations_site_email_uq").on(t.siteId, t.email), index("site_invitations_email_idx").on(t.email, t.status)],
);
export type InvitationStatus = "pending" | "accepted" | "declined" | "revoked";

/** Secrets at rest: AES-256-GCM envelopes bound to (site id, purpose). */
export const siteVapidKeys = sqliteTable("site_vapid_keys", {
  siteId: text("site_id").primaryKey().references(() => sites.id, { onDelete: "cascade" }),
  publicKey: text("public_key").notNull(), // b64url, 65-byte uncompressed P-256 point
  privateKeyEnc: text("private_key_enc").notNull(), // envelope, see lib/envelope.ts
  createdAt: integer("created_at").notNull(),
});

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(), // first chars of the key, for recognition in lists
    keyHash: text("key_hash").notNull().unique(), // SHA-256 hex of the whole key
    scopes: text("scopes", { mode: "json" }).notNull().$type<string[]>(),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("api_keys_site_idx").on(t.siteId, t.createdAt)],
);

/** A browser push subscription of one visitor of one site. */
export const subscribers = sqliteTable(
  "subscribers",
  {
    id: text("id").primaryKey(), // time-ordered, so fan-out can page by id ranges
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    endpoint: text("endpoint").notNull(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    expirationTime: integer("expiration_time"),
    tags: text("tags", { mode: "json" }).notNull().$type<string[]>(),
    externalId: text("external_id"),
    browser: text("browser"),
    os: text("os"),
    language: text("language"),
    timezone: text("timezone"),
    country: text("country"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    subscribedAt: integer("subscribed_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    unsubscribedAt: integer("unsubscribed_at"),
    unsubscribeReason: text("unsubscribe_reason"), // unsubscribed | gone | replaced
  },
  (t) => [
    uniqueIndex("subscribers_site_endpoint_uq").on(t.siteId, t.endpoint),
    index("subscribers_site_active_id_idx").on(t.siteId, t.active, t.id),
    index("subscribers_site_external_idx").on(t.siteId, t.externalId),
    index("subscribers_site_subscribed_idx").on(t.siteId, t.subscribedAt),
    index("subscribers_site_unsubscribed_idx").on(t.siteId, t.unsubscribedAt),
    index("subscribers_site_country_idx").on(t.siteId, t.country),
    index("subscribers_site_last_seen_idx").on(t.siteId, t.lastSeenAt),
  ],
);

/**
 * A site's own user (issue #8: "users and devices"), known by the site's external_id. Their
 * devices are the push subscriptions that subscribed with that verified external_id and the
 * mobile devices registered for them; their addresses are the email and phone below.
 */
export const siteUsers = sqliteTable(
  "site_users",
  {
    id: text("id").primaryKey(), // time-ordered: cursor pages and fan-out ranges
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    email: text("email"), // lower-cased
    phone: text("phone"), // E.164
    locale: text("locale"), // BCP 47, canonical form
    timezone: text("timezone"), // IANA
    attributes: text("attributes", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
    /** Channels whose address proved unusable (a hard bounce, an invalid or landline number),
     *  with the provider's reason: sends skip them until the address changes. */
    unreachable: text("unreachable", { mode: "json" }).notNull().default({}).$type<Partial<Record<"email" | "sms" | "whatsapp", UnreachableMark>>>(),
    /** What the user chose (issue #9 §3): channel switches, per-category overrides, quiet hours. */
    preferences: text("preferences", { mode: "json" }).notNull().default({}).$type<StoredPreferences>(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("site_users_site_external_uq").on(t.siteId, t.externalId),
    index("site_users_site_id_idx").on(t.siteId, t.id),
    index("site_users_site_email_idx").on(t.siteId, t.email),
  ],
);

export interface UnreachableMark {
  reason: string;
  code?: string;
  at: number;
}

/** A mobile app installation of a site user: an FCM registration token (Android, and iOS through FCM). */
export const mobileDevices = sqliteTable(
  "mobile_devices",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    token: text("token").notNull(),
    platform: text("platform").notNull().$type<"android" | "ios">(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    unregisteredAt: integer("unregistered_at"),
  },
  (t) => [
    uniqueIndex("mobile_devices_site_token_uq").on(t.siteId, t.token),
    index("mobile_devices_site_external_idx").on(t.siteId, t.externalId),
    index("mobile_devices_site_active_id_idx").on(t.siteId, t.active, t.id),
  ],
);

export type NotificationStatus = "draft" | "scheduled" | "sending" | "completed" | "cancelled" | "failed";
/** A campaign is composed in the dashboard or POST …/notifications (web push to subscribers);
 *  a message comes from POST …/messages (any channels, to users, from a template or inline). */
export type NotificationKind = "campaign" | "message";

export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    status: text("status").notNull().$type<NotificationStatus>(),
    /** The web push content (contracts/content.ts); {} when the send has no web push part. */
    content: text("content", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
    target: text("target", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
    kind: text("kind").notNull().default("campaign").$type<NotificationKind>(),
    /** The channels this send fans out on (contracts/channels.ts), in planning order. */
    channels: text("channels", { mode: "json" }).notNull().default(["web_push"]).$type<string[]>(),
    /** Inline content of the other channels (contracts/message-content.ts, without web_push). */
    channelContent: text("channel_content", { mode: "json" }).$type<Record<string, unknown>>(),
    /** The template a message renders per recipient, pinned to the version current at creation. */
    template: text("template", { mode: "json" }).$type<{ key: string; version: number }>(),
    /** The message's data, the template's `data.*` variables. */
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>(),
    /** The site category (contracts/preferences.ts) the send belongs to: preferences and digests key on it. */
    category: text("category"),
    /** normal | urgent: urgent passes quiet hours and digests (contracts/preferences.ts). */
    priority: text("priority").notNull().default("normal").$type<Priority>(),
    /** Set on a digest (services/preferences/digest-flush.ts): the digest key (category) it
     *  collects. A digest is never digested again. */
    digest: text("digest"),
    /** Delivered at this wall-clock time in each recipient's timezone (issue #10 §2;
     *  services/preferences/decide.ts defers each recipient until their moment). */
    localDelivery: text("local_delivery", { mode: "json" }).$type<LocalDelivery>(),
    /** An A/B test (issue #10 §7; services/ab-tests): on the campaign that runs it. */
    abTest: text("ab_test", { mode: "json" }).$type<import("../contracts/ab-test").StoredAbTest>(),
    /** Set on the sends of an A/B test's variants and its winner: the campaign they belong to. */
    parentId: text("parent_id"),
    /** Which variant (0-based) a child send carries. */
    variant: integer("variant"),
    scheduledAt: integer("scheduled_at"),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    startedAt: integer("started_at"),
    completedAt: integer("completed_at"),
    targeted: integer("targeted").notNull().default(0),
    batchesTotal: integer("batches_total").notNull().default(0),
    /** Last sign of life of a send (a chunk recorded, a batch finished, a recovery): cron
     *  re-enqueues the unfinished batches of a send whose progress stalled (issue #7). */
    progressAt: integer("progress_at"),
    /** Sent notifications are archived (hidden from the list, stats kept), never deleted. */
    archivedAt: integer("archived_at"),
  },
  (t) => [
    index("notifications_site_created_idx").on(t.siteId, t.createdAt),
    index("notifications_site_kind_created_idx").on(t.siteId, t.kind, t.createdAt),
    index("notifications_due_idx").on(t.status, t.scheduledAt),
    index("notifications_parent_idx").on(t.parentId).where(sql`${t.parentId} IS NOT NULL`),
  ],
);

/**
 * One row per (notification, channel, recipient): the at-most-once guard of the sender. The
 * recipient (subscriber_id) is a push subscription for web push, a site user for email, SMS and
 * WhatsApp, a mobile device for FCM. `status` is what the send came to; `provider_status` is what
 * the provider reported later through a status callback (delivered, bounced, undelivered, failed).
 */
export const deliveries = sqliteTable(
  "deliveries",
  {
    notificationId: text("notification_id").notNull().references(() => notifications.id, { onDelete: "cascade" }),
    channel: text("channel").notNull().default("web_push"),
    subscriberId: text("subscriber_id").notNull(),
    siteId: text("site_id").notNull(),
    status: text("status").notNull().$type<DeliveryStatus>(),
    reason: text("reason"),
    httpStatus: integer("http_status"),
    providerMessageId: text("provider_message_id"),
    providerCode: text("provider_code"),
    providerStatus: text("provider_status"),
    providerStatusAt: integer("provider_status_at"),
    createdAt: integer("created_at").notNull(),
    /** A deferred delivery (quiet hours): when the release job sends it (cron/release-deferred.ts). */
    releaseAt: integer("release_at"),
  },
  (t) => [
    primaryKey({ columns: [t.notificationId, t.channel, t.subscriberId] }),
    index("deliveries_provider_message_idx").on(t.siteId, t.providerMessageId),
    index("deliveries_release_idx").on(t.releaseAt).where(sql`${t.status} = 'deferred'`),
    index("deliveries_subscriber_idx").on(t.subscriberId),
    index("deliveries_site_created_idx").on(t.siteId, t.createdAt),
  ],
);

/** sent, failed, pruned: what a send came to. skipped (the user opted out), deferred (quiet
 *  hours, until release_at), digested (collected into a digest): what the decision held back
 *  (services/preferences/decide.ts). */
export type DeliveryStatus = "sent" | "failed" | "pruned" | "skipped" | "deferred" | "digested";

/**
 * Engagement events from the service worker, each (delivery, type) once. Kept apart
 * from deliveries because an impression can arrive before its delivery row is written.
 */
export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id").notNull(),
    notificationId: text("notification_id").notNull(),
    subscriberId: text("subscriber_id").notNull(),
    type: text("type").notNull(), // impression | click | dismiss
    action: text("action"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("events_delivery_type_uq").on(t.notificationId, t.subscriberId, t.type),
    index("events_site_created_idx").on(t.siteId, t.createdAt),
    index("events_subscriber_idx").on(t.subscriberId),
    index("events_subscriber_type_idx").on(t.subscriberId, t.type, t.createdAt),
  ],
);

/** Idempotency-Key replays: the first response to (site, key) is stored and returned again. */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    siteId: text("site_id").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    status: integer("status").notNull(),
    body: text("body").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.key] }), index("idempotency_keys_created_idx").on(t.createdAt)],
);


/**
 * The planner's cut of one send into batches of subscriber-id ranges. Stored so a
 * re-run planner reuses the same ranges, and so completion is counted once per batch
 * however often a queue message is redelivered.
 */
export const notificationBatches = sqliteTable(
  "notification_batches",
  {
    notificationId: text("notification_id").notNull().references(() => notifications.id, { onDelete: "cascade" }),
    batch: integer("batch").notNull(),
    /** The channel whose recipients the range holds (batch numbers run on across channels). */
    channel: text("channel").notNull().default("web_push"),
    fromId: text("from_id").notNull(),
    toId: text("to_id").notNull(),
    size: integer("size").notNull(),
    doneAt: integer("done_at"),
    /** The queue message working on this batch holds it until lease_until (renewed per
     *  recorded chunk; held through a retry delay): a duplicate message never sends the same
     *  range concurrently, while the holder's own retry (same message id) resumes at once. */
    leasedBy: text("leased_by"),
    leaseUntil: integer("lease_until"),
  },
  (t) => [primaryKey({ columns: [t.notificationId, t.batch] })],
);

/** Queue messages that exhausted their retries, as recorded by the DLQ consumer. */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    queue: text("queue").notNull(),
    notificationId: text("notification_id"),
    body: text("body", { mode: "json" }).notNull(),
    attempts: integer("attempts").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("dead_letters_notification_idx").on(t.notificationId)],
);

/**
 * Daily roll-up per site and notification, on the site's local calendar date. Rows are
 * recomputed from deliveries/events/subscribers (never incremented), so the cron job
 * is safe to run twice. notification_id '' holds the site-level row (subscribers gained/lost).
 */
export const analyticsDaily = sqliteTable(
  "analytics_daily",
  {
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    notificationId: text("notification_id").notNull(),
    date: text("date").notNull(), // YYYY-MM-DD in the site's timezone
    targeted: integer("targeted").notNull().default(0),
    sent: integer("sent").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    pruned: integer("pruned").notNull().default(0),
    impressions: integer("impressions").notNull().default(0),
    clicks: integer("clicks").notNull().default(0),
    dismissals: integer("dismissals").notNull().default(0),
    value: real("value").notNull().default(0),
    subscribersGained: integer("subscribers_gained").notNull().default(0),
    subscribersLost: integer("subscribers_lost").notNull().default(0),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.date, t.notificationId] })],
);

// ─── Integrations (issue #8 §3): a site's outside providers per channel ──────

/**
 * A site's account with an outside provider (SendGrid, Resend, Twilio, FCM) for one channel.
 * The secret fields are one sealed JSON object (lib/envelope.ts, bound to the site and
 * "integration:<id>"), never returned: credentials_hint shows its last characters. At most one
 * primary per (site, channel) — the partial unique index holds it — and sends use that one.
 */
export const integrations = sqliteTable(
  "integrations",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    channel: text("channel").notNull(), // contracts/channels.ts ChannelId
    provider: text("provider").notNull(), // contracts/providers.ts ProviderId
    name: text("name").notNull(),
    credentialsEnc: text("credentials_enc").notNull(),
    credentialsHint: text("credentials_hint").notNull(),
    settings: text("settings", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
    isPrimary: integer("is_primary", { mode: "boolean" }).notNull().default(false),
    /** The last test send: when, whether the provider accepted it, and what it said, in words. */
    lastTestAt: integer("last_test_at"),
    lastTestOk: integer("last_test_ok", { mode: "boolean" }),
    lastTestMessage: text("last_test_message"),
    /** A problem a real send ran into that the site must fix (credentials or sender refused);
     *  cleared when the credentials or settings change, or a test send succeeds. */
    problem: text("problem"),
    problemAt: integer("problem_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("integrations_site_channel_idx").on(t.siteId, t.channel, t.id),
    uniqueIndex("integrations_site_channel_primary_uq").on(t.siteId, t.channel).where(sql`${t.isPrimary} = 1`),
  ],
);

// ─── Templates (issue #8 §4; services/templates) ────────────────────────────

/**
 * A message template: a stable key per site, and the draft being edited — per-locale,
 * per-channel Liquid parts (contracts/template.ts). Publishing copies the draft into an
 * immutable template_versions row; sends use published_version unless they pin one.
 */
export const templates = sqliteTable(
  "templates",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    defaultLocale: text("default_locale").notNull(), // BCP 47, canonical
    draft: text("draft", { mode: "json" }).notNull().$type<import("../contracts/template").TemplateLocales>(),
    /** The version sends use: the latest published (a roll back publishes an old one anew). */
    publishedVersion: integer("published_version"),
    /** Sends of this template collect into a digest (issue #9 §3) unless their category has a
     *  digest rule of its own; the digest key is "template:<key>". Not versioned. */
    digest: text("digest", { mode: "json" }).$type<DigestRule>(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("templates_site_key_uq").on(t.siteId, t.key)],
);

/** A published version of a template: never changed once written (cached parsed per isolate). */
export const templateVersions = sqliteTable(
  "template_versions",
  {
    templateId: text("template_id").notNull().references(() => templates.id, { onDelete: "cascade" }),
    version: integer("version").notNull(), // 1, 2, … per template
    siteId: text("site_id").notNull(),
    defaultLocale: text("default_locale").notNull(),
    content: text("content", { mode: "json" }).notNull().$type<import("../contracts/template").TemplateLocales>(),
    /** Set when this version republished an older one's content (a roll back). */
    sourceVersion: integer("source_version"),
    publishedBy: text("published_by"), // a user id or an API key id
    publishedAt: integer("published_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.templateId, t.version] })],
);

// ─── Outbound webhooks (issue #8 §6; services/webhooks) ─────────────────────

/**
 * A site's webhook endpoint (Standard Webhooks). The signing secret is sealed (lib/envelope.ts,
 * bound to the site and "webhook_secret:<id>") and never returned after creation; secret_hint
 * shows its last characters. After a rotation the previous secret also signs until
 * previous_secret_expires_at. failing_since is the first failure since the last success: an
 * endpoint failing for WEBHOOK_DISABLE_AFTER_FAILING_MS is disabled with disabled_reason.
 */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    /** contracts/webhook-events.ts types; null = every type, present and future. */
    eventTypes: text("event_types", { mode: "json" }).$type<string[] | null>(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    secretEnc: text("secret_enc").notNull(),
    secretHint: text("secret_hint").notNull(),
    previousSecretEnc: text("previous_secret_enc"),
    previousSecretExpiresAt: integer("previous_secret_expires_at"),
    failingSince: integer("failing_since"),
    disabledReason: text("disabled_reason"),
    disabledAt: integer("disabled_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("webhook_endpoints_site_idx").on(t.siteId, t.id)],
);

/** An event emitted once per (site, id): the caller's deterministic id makes a repeated emission a no-op. */
export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    type: text("type").notNull(),
    data: text("data", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
    createdAt: integer("created_at").notNull(), // the payload's timestamp
  },
  (t) => [primaryKey({ columns: [t.siteId, t.id] }), index("webhook_events_created_idx").on(t.createdAt)],
);

/**
 * The delivery log: one row per attempt to deliver an event to an endpoint. Scheduled attempts
 * are numbered 1…8 per (endpoint, event) — unique, so an emission or a retry recorded twice
 * adds nothing — and the next one is written, pending, when one fails. Replays and test sends
 * are single attempts of their own. A pending or sending row is work: its queue message claims
 * it (lease_until), housekeeping re-enqueues one whose message was lost.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(), // time-ordered: the log's cursor pages
    siteId: text("site_id").notNull(),
    endpointId: text("endpoint_id").notNull().references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    kind: text("kind").notNull().$type<"scheduled" | "replay" | "test">(),
    attempt: integer("attempt").notNull(),
    status: text("status").notNull().$type<"pending" | "sending" | "succeeded" | "failed" | "skipped">(),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"), // the first WEBHOOK_RESPONSE_EXCERPT_BYTES
    error: text("error"), // http_<status>, a contracts/outbound.ts reason, or endpoint_disabled
    errorDetail: text("error_detail"), // the same in words
    durationMs: integer("duration_ms"),
    attemptedAt: integer("attempted_at"),
    /** Pending: when it is due. Failed: when the next attempt is (null: none). */
    nextAttemptAt: integer("next_attempt_at"),
    leaseUntil: integer("lease_until"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_scheduled_uq").on(t.endpointId, t.eventId, t.attempt).where(sql`${t.kind} = 'scheduled'`),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
    index("webhook_deliveries_endpoint_status_idx").on(t.endpointId, t.status, t.id),
    index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt),
    index("webhook_deliveries_created_idx").on(t.createdAt),
  ],
);

// ─── Provider reports that arrived before their delivery row (issue #8 §3) ────

/**
 * A status callback can beat the sender's record of the send: outcomes are written a chunk at a
 * time, while Twilio and SendGrid report within a second. A report that finds no delivery waits
 * here, keyed by the provider's message id; the sender applies it right after writing the chunk
 * that holds that id. Housekeeping drops reports nobody claimed (another system's messages).
 */
export const pendingProviderReports = sqliteTable(
  "pending_provider_reports",
  {
    siteId: text("site_id").notNull(),
    channel: text("channel").notNull(),
    providerMessageId: text("provider_message_id").notNull(),
    status: text("status").notNull(), // delivered | bounced | undelivered | failed
    providerCode: text("provider_code"),
    addressUnusable: integer("address_unusable", { mode: "boolean" }).notNull().default(false),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.channel, t.providerMessageId] }), index("pending_provider_reports_received_idx").on(t.receivedAt)],
);

// ─── Preferences (issue #9 §3; services/preferences) ─────────────────────────

/** A site's notification category: what users opt in and out of, and what digests collect. */
export const categories = sqliteTable(
  "categories",
  {
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    defaultEnabled: integer("default_enabled", { mode: "boolean" }).notNull().default(true),
    required: integer("required", { mode: "boolean" }).notNull().default(false),
    channels: text("channels", { mode: "json" }).notNull().default({}).$type<Partial<Record<string, boolean>>>(),
    digest: text("digest", { mode: "json" }).$type<DigestRule>(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.key] })],
);

/**
 * The open digest windows: one row per event collected for a (site, user, channel, digest key).
 * Every row of a window carries the window's flush_at (the first event's, else the next daily
 * time); the flush job turns them into one message and deletes them in the same transaction.
 */
export const digestEntries = sqliteTable(
  "digest_entries",
  {
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(), // site_users.id
    channel: text("channel").notNull(),
    digestKey: text("digest_key").notNull(),
    notificationId: text("notification_id").notNull(),
    title: text("title"),
    url: text("url"),
    flushAt: integer("flush_at").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.userId, t.channel, t.digestKey, t.notificationId] }),
    index("digest_entries_flush_idx").on(t.flushAt),
  ],
);

/**
 * The frequency cap's ledger (services/preferences/caps.ts): one row per notification that went
 * to a recipient on a capped channel — `recipient` is "u:<external id>" for a user, else
 * "s:<subscriber id>" — at the time its first send was decided. A send is allowed while the
 * recipient's rows in the window number fewer than the cap; the check and the row are one
 * statement, so two sends at once cannot both take the last slot. Rows older than the longest
 * window (7 days) are deleted by housekeeping.
 */
export const capLedger = sqliteTable(
  "cap_ledger",
  {
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    recipient: text("recipient").notNull(),
    notificationId: text("notification_id").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.recipient, t.notificationId] }), index("cap_ledger_recipient_at_idx").on(t.siteId, t.recipient, t.at), index("cap_ledger_at_idx").on(t.at)],
);

// ─── Recurring notifications (issue #10 §3; services/recurring) ──────────────

/**
 * A recurring series: a campaign (its create request, without a schedule) sent on a calendar
 * rule. next_run_* is the run the scheduler creates next; a run is created once per date
 * (recurring_runs' primary key) in the transaction that moves next_run_* on.
 */
export const recurringSeries = sqliteTable(
  "recurring_series",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    status: text("status").notNull().$type<import("../contracts/recurring").SeriesStatus>(),
    recurrence: text("recurrence", { mode: "json" }).notNull().$type<import("../contracts/recurring").Recurrence>(),
    /** After downtime, send the latest missed run (true) or skip what was missed (false). */
    catchUp: integer("catch_up", { mode: "boolean" }).notNull().default(true),
    /** The campaign each run sends (POST …/notifications without scheduled_at / local_delivery). */
    notification: text("notification", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
    nextRunDate: text("next_run_date"),
    nextRunAt: integer("next_run_at"),
    lastRunAt: integer("last_run_at"),
    /** Why the last due run could not be created (e.g. a channel lost its provider), in a sentence. */
    lastError: text("last_error"),
    runsCount: integer("runs_count").notNull().default(0),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("recurring_series_site_idx").on(t.siteId, t.createdAt), index("recurring_series_due_idx").on(t.status, t.nextRunAt)],
);

/** One run of a series: its date (one run per date) and the notification it created. */
export const recurringRuns = sqliteTable(
  "recurring_runs",
  {
    seriesId: text("series_id").notNull().references(() => recurringSeries.id, { onDelete: "cascade" }),
    runDate: text("run_date").notNull(),
    siteId: text("site_id").notNull(),
    notificationId: text("notification_id").notNull(),
    dueAt: integer("due_at").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.runDate] })],
);

// ─── Welcome drips (issue #10 §4; services/drips) ────────────────────────────

/** A drip campaign: steps (contracts/drips.ts DripStep) new web push subscribers get after each delay. */
export const drips = sqliteTable(
  "drips",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    status: text("status").notNull().$type<import("../contracts/drips").DripStatus>(),
    steps: text("steps", { mode: "json" }).notNull().$type<import("../contracts/drips").DripStep[]>(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("drips_site_idx").on(t.siteId, t.status)],
);

/**
 * A subscriber in a drip: the step they get next and when (entered_at + its delay). The
 * scheduler claims due rows (claim, claimed_at) before sending, and moves them on in the
 * transaction that creates the step's notification; a claim whose run died is taken again
 * after DRIP_CLAIM_STALE_MS. Status: active | completed | left (unsubscribed).
 */
export const dripEnrollments = sqliteTable(
  "drip_enrollments",
  {
    dripId: text("drip_id").notNull().references(() => drips.id, { onDelete: "cascade" }),
    subscriberId: text("subscriber_id").notNull(),
    siteId: text("site_id").notNull(),
    enteredAt: integer("entered_at").notNull(),
    nextStep: integer("next_step").notNull(),
    nextDueAt: integer("next_due_at"),
    status: text("status").notNull(),
    claim: text("claim"),
    claimedAt: integer("claimed_at"),
  },
  (t) => [
    primaryKey({ columns: [t.dripId, t.subscriberId] }),
    index("drip_enrollments_due_idx").on(t.nextDueAt).where(sql`${t.status} = 'active'`),
  ],
);

/** The notifications a drip step went out in (one per step per scheduler run): its funnel's sends. */
export const dripSends = sqliteTable(
  "drip_sends",
  {
    notificationId: text("notification_id").primaryKey(),
    dripId: text("drip_id").notNull().references(() => drips.id, { onDelete: "cascade" }),
    stepId: text("step_id").notNull(),
    siteId: text("site_id").notNull(),
    recipients: integer("recipients").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("drip_sends_step_idx").on(t.dripId, t.stepId)],
);

// ─── Segments (issue #10 §1; services/segments, db/queries/segments.ts) ─────

/** A saved audience: rules over subscribers (contracts/segments.ts), with its last count. */
export const segments = sqliteTable(
  "segments",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    rules: text("rules", { mode: "json" }).notNull().$type<import("../contracts/segments").Group>(),
    estimatedCount: integer("estimated_count"),
    estimatedAt: integer("estimated_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("segments_site_idx").on(t.siteId, t.id)],
);

// ─── Inbound webhook triggers (issue #10 §6; services/triggers) ──────────────

/** A trigger: its URL token (stored as a SHA-256 hash), its sealed signing secret, and how a payload maps to a message. */
export const triggers = sqliteTable(
  "triggers",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    tokenHint: text("token_hint").notNull(),
    mode: text("mode").notNull().$type<"signed" | "token_only">(),
    secretEnc: text("secret_enc").notNull(),
    secretHint: text("secret_hint").notNull(),
    mapping: text("mapping", { mode: "json" }).notNull().$type<import("../contracts/triggers").TriggerMapping>(),
    ratePerMinute: integer("rate_per_minute").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("triggers_token_uq").on(t.tokenHash), index("triggers_site_idx").on(t.siteId, t.id)],
);

/** A trigger's received calls (the newest TRIGGER_LOG_KEEP kept). */
export const triggerCalls = sqliteTable(
  "trigger_calls",
  {
    id: text("id").primaryKey(),
    triggerId: text("trigger_id").notNull().references(() => triggers.id, { onDelete: "cascade" }),
    siteId: text("site_id").notNull(),
    at: integer("at").notNull(),
    status: integer("status").notNull(),
    outcome: text("outcome").notNull(),
    error: text("error"),
    field: text("field"),
    messageId: text("message_id"),
    rendered: text("rendered", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [index("trigger_calls_trigger_idx").on(t.triggerId, t.at)],
);

/** Signatures seen within the replay window: the same signed call twice is refused. */
export const triggerSignatures = sqliteTable(
  "trigger_signatures",
  {
    triggerId: text("trigger_id").notNull().references(() => triggers.id, { onDelete: "cascade" }),
    signature: text("signature").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.triggerId, t.signature] }), index("trigger_signatures_at_idx").on(t.at)],
);

// ─── RSS-to-push (issue #10 §5; services/feeds) ──────────────────────────────

/** A feed a site follows: where, how its items become notifications, and how the last poll went. */
export const feeds = sqliteTable(
  "feeds",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    url: text("url").notNull(),
    mode: text("mode").notNull().$type<import("../contracts/feeds").FeedMode>(),
    template: text("template", { mode: "json" }).notNull().$type<import("../contracts/feeds").FeedTemplate>(),
    target: text("target", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
    category: text("category"),
    maxItemsPerPoll: integer("max_items_per_poll").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    /** The first good poll records what the feed holds without sending it. */
    baselineDone: integer("baseline_done", { mode: "boolean" }).notNull().default(false),
    etag: text("etag"),
    lastModified: text("last_modified"),
    lastPolledAt: integer("last_polled_at"),
    nextPollAt: integer("next_poll_at"),
    lastError: text("last_error"),
    lastErrorAt: integer("last_error_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("feeds_site_idx").on(t.siteId, t.id), index("feeds_due_idx").on(t.enabled, t.nextPollAt)],
);

/** An item a feed showed (key: a hash of its guid / id / link): seen at the baseline, new, waiting for approval, sent or skipped. */
export const feedItems = sqliteTable(
  "feed_items",
  {
    feedId: text("feed_id").notNull().references(() => feeds.id, { onDelete: "cascade" }),
    itemKey: text("item_key").notNull(),
    siteId: text("site_id").notNull(),
    title: text("title"),
    url: text("url"),
    image: text("image"),
    summary: text("summary"),
    publishedAt: integer("published_at"),
    state: text("state").notNull().$type<import("../contracts/feeds").ItemState>(),
    notificationId: text("notification_id"),
    firstSeenAt: integer("first_seen_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.feedId, t.itemKey] }), index("feed_items_state_idx").on(t.feedId, t.state, t.firstSeenAt)],
);

/** One row per item sent (or per digest): the guard that makes a send happen once, in the transaction that creates its notification. */
export const feedSends = sqliteTable(
  "feed_sends",
  {
    feedId: text("feed_id").notNull().references(() => feeds.id, { onDelete: "cascade" }),
    itemKey: text("item_key").notNull(),
    notificationId: text("notification_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.feedId, t.itemKey] })],
);
