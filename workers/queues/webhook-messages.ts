// Webhook-queue message bodies (queue herald-webhooks): one attempt to deliver one event to one
// endpoint, named by its row in webhook_deliveries. Bodies carry ids only — never the URL, the
// payload or a secret; the consumer reads those from D1 when the attempt runs.
import { QUEUE_SEND_BATCH_MAX } from "../config";

export type WebhookMessage = { v: 1; type: "attempt"; siteId: string; deliveryId: string };

export const webhookMessage = (siteId: string, deliveryId: string): WebhookMessage => ({ v: 1, type: "attempt", siteId, deliveryId });

/** Enqueues attempts, each after its own delay (seconds), in slices of what one sendBatch accepts. */
export async function enqueueWebhookAttempts(
  queue: Env["WEBHOOK_QUEUE"],
  attempts: Array<{ siteId: string; deliveryId: string; delayS?: number }>,
): Promise<void> {
  for (let i = 0; i < attempts.length; i += QUEUE_SEND_BATCH_MAX) {
    await queue.sendBatch(
      attempts.slice(i, i + QUEUE_SEND_BATCH_MAX).map((a) => ({
        body: webhookMessage(a.siteId, a.deliveryId),
        ...(a.delayS ? { delaySeconds: a.delayS } : {}),
      })),
    );
  }
}

/** The message, or null when this code cannot read it (a newer version, garbage). */
export function readWebhookMessage(body: unknown): WebhookMessage | null {
  const m = body as Partial<WebhookMessage> | null;
  if (!m || typeof m !== "object" || m.v !== 1 || m.type !== "attempt") return null;
  if (typeof m.siteId !== "string" || typeof m.deliveryId !== "string") return null;
  return m as WebhookMessage;
}
