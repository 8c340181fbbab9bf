// Engagement events reported by the service worker (impression, click, dismiss),
// authenticated by the per-delivery token; each (delivery, type) counts once.
import { insertEventOnce } from "../db/queries/events";
import { ApiError } from "../errors";
import { verifyEventToken } from "../lib/event-token";
import { newId } from "../lib/ids";
import { recordLive } from "./analytics/live";
import type { Deps } from "./deps";
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
    if (input.type === "click") await emitFirstClick(deps, ref, input.action ?? null, now);
  }
  return { ref, created };
}
