// Notifications: drafts, scheduling, send, cancel, stats. Lifecycle:
//   draft → scheduled → sending → completed   (or cancelled / failed)
// Every move is a conditional update (db/queries/notifications.transition), so a
// double click, a retried request or a second cron run cannot send twice.
import { deliveryCounts, eventCounts } from "../db/queries/events";
import * as q from "../db/queries/notifications";
import { findSite } from "../db/queries/sites";
import { countAudience, type Target } from "../db/queries/targeting";
import type { NotificationStatus } from "../db/schema";
import { ApiError } from "../errors";
import { newId } from "../lib/ids";
import { sendMessage } from "../queues/messages";
import type { Deps } from "./deps";
import { assertPayloadFits, type NotificationContent } from "./sending/payload";

export interface NotificationInput extends NotificationContent {
  target: Target;
  scheduled_at?: number | null;
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

export function view(n: q.NotificationRow, stats?: Stats) {
  return {
    id: n.id,
    status: n.status,
    ...(n.content as unknown as NotificationContent),
    target: n.target as unknown as Target,
    scheduled_at: n.scheduledAt,
    created_at: n.createdAt,
    updated_at: n.updatedAt,
    started_at: n.startedAt,
    completed_at: n.completedAt,
    ...(stats ? { stats } : {}),
  };
}
export type NotificationView = ReturnType<typeof view>;

export async function createNotification(deps: Deps, siteId: string, createdBy: string | null, input: NotificationInput) {
  const { target, scheduled_at, ...content } = input;
  assertFuture(deps, scheduled_at);
  const now = deps.now();
  const id = newId("ntf", now);
  assertPayloadFits(id, content, await siteDefaults(deps, siteId));
  const row: q.NotificationRow = {
    id,
    siteId,
    status: scheduled_at != null ? "scheduled" : "draft",
    content: content as Record<string, unknown>,
    target: target as Record<string, unknown>,
    scheduledAt: scheduled_at ?? null,
    createdBy,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    completedAt: null,
    targeted: 0,
    batchesTotal: 0,
  };
  await q.insertNotification(deps.db, row);
  return view(row);
}

async function load(deps: Deps, siteId: string, id: string) {
  const row = await q.findNotification(deps.db, siteId, id);
  if (!row) throw new ApiError("not_found", "Notification not found.");
  return row;
}

export async function getNotification(deps: Deps, siteId: string, id: string) {
  const row = await load(deps, siteId, id);
  return view(row, await notificationStats(deps, siteId, row));
}

export async function listNotifications(deps: Deps, siteId: string, status: NotificationStatus | undefined, cursor: string | undefined, limit: number) {
  const rows = await q.listNotifications(deps.db, siteId, status, cursor, limit + 1);
  const page = rows.slice(0, limit);
  const data = await Promise.all(page.map(async (r) => view(r, await notificationStats(deps, siteId, r))));
  return { data, next_cursor: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** A content field set to null is cleared. */
export type NotificationPatch = { [K in keyof NotificationInput]?: NotificationInput[K] | null };

/** Edits a draft or scheduled notification; `scheduled_at: null` turns it back into a draft. */
export async function updateNotification(deps: Deps, siteId: string, id: string, patch: NotificationPatch) {
  const row = await load(deps, siteId, id);
  const { target, scheduled_at, ...contentPatch } = patch;
  assertFuture(deps, scheduled_at);
  const merged: Record<string, unknown> = { ...(row.content as Record<string, unknown>), ...contentPatch };
  for (const [k, v] of Object.entries(contentPatch)) if (v === null) delete merged[k]; // null clears the field
  const content = merged as unknown as NotificationContent;
  assertPayloadFits(id, content, await siteDefaults(deps, siteId));
  const scheduledAt = scheduled_at === undefined ? row.scheduledAt : scheduled_at;
  const ok = await q.transition(deps.db, siteId, id, ["draft", "scheduled"], {
    content: merged,
    target: (target ?? row.target) as Record<string, unknown>,
    scheduledAt,
    status: scheduledAt != null ? "scheduled" : "draft",
    updatedAt: deps.now(),
  });
  if (!ok) throw new ApiError("invalid_state", `A ${row.status} notification can no longer be edited.`);
  return getNotification(deps, siteId, id);
}

export async function deleteNotification(deps: Deps, siteId: string, id: string) {
  const row = await load(deps, siteId, id);
  const res = await q.deleteNotification(deps.db, siteId, id, ["draft", "scheduled", "cancelled", "completed", "failed"]);
  if (res.meta.changes !== 1) throw new ApiError("invalid_state", `A ${row.status} notification cannot be deleted; cancel it first.`);
}

/** Starts sending now: claims the notification and hands the plan to the send queue. */
export async function sendNotification(deps: Deps, siteId: string, id: string) {
  const row = await load(deps, siteId, id);
  const now = deps.now();
  const claimed = await q.transition(deps.db, siteId, id, ["draft", "scheduled"], { status: "sending", startedAt: now, updatedAt: now });
  if (!claimed) throw new ApiError("invalid_state", `This notification is ${row.status}; only drafts and scheduled notifications can be sent.`);
  await deps.env.SEND_QUEUE.send(sendMessage.plan(siteId, id));
  return getNotification(deps, siteId, id);
}

/** Cancels a scheduled notification, or stops one that is sending (batches not yet sent are skipped). */
export async function cancelNotification(deps: Deps, siteId: string, id: string) {
  const row = await load(deps, siteId, id);
  const ok = await q.transition(deps.db, siteId, id, ["draft", "scheduled", "sending"], { status: "cancelled", updatedAt: deps.now() });
  if (!ok) throw new ApiError("invalid_state", `A ${row.status} notification cannot be cancelled.`);
  return getNotification(deps, siteId, id);
}

export async function notificationStats(deps: Deps, siteId: string, row: q.NotificationRow): Promise<Stats> {
  const [byStatus, byType] = await Promise.all([deliveryCounts(deps.db, siteId, row.id), eventCounts(deps.db, siteId, row.id)]);
  const stats: Stats = { targeted: row.targeted, sent: 0, failed: 0, failed_by_reason: {}, pruned: 0, impressions: 0, clicks: 0, dismissals: 0, ctr: 0 };
  for (const { status, reason, n } of byStatus) {
    if (status === "sent") stats.sent += n;
    else if (status === "pruned") stats.pruned += n;
    else {
      stats.failed += n;
      stats.failed_by_reason[reason ?? "unknown"] = (stats.failed_by_reason[reason ?? "unknown"] ?? 0) + n;
    }
  }
  for (const { type, n } of byType) {
    if (type === "impression") stats.impressions = n;
    else if (type === "click") stats.clicks = n;
    else if (type === "dismiss") stats.dismissals = n;
  }
  stats.ctr = stats.sent ? Math.round((stats.clicks / stats.sent) * 10_000) / 10_000 : 0;
  return stats;
}

export async function getStats(deps: Deps, siteId: string, id: string) {
  return notificationStats(deps, siteId, await load(deps, siteId, id));
}

export const audienceCount = (deps: Deps, siteId: string, target: Target) => countAudience(deps.db, siteId, target);
