// Engagement events reported by the service worker (impression, click, dismiss),
// authenticated by the per-delivery token; each (delivery, type) counts once. A first click by a
// known user also marks the message's inbox item read (issue #9 §4: one read state).
import { insertEventOnce } from "../db/queries/events";
import { externalIdsOf } from "../db/queries/recipients";
import { ApiError } from "../errors";
import { verifyEventToken } from "../lib/event-token";
import { newId } from "../lib/ids";
import { recordLive } from "./analytics/live";
import type { Deps } from "./deps";
import { markReadFromPush } from "./inbox";
import { emitFirstClick } from "./webhooks/events";

export type EventType = "impression" | "click" | "dismiss";

export async function recordEvent(deps: Deps, input: { token: string; type: EventType; action?: string }) {
  const ref = await verifyEventToken(deps.env.JWT_SECRET, input.token);
  if (!ref) throw new ApiError("invalid_token", "The event token is invalid.", [{ path: "token", message: "Invalid token." }]);
  const now = deps.now();
  const result = await insertEventOnce(deps.db, {
    id: newId("evt", now),
    siteId: ref.siteId,
    notificationId: ref.notificationId,
    subscriberId: ref.subscriberId,
    type: input.type,
    action: input.type === "click" ? (input.action ?? null) : null,
    createdAt: now,
  });
  if (result === "gone") {
    throw new ApiError("subscriber_gone", "This subscriber or notification no longer exists (it was erased); the event was not recorded.");
  }
  const created = result === "created";
  if (created) {
    const counter = input.type === "impression" ? "impressions" : input.type === "click" ? "clicks" : "dismissals";
    await recordLive(deps.env, ref.siteId, { notificationId: ref.notificationId, counts: { [counter]: 1 } });
    if (input.type === "click") {
      await emitFirstClick(deps, ref, input.action ?? null, now);
      await readInInbox(deps, ref, now);
    }
  }
  return { ref, created };
}

/** The clicked push and the inbox item are one message: the item (id = the notification's) is
 *  read now in the subscriber's user's inbox — nothing when the browser has no known user or the
 *  message had no in_app part. The click is recorded already; an unreachable inbox is logged,
 *  not a failed event (the user can still read the item there). */
async function readInInbox(deps: Deps, ref: { siteId: string; notificationId: string; subscriberId: string }, now: number) {
  const externalId = (await externalIdsOf(deps.db, ref.siteId, [ref.subscriberId])).get(ref.subscriberId);
  if (!externalId) return;
  try {
    await markReadFromPush(deps.env, ref.siteId, externalId, ref.notificationId, now);
  } catch (err) {
    console.error("inbox read on click failed", ref.notificationId, err);
  }
}
