// API shapes as the dashboard uses them (the contract is /openapi.json; snake_case as sent).
export type { Role } from "../workers/contracts/permissions";
import type { Role } from "../workers/contracts/permissions";
import type { Presence } from "../workers/contracts/inbox";
export interface User { id: string; email: string; name: string; created_at: number }
export interface Session { user: User; access_token: string; refresh_token: string; token_type: "Bearer"; expires_in: number }

export type { SiteSettings } from "../workers/db/schema";
import type { SiteSettings } from "../workers/db/schema";
export interface Site {
  id: string; name: string; url: string; site_key: string; settings: SiteSettings;
  vapid_public_key: string; vapid_warning: string | null; created_at: number; updated_at: number; role?: Role;
}
/** POST /api/sites: the site and its identity secret, shown this once (kept in memory for one view only). */
export interface CreatedSite extends Site { identity_secret?: string }
export interface Member { user_id: string; email: string; name: string; role: Role; created_at: number }
export interface Invitation { id: string; email: string; role: Role; status: "pending" | "accepted" | "declined" | "revoked"; created_at: number; expires_at: number }
/** An invitation addressed to the signed-in user (GET /api/me/invitations). */
export interface MyInvitation extends Invitation { site: { id: string; name: string; url: string }; invited_by: string | null }
export interface ApiKey { id: string; name: string; prefix: string; scopes: string[]; created_at: number; last_used_at: number | null; revoked_at: number | null }
export interface CreatedApiKey extends ApiKey { key: string }

// Install and identity shapes: defined once in workers/contracts.
export type { InstallStep } from "../workers/contracts/install";
import type { InstallCheckResult, InstallStep } from "../workers/contracts/install";
export interface InstallCode { sdk_snippet: string; service_worker_snippet: string; service_worker_path: string; steps: InstallStep[] }
export type InstallCheck = InstallCheckResult;
export type { IdentityStatus, IssuedSecret as IssuedIdentitySecret } from "../workers/contracts/identity";

export interface Page<T> { data: T[]; next_cursor: string | null }
export interface Subscriber {
  id: string; endpoint: string; tags: string[]; external_id: string | null; browser: string | null; os: string | null;
  language: string | null; timezone: string | null; country: string | null; active: boolean;
  subscribed_at: number; last_seen_at: number | null; unsubscribed_at: number | null; unsubscribe_reason?: string | null;
}

export type AudienceTarget =
  | { all: true }
  | { tags: { any?: string[]; all?: string[]; none?: string[] } }
  | { subscriber_ids: string[] }
  | { external_ids: string[] }
  /** A segment; once the send starts it also carries the rules it started with. */
  | { segment_id: string; rules?: unknown; as_of?: number };
export type Urgency = "very-low" | "low" | "normal" | "high";
export interface NotificationAction { action: string; title: string; url?: string }
export interface NotificationDraft {
  // null clears a field when editing a draft (PATCH)
  title: string; body?: string | null; url?: string | null; icon?: string | null; image?: string | null; badge?: string | null;
  actions?: NotificationAction[] | null;
  utm?: { source?: string; medium?: string; campaign?: string; term?: string; content?: string };
  ttl?: number; urgency?: Urgency; topic?: string; tag?: string; renotify?: boolean; require_interaction?: boolean;
  data?: unknown; target: AudienceTarget; scheduled_at?: number | null;
}
export type NotificationStatus = "draft" | "scheduled" | "sending" | "completed" | "cancelled" | "failed";
export interface NotificationStats {
  targeted: number; sent: number; failed: number; failed_by_reason: Record<string, number>; pruned: number;
  impressions: number; clicks: number; dismissals: number; ctr: number;
}
export interface NotificationRecord extends NotificationDraft {
  id: string; status: NotificationStatus; created_at: number; updated_at: number;
  started_at: number | null; completed_at: number | null; stats?: Partial<NotificationStats> | null;
  /** Set while archived: left out of the list unless it asks for archived ones; stats kept. */
  archived_at?: number | null;
}
export interface OverviewPoint {
  date: string; subscribers_gained: number; subscribers_lost: number; sends: number;
  impressions: number; clicks: number; ctr: number; value: number;
}
export interface Overview {
  from: string; to: string; timezone: string;
  totals: { subscribers_total: number; subscribers_active: number; subscribers_new: number; subscribers_lost?: number; sends: number; impressions: number; clicks: number; ctr: number; value: number };
  series: OverviewPoint[];
}
export interface Performance {
  funnel: { targeted: number; sent: number; impressions: number; clicks: number };
  failed: number; failed_by_reason: Record<string, number>; pruned: number; dismissals: number; ctr: number;
  series: { minute: number; sent: number; failed: number; pruned: number; impressions: number; clicks: number; dismissals: number }[];
}

// ─── Users and multi-channel messages (issue #8 §2, §5) ─────────────────────
// Channel ids and labels are the contract's (workers/contracts/channels.ts); the shapes below are
// what workers/routes/users.ts and workers/routes/messages.ts answer.
export type { ChannelId } from "../workers/contracts/channels";
import type { ChannelId } from "../workers/contracts/channels";
/** A channel whose address proved unusable (hard bounce, invalid number): the reason code, the
 *  provider's own code, and when. Cleared by the API when the address changes. */
export interface UnreachableMark { reason: string; code: string | null; at: number }
/** One of the site's own users, known by their external id ("User" is the dashboard account). */
export interface SiteUser {
  external_id: string; email: string | null; phone: string | null; locale: string | null; timezone: string | null;
  attributes: Record<string, unknown>; unreachable: Partial<Record<string, UnreachableMark>>; created_at: number; updated_at: number;
  /** GET …/users/{externalId} only: whether a client holds the inbox WebSocket now (issue #9). */
  presence?: Presence;
}
/** PATCH …/users/{externalId}: only the fields given change; null clears. */
export type SiteUserPatch = Partial<Pick<SiteUser, "email" | "phone" | "locale" | "timezone" | "attributes">>;
/** A user's device: a browser that subscribed with their verified id, or an FCM token. */
export interface Device { id: string; type: "web_push" | "fcm"; platform: string | null; active: boolean; created_at: number; last_seen_at: number }
/** GET …/users/{externalId}/messages: one delivery to the user, newest first. */
export interface UserDelivery {
  notification_id: string; kind: "campaign" | "message"; headline: string | null; channel: string; recipient_id: string;
  status: string; reason: string | null; reason_label: string | null; at: number;
}

/** A channel of a message: queued (nothing done yet), sending, done (later provider reports may
 *  still move counts), or no_recipients (nobody to reach on it). */
export type ChannelState = "queued" | "sending" | "done" | "no_recipients";
export interface MessageChannelStatus {
  state: ChannelState; targeted: number; sent: number; delivered: number; failed: number; unreachable: number;
  failed_by_reason: Record<string, { count: number; label: string }>;
  /** Held back by the user's preferences (issue #9 §3): opted out, waiting for quiet hours to end, in a digest. */
  skipped?: number; deferred?: number; digested?: number;
}
export interface MessageRecord {
  id: string; status: NotificationStatus; to: AudienceTarget | Record<string, unknown>;
  /** What it is about: its template, or the first channel's title, subject or text. */
  headline: string | null;
  channels: Partial<Record<ChannelId, MessageChannelStatus>>; data: Record<string, unknown> | null;
  /** The published template version it was rendered from; null: inline content. */
  template: { key: string; version: number } | null;
  targeted: number; created_at: number; completed_at: number | null;
}
/** The recipients filter: what was sent, or what the provider reported later. */
export type RecipientStatus = "sent" | "delivered" | "failed" | "bounced" | "undelivered" | "pruned" | "skipped" | "deferred" | "digested";
export interface MessageRecipient {
  channel: ChannelId; recipient_id: string; external_id: string | null; address: string | null;
  status: string; send_status: "sent" | "failed" | "pruned" | "skipped" | "deferred" | "digested"; release_at?: number | null; reason: string | null; reason_label: string | null;
  provider_code: string | null; provider_message_id: string | null; http_status: number | null; sent_at: number; status_at: number;
}
