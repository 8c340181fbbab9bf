// Every 10 minutes: drop expired Idempotency-Key records, provider reports no delivery
// claimed (services/sending/status.ts), frequency-cap ledger rows past the longest window and
// trigger signatures past the replay window; re-enqueue webhook attempts whose
// queue message was lost and delete the webhook log past its retention (services/webhooks).
import { IDEMPOTENCY_TTL_MS, PROVIDER_REPORT_HOLD_MS, TRIGGER_SIGNATURE_TOLERANCE_S } from "../config";
import { pruneCapLedger } from "../db/queries/caps";
import { deleteExpiredIdempotencyKeys } from "../db/queries/idempotency";
import { dropStaleReports } from "../db/queries/messages";
import { pruneSignatures } from "../db/queries/triggers";
import type { Deps } from "../services/deps";
import { webhookHousekeeping } from "../services/webhooks/housekeeping";

export async function runHousekeeping(deps: Deps) {
  const res = await deleteExpiredIdempotencyKeys(deps.db, deps.now() - IDEMPOTENCY_TTL_MS);
  const reports = await dropStaleReports(deps.db, deps.now() - PROVIDER_REPORT_HOLD_MS);
  const ledger = await pruneCapLedger(deps.db, deps.now());
  const signatures = await pruneSignatures(deps.db, deps.now() - 2 * TRIGGER_SIGNATURE_TOLERANCE_S * 1000);
  return {
    idempotencyKeysDeleted: res.meta.changes,
    staleProviderReportsDeleted: reports.meta.changes,
    capLedgerRowsDeleted: ledger.meta.changes,
    triggerSignaturesDeleted: signatures.meta.changes,
    webhooks: await webhookHousekeeping(deps),
  };
}
