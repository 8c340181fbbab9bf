// The delivery log as the API shows it: every attempt of an endpoint, newest first, in cursor
// pages, optionally one status only. A row being sent right now reads as pending.
import type { WebhookDeliveryStatus, WebhookDeliveryView } from "../../contracts/webhook-events";
import * as q from "../../db/queries/webhooks";
import { ApiError } from "../../errors";
import type { Deps } from "../deps";
import { webhookMessageId } from "./signing";

export async function deliveryView(row: q.WebhookDeliveryRow): Promise<WebhookDeliveryView> {
  return {
    id: row.id,
    endpoint_id: row.endpointId,
    event_id: row.eventId,
    event_type: row.eventType,
    webhook_id: await webhookMessageId(row.endpointId, row.eventId),
    kind: row.kind,
    attempt: row.attempt,
    status: row.status === "sending" ? "pending" : row.status,
    response_status: row.responseStatus,
    response_body: row.responseBody,
    error: row.error,
    error_detail: row.errorDetail,
    duration_ms: row.durationMs,
    attempted_at: row.attemptedAt,
    next_attempt_at: row.nextAttemptAt,
    created_at: row.createdAt,
  };
}

export async function listDeliveries(
  deps: Deps,
  siteId: string,
  endpointId: string,
  filter: { status?: WebhookDeliveryStatus },
  cursor: string | undefined,
  limit: number,
): Promise<{ data: WebhookDeliveryView[]; next_cursor: string | null }> {
  if (!(await q.findEndpoint(deps.db, siteId, endpointId))) throw new ApiError("not_found", "Webhook endpoint not found.");
  const rows = await q.listDeliveries(deps.db, siteId, endpointId, filter, cursor, limit + 1);
  const page = rows.slice(0, limit);
  return { data: await Promise.all(page.map(deliveryView)), next_cursor: rows.length > limit ? page[page.length - 1]!.id : null };
}
