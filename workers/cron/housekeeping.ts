// Every 10 minutes: drop expired Idempotency-Key records; re-enqueue webhook attempts whose
// queue message was lost and delete the webhook log past its retention (services/webhooks).
import { IDEMPOTENCY_TTL_MS } from "../config";
import { deleteExpiredIdempotencyKeys } from "../db/queries/idempotency";
import type { Deps } from "../services/deps";
import { webhookHousekeeping } from "../services/webhooks/housekeeping";

export async function runHousekeeping(deps: Deps) {
  const res = await deleteExpiredIdempotencyKeys(deps.db, deps.now() - IDEMPOTENCY_TTL_MS);
  return { idempotencyKeysDeleted: res.meta.changes, webhooks: await webhookHousekeeping(deps) };
}
