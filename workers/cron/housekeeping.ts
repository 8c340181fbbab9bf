// Every 10 minutes: drop expired Idempotency-Key records and provider reports no delivery
// claimed (services/sending/status.ts); re-enqueue webhook attempts whose
// queue message was lost and delete the webhook log past its retention (services/webhooks).
import { IDEMPOTENCY_TTL_MS, PROVIDER_REPORT_HOLD_MS } from "../config";
import { deleteExpiredIdempotencyKeys } from "../db/queries/idempotency";
import { dropStaleReports } from "../db/queries/messages";
import type { Deps } from "../services/deps";
import { webhookHousekeeping } from "../services/webhooks/housekeeping";

export async function runHousekeeping(deps: Deps) {
  const res = await deleteExpiredIdempotencyKeys(deps.db, deps.now() - IDEMPOTENCY_TTL_MS);
  const reports = await dropStaleReports(deps.db, deps.now() - PROVIDER_REPORT_HOLD_MS);
  return { idempotencyKeysDeleted: res.meta.changes, staleProviderReportsDeleted: reports.meta.changes, webhooks: await webhookHousekeeping(deps) };
}
