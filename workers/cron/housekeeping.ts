// Every 10 minutes: drop expired Idempotency-Key records, provider reports no delivery
// claimed (services/sending/status.ts) and frequency-cap ledger rows past the longest window; re-enqueue webhook attempts whose
// queue message was lost and delete the webhook log past its retention (services/webhooks).
import { IDEMPOTENCY_TTL_MS, PROVIDER_REPORT_HOLD_MS } from "../config";
import { pruneCapLedger } from "../db/queries/caps";
import { deleteExpiredIdempotencyKeys } from "../db/queries/idempotency";
import { dropStaleReports } from "../db/queries/messages";
import type { Deps } from "../services/deps";
import { webhookHousekeeping } from "../services/webhooks/housekeeping";

export async function runHousekeeping(deps: Deps) {
  const res = await deleteExpiredIdempotencyKeys(deps.db, deps.now() - IDEMPOTENCY_TTL_MS);
  const reports = await dropStaleReports(deps.db, deps.now() - PROVIDER_REPORT_HOLD_MS);
  const ledger = await pruneCapLedger(deps.db, deps.now());
  return {
    idempotencyKeysDeleted: res.meta.changes,
    staleProviderReportsDeleted: reports.meta.changes,
    capLedgerRowsDeleted: ledger.meta.changes,
    webhooks: await webhookHousekeeping(deps),
  };
}
