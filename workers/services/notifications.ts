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
    archived_at: n.archivedAt,
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
    kind: "campaign",
    channels: ["web_push"],
    channelContent: null,
    template: null,
    data: null,
    scheduledAt: scheduled_at ?? null,
    createdBy,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    completedAt: null,
    targeted: 0,
    batchesTotal: 0,
    progressAt: null,
    archivedAt: null,
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

export async function listNotifications(
  deps: Deps,
  siteId: string,
  filter: { status?: NotificationStatus; archived?: boolean },
  cursor: string | undefined,
  limit: number,
) {
  const rows = await q.listNotifications(deps.db, siteId, { status: filter.status, archived: filter.archived ?? false }, cursor, limit + 1);
  const page = rows.slice(0, limit);
  const data = await Promise.all(page.map(async (r) => view(r, await notificationStats(deps, siteId, r))));
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
  const { target, scheduled_at, ...contentPatch } = patch;
  if (!rights.canSend && (row.status === "scheduled" || scheduled_at != null)) throw needsSendRight();
  assertFuture(deps, scheduled_at);
  const merged: Record<string, unknown> = { ...(row.content as Record<string, unknown>), ...contentPatch };
  for (const [k, v] of Object.entries(contentPatch)) if (v === null) delete merged[k]; // null clears the field
  const content = merged as unknown as NotificationContent;
  assertPayloadFits(id, content, await siteDefaults(deps, siteId));
  const scheduledAt = scheduled_at === undefined ? row.scheduledAt : scheduled_at;
  // The status condition re-checks the rights at write time: if an admin scheduled the
  // draft since we read it, a member's edit no longer applies.
  const ok = await q.transition(deps.db, siteId, id, rights.canSend ? ["draft", "scheduled"] : ["draft"], {
    content: merged,
    target: (target ?? row.target) as Record<string, unknown>,
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
