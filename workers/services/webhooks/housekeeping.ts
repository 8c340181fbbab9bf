// The webhooks' share of the 10-minute housekeeping cron, safe to run twice or concurrently:
//  • attempts whose queue message was lost (a failed send after the rows were written, a
//    consumer that died past its retries) are claimed — marked due now, so another run skips
//    them — and enqueued again;
//  • the delivery log and the events older than WEBHOOK_LOG_RETENTION_MS are deleted, a bounded
//    number of rows per run.
import { WEBHOOK_HOUSEKEEPING_BATCH, WEBHOOK_LOG_RETENTION_MS, WEBHOOK_STALL_AFTER_MS } from "../../config";
import * as q from "../../db/queries/webhooks";
import { enqueueWebhookAttempts } from "../../queues/webhook-messages";
import type { Deps } from "../deps";

export async function webhookHousekeeping(deps: Deps) {
  const now = deps.now();
  const stalled = await q.claimStalledDeliveries(deps.db, now - WEBHOOK_STALL_AFTER_MS, now, WEBHOOK_HOUSEKEEPING_BATCH);
  // A send failing here leaves them due-now pending rows: the next run takes them again.
  await enqueueWebhookAttempts(deps.env.WEBHOOK_QUEUE, stalled.map((r) => ({ siteId: r.siteId, deliveryId: r.id })));
  const deleted = await q.deleteOldWebhookRows(deps.db, now - WEBHOOK_LOG_RETENTION_MS, WEBHOOK_HOUSEKEEPING_BATCH);
  return { requeued: stalled.length, deliveriesDeleted: deleted.deliveries, eventsDeleted: deleted.events };
}
