// Notifications (campaigns): drafts, scheduling, send, cancel, stats. Lifecycle:
//   draft → scheduled → sending → completed   (or cancelled / failed)
// Every move is a conditional update (db/queries/notifications.transition), so a
// double click, a retried request or a second cron run cannot send twice.
//
// A campaign is a message too (issue #8 §5): web push only unless the marketer picks more
// channels. Its channels are checked as a message's are (services/messages resolveChannels:
// content, target, a provider per channel) when it is saved and again when it is sent, and its
// status is read per channel (channelStatus); `stats` stays the web push funnel.
import type { ChannelId } from "../contracts/channels";
import type { MessageContent } from "../contracts/message-content";
import type { LocalDelivery, Priority } from "../contracts/preferences";
import { assertLocalDelivery } from "./preferences/local-delivery";
import { assertCategoryExists } from "./preferences/categories";
import { eventCounts } from "../db/queries/events";
import * as q from "../db/queries/notifications";
import { findSite } from "../db/queries/sites";
import { countAudience, type Target } from "../db/queries/targeting";
import type { NotificationStatus } from "../db/schema";
import { ApiError, invalidField } from "../errors";
import { newId } from "../lib/ids";
import { sendMessage } from "../queues/messages";
import type { Deps } from "./deps";
import { pickWinner, variantResults } from "./ab-tests";
import type { AbTest, VariantResult } from "../contracts/ab-test";
import { childrenOf } from "../db/queries/ab-tests";
import { resolveTarget } from "./segments";
import { type ChannelStatus, channelStatus, resolveChannels } from "./messages";
import { sendChannels } from "./sending/planner";
import { assertPayloadFits, type NotificationContent } from "./sending/payload";

/** What a campaign says on the channels other than web push (web push is its top-level content). */
export type CampaignChannelContent = Omit<MessageContent, "web_push">;

export interface NotificationInput extends NotificationContent {
  target: Target;
  scheduled_at?: number | null;
  /** Default: web push only. */
  channels?: ChannelId[];
  channel_content?: CampaignChannelContent;
  /** The site category it belongs to (issue #9 §3: users' preferences for it apply). */
  category?: string | null;
  /** urgent: through quiet hours and digests (default normal). */
  priority?: Priority;
  /** Delivered at this time in each recipient's timezone (issue #10 §2). */
  local_delivery?: LocalDelivery;
  /** An A/B test of 2–5 variants (issue #10 §7; services/ab-tests). */
  ab_test?: AbTest;
}

export interface Stats {
  targeted: number;
  sent: number;
  failed: number;
  failed_by_reason: Record<string, number>;
  pruned: number;
  impressions: number;
  clicks: number;
  dismissals: number;
  ctr: number;
}

async function siteDefaults(deps: Deps, siteId: string) {
  const site = await findSite(deps.db, siteId);
  if (!site) throw new ApiError("not_found", "Site not found.");
  return { icon: site.settings.default_icon ?? null };
}

function assertFuture(deps: Deps, scheduledAt: number | null | undefined) {
  if (scheduledAt != null && scheduledAt <= deps.now()) {
    throw new ApiError("validation_failed", "scheduled_at must be in the future.", [{ path: "scheduled_at", message: "Must be in the future." }]);
  }
}

/**
 * Checks the channels a campaign is to go out on: each needs its content, the user channels a
 * target of users, and each a provider (channel_not_configured). Content for a channel the
 * campaign does not use is refused when the caller wrote it (`given`), and dropped when it is
 * what was stored for a channel since taken out. Returns the channel content to store.
 */
/** An A/B test varies web push: it needs that channel, each variant's payload must fit, and it does not mix with local-time delivery. */
function checkAbTest(id: string, ab: AbTest | null | undefined, content: NotificationContent, channels: ChannelId[], local: LocalDelivery | null | undefined, defaults: Parameters<typeof assertPayloadFits>[2]) {
  if (!ab) return;
  if (!channels.includes("web_push")) throw invalidField("ab_test", "A/B tests vary the web push notification: add web push to the channels.");
  if (local) throw invalidField("ab_test", "An A/B test cannot use local-time delivery: its window would close before most timezones got it.");
  for (const [i, v] of ab.variants.entries()) {
    try {
      assertPayloadFits(id, { ...content, ...v }, defaults);
    } catch (e) {
      if (e instanceof ApiError) throw new ApiError(e.code, e.message, [{ path: `ab_test.variants.${i}`, message: e.message }]);
      throw e;
    }
  }
}

async function checkChannels(
  deps: Deps,
  siteId: string,
  c: { channels: ChannelId[]; content: NotificationContent; channelContent: CampaignChannelContent | null; target: Target; given: boolean },
): Promise<CampaignChannelContent | null> {
  const kept: Record<string, unknown> = {};
  for (const [channel, part] of Object.entries(c.channelContent ?? {})) {
    if (part == null) continue;
    if (c.channels.includes(channel as ChannelId)) kept[channel] = part;
    else if (c.given) throw invalidField(`channel_content.${channel}`, `${channel} is not among the channels: add it to channels, or leave its content out.`);
  }
  for (const channel of c.channels) {
    if (channel !== "web_push" && kept[channel] === undefined) {
      throw invalidField(`channel_content.${channel}`, `Write what to send by ${channel}, or take ${channel} out of the channels.`);
    }
  }
  try {
    await resolveChannels(deps, siteId, { to: c.target, channels: c.channels, content: { web_push: c.content, ...kept } }, null);
  } catch (e) {
    // A message names its audience `to`; a campaign names it `target`.
    const field = e instanceof ApiError ? e.fields?.[0] : undefined;
    if (field?.path === "to") throw invalidField("target", field.message);
    throw e;
  }
  return Object.keys(kept).length ? (kept as CampaignChannelContent) : null;
}

/** A channel of a campaign that never started: nothing planned or sent yet. */
const untouched = (): ChannelStatus => ({ state: "queued", targeted: 0, sent: 0, delivered: 0, failed: 0, unreachable: 0, failed_by_reason: {}, skipped: 0, deferred: 0, digested: 0 });

/** Status per channel (services/messages channelStatus) once the campaign started. */
async function campaignChannels(deps: Deps, n: q.NotificationRow): Promise<Record<string, ChannelStatus>> {
  if (n.startedAt === null) return Object.fromEntries(sendChannels(n).map((c) => [c, untouched()]));
  return channelStatus(deps, n);
}

export function view(n: q.NotificationRow, channels: Record<string, ChannelStatus>, stats?: Stats, abResults: VariantResult[] = []) {
  return {
    id: n.id,
    status: n.status,
    ...(n.content as unknown as NotificationContent),
    target: n.target as unknown as Target,
    channel_content: (n.channelContent ?? {}) as CampaignChannelContent,
    category: n.category,
    priority: n.priority,
    local_delivery: n.localDelivery ?? null,
    ab_test: n.abTest ? { ...n.abTest, results: abResults } : null,
    scheduled_at: n.scheduledAt,
    created_at: n.createdAt,
    updated_at: n.updatedAt,
    started_at: n.startedAt,
    completed_at: n.completedAt,
    archived_at: n.archivedAt,
    channels,
    ...(stats ? { stats } : {}),
  };
}
export type NotificationView = ReturnType<typeof view>;

export async function createNotification(deps: Deps, siteId: string, createdBy: string | null, input: NotificationInput) {
  assertFuture(deps, input.scheduled_at);
  assertLocalDelivery(input.local_delivery, deps.now());
  const row = await q.insertNotification(deps.db, await campaignValues(deps, siteId, createdBy, input));
  return view(row, await campaignChannels(deps, row));
}

/**
 * The row of a new campaign, checked as creating one checks it (payload size, category, channels
 * and their providers) — without writing it: createNotification inserts it, a recurring series
 * (services/recurring) inserts one per run in the transaction that records the run.
 */
export async function campaignValues(deps: Deps, siteId: string, createdBy: string | null, input: NotificationInput) {
  const { target, scheduled_at, channels = ["web_push"], channel_content, category, priority, local_delivery, ab_test, ...content } = input;
  await assertCategoryExists(deps, siteId, category);
  await resolveTarget(deps, siteId, target, deps.now()); // a segment must exist (fixed when the send starts)
  const now = deps.now();
  const id = newId("ntf", now);
  const defaults = await siteDefaults(deps, siteId);
  assertPayloadFits(id, content, defaults);
  checkAbTest(id, ab_test, content, channels, local_delivery, defaults);
  const channelContent = await checkChannels(deps, siteId, { channels, content, channelContent: channel_content ?? null, target, given: true });
  const values: Parameters<typeof q.insertNotification>[1] = {
    id,
    siteId,
    status: scheduled_at != null ? "scheduled" : "draft",
    content: content as Record<string, unknown>,
    target: target as Record<string, unknown>,
    kind: "campaign",
    channels,
    channelContent: channelContent as Record<string, unknown> | null,
    template: null,
    data: null,
    category: category ?? null,
    priority: priority ?? "normal",
    localDelivery: local_delivery ?? null,
    abTest: ab_test ?? null,
    scheduledAt: scheduled_at ?? null,
    createdBy,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
  };
  return values;
}

async function load(deps: Deps, siteId: string, id: string) {
  const row = await q.findNotification(deps.db, siteId, id);
  if (!row) throw new ApiError("not_found", "Notification not found.");
  return row;
}

export async function getNotification(deps: Deps, siteId: string, id: string) {
  const row = await load(deps, siteId, id);
  if (row.abTest && !row.parentId) return abTestView(deps, row);
  const { stats, channels } = await readStats(deps, siteId, row);
  return view(row, channels, stats);
}

/** A campaign running an A/B test: its numbers are its sends' (each variant's and the winner's), added up. */
async function abTestView(deps: Deps, row: q.NotificationRow) {
  const [children, results] = await Promise.all([childrenOf(deps.db, row.siteId, row.id), variantResults(deps, row)]);
  const parts = await Promise.all(children.map((c) => readStats(deps, row.siteId, c)));
  const stats = emptyStats(0);
  const channels: Record<string, ChannelStatus> = {};
  for (const { stats: s, channels: ch } of parts) {
    for (const k of ["targeted", "sent", "failed", "pruned", "impressions", "clicks", "dismissals"] as const) stats[k] += s[k];
    for (const [reason, n] of Object.entries(s.failed_by_reason)) stats.failed_by_reason[reason] = (stats.failed_by_reason[reason] ?? 0) + n;
    for (const [c, st] of Object.entries(ch)) {
      const into = (channels[c] ??= { ...untouched(), state: "done" });
      for (const k of ["targeted", "sent", "delivered", "failed", "unreachable", "skipped", "deferred", "digested"] as const) into[k] += st[k];
      for (const [reason, f] of Object.entries(st.failed_by_reason)) {
        const had = into.failed_by_reason[reason];
        into.failed_by_reason[reason] = { ...f, count: (had?.count ?? 0) + f.count };
      }
      if (st.state !== "done" && st.state !== "no_recipients") into.state = "sending";
    }
  }
  stats.ctr = stats.sent ? Math.round((stats.clicks / stats.sent) * 10_000) / 10_000 : 0;
  if (!children.length) for (const c of sendChannels(row)) channels[c] = untouched();
  return view(row, channels, stats, results);
}

export async function listNotifications(
  deps: Deps,
  siteId: string,
  filter: { status?: NotificationStatus; archived?: boolean },
  cursor: string | undefined,
  limit: number,
) {
  const rows = await q.listNotifications(deps.db, siteId, { status: filter.status, archived: filter.archived ?? false }, cursor, limit + 1);
  const page = rows.slice(0, limit);
  const data = await Promise.all(
    page.map(async (r) => {
      const { stats, channels } = await readStats(deps, siteId, r);
      return view(r, channels, stats);
    }),
  );
  return { data, next_cursor: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** A content field set to null is cleared. */
export type NotificationPatch = { [K in keyof NotificationInput]?: NotificationInput[K] | null };

/**
 * What the caller may do to notifications beyond drafts. A scheduled notification goes out
 * by itself (cron), so changing, unscheduling or deleting one needs the permission that sending
 * needs (issue #7: a member could otherwise rewrite what an admin scheduled).
 */
export interface EditRights {
  canSend: boolean;
}

const needsSendRight = () =>
  new ApiError("forbidden", "Only people who may send notifications can schedule, or change a scheduled notification.");

/** Edits a draft or scheduled notification; `scheduled_at: null` turns it back into a draft. */
export async function updateNotification(deps: Deps, siteId: string, id: string, patch: NotificationPatch, rights: EditRights) {
  const row = await load(deps, siteId, id);
  const { target, scheduled_at, channels: channelsPatch, channel_content, category, priority, local_delivery, ab_test, ...contentPatch } = patch;
  if (!rights.canSend && (row.status === "scheduled" || scheduled_at != null)) throw needsSendRight();
  assertFuture(deps, scheduled_at);
  assertLocalDelivery(local_delivery, deps.now());
  await assertCategoryExists(deps, siteId, category);
  if (target) await resolveTarget(deps, siteId, target, deps.now());
  const merged: Record<string, unknown> = { ...(row.content as Record<string, unknown>), ...contentPatch };
  for (const [k, v] of Object.entries(contentPatch)) if (v === null) delete merged[k]; // null clears the field
  const content = merged as unknown as NotificationContent;
  assertPayloadFits(id, content, await siteDefaults(deps, siteId));
  // channels: null goes back to web push only; channel_content replaces the stored one whole
  // (null clears it), and without it the stored parts of channels still picked are kept.
  const channels = channelsPatch === undefined ? sendChannels(row) : (channelsPatch ?? ["web_push"]);
  const abTest = ab_test === undefined ? row.abTest : ab_test;
  checkAbTest(id, abTest, content, channels, local_delivery === undefined ? row.localDelivery : local_delivery, await siteDefaults(deps, siteId));
  const channelContent = await checkChannels(deps, siteId, {
    channels,
    content,
    channelContent: channel_content === undefined ? (row.channelContent as CampaignChannelContent | null) : channel_content,
    target: (target ?? row.target) as unknown as Target,
    given: channel_content !== undefined,
  });
  const scheduledAt = scheduled_at === undefined ? row.scheduledAt : scheduled_at;
  // The status condition re-checks the rights at write time: if an admin scheduled the
  // draft since we read it, a member's edit no longer applies.
  const ok = await q.transition(deps.db, siteId, id, rights.canSend ? ["draft", "scheduled"] : ["draft"], {
    content: merged,
    target: (target ?? row.target) as Record<string, unknown>,
    channels,
    channelContent: channelContent as Record<string, unknown> | null,
    ...(category !== undefined ? { category } : {}),
    ...(priority != null ? { priority } : {}),
    ...(local_delivery !== undefined ? { localDelivery: local_delivery } : {}),
    ...(ab_test !== undefined ? { abTest: ab_test } : {}),
    scheduledAt,
    status: scheduledAt != null ? "scheduled" : "draft",
    updatedAt: deps.now(),
  });
  if (!ok) {
    const now = await load(deps, siteId, id);
    if (now.status === "scheduled") throw needsSendRight();
    throw new ApiError("invalid_state", `A ${now.status} notification can no longer be edited.`);
  }
  return getNotification(deps, siteId, id);
}

/**
 * Deletes a notification that never sent anything: a draft, a scheduled one (send right), or
 * one cancelled before it started. A notification that sent keeps its statistics: it can be
 * archived (hidden from the list), never deleted — one answer for completed, failed and
 * cancelled-while-sending alike.
 */
export async function deleteNotification(deps: Deps, siteId: string, id: string, rights: EditRights) {
  const row = await load(deps, siteId, id);
  if (row.startedAt !== null) {
    throw new ApiError(
      "invalid_state",
      row.status === "sending"
        ? "This notification is sending; cancel it to stop it. Sent notifications are archived, not deleted, so their statistics are kept."
        : "This notification was sent, so its statistics are kept: archive it to hide it from the list.",
    );
  }
  if (!rights.canSend && row.status !== "draft") throw needsSendRight();
  const res = await q.deleteNotification(deps.db, siteId, id, rights.canSend ? ["draft", "scheduled", "cancelled"] : ["draft"]);
  if (res.meta.changes !== 1) throw new ApiError("invalid_state", "This notification changed meanwhile; reload it and try again.");
}

/** Hides a finished notification from the list (stats kept); `archived: false` brings it back. */
export async function setArchived(deps: Deps, siteId: string, id: string, archived: boolean) {
  const row = await load(deps, siteId, id);
  if (archived && !["completed", "cancelled", "failed"].includes(row.status)) {
    throw new ApiError("invalid_state", `A ${row.status} notification cannot be archived; only completed, cancelled and failed ones can.`);
  }
  await q.setArchived(deps.db, siteId, id, archived ? deps.now() : null);
  return getNotification(deps, siteId, id);
}

/** Starts sending now: claims the notification and hands the plan to the send queue. Its
 *  channels are checked again first: a provider removed since the draft was saved refuses the
 *  send (channel_not_configured) and leaves the notification as it was. */
export async function sendNotification(deps: Deps, siteId: string, id: string) {
  const row = await load(deps, siteId, id);
  if (row.status === "draft" || row.status === "scheduled") {
    await checkChannels(deps, siteId, {
      channels: sendChannels(row),
      content: row.content as unknown as NotificationContent,
      channelContent: row.channelContent as CampaignChannelContent | null,
      target: row.target as unknown as Target,
      given: false,
    });
  }
  const now = deps.now();
  const claimed = await q.transition(deps.db, siteId, id, ["draft", "scheduled"], { status: "sending", startedAt: now, updatedAt: now });
  if (!claimed) throw new ApiError("invalid_state", `This notification is ${row.status}; only drafts and scheduled notifications can be sent.`);
  await deps.env.SEND_QUEUE.send(sendMessage.plan(siteId, id));
  return getNotification(deps, siteId, id);
}

/** The marketer picks an A/B test's winner (services/ab-tests). */
export async function pickAbWinner(deps: Deps, siteId: string, id: string, variant: number) {
  await pickWinner(deps, await load(deps, siteId, id), variant);
  return getNotification(deps, siteId, id);
}

/** Cancels a scheduled notification, or stops one that is sending (batches not yet sent are skipped). */
export async function cancelNotification(deps: Deps, siteId: string, id: string) {
  const row = await load(deps, siteId, id);
  const ok = await q.transition(deps.db, siteId, id, ["draft", "scheduled", "sending"], { status: "cancelled", updatedAt: deps.now() });
  if (!ok) throw new ApiError("invalid_state", `A ${row.status} notification cannot be cancelled.`);
  return getNotification(deps, siteId, id);
}

const emptyStats = (targeted = 0): Stats => ({ targeted, sent: 0, failed: 0, failed_by_reason: {}, pruned: 0, impressions: 0, clicks: 0, dismissals: 0, ctr: 0 });

/**
 * The campaign's status per channel, and `stats`: its web push funnel, in the shape it had
 * before campaigns had channels (for a web-push-only campaign the numbers are the same).
 */
async function readStats(deps: Deps, siteId: string, row: q.NotificationRow): Promise<{ stats: Stats; channels: Record<string, ChannelStatus> }> {
  const [channels, byType] = await Promise.all([campaignChannels(deps, row), row.startedAt === null ? [] : eventCounts(deps.db, siteId, row.id)]);
  const push = channels.web_push;
  const onlyPush = sendChannels(row).every((c) => c === "web_push");
  const stats = emptyStats(onlyPush ? row.targeted : (push?.targeted ?? 0));
  if (push) {
    stats.sent = push.sent;
    stats.failed = push.failed;
    stats.pruned = push.unreachable;
    for (const [reason, { count }] of Object.entries(push.failed_by_reason)) stats.failed_by_reason[reason] = count;
  }
  for (const { type, n } of byType) {
    if (type === "impression") stats.impressions = n;
    else if (type === "click") stats.clicks = n;
    else if (type === "dismiss") stats.dismissals = n;
  }
  stats.ctr = stats.sent ? Math.round((stats.clicks / stats.sent) * 10_000) / 10_000 : 0;
  return { stats, channels };
}

export async function getStats(deps: Deps, siteId: string, id: string) {
  return (await readStats(deps, siteId, await load(deps, siteId, id))).stats;
}

export const audienceCount = async (deps: Deps, siteId: string, target: Target) =>
  countAudience(deps.db, siteId, await resolveTarget(deps, siteId, target, deps.now()));
