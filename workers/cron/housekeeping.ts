// Every 10 minutes: drop expired Idempotency-Key records.
import { IDEMPOTENCY_TTL_MS } from "../config";
import { deleteExpiredIdempotencyKeys } from "../db/queries/idempotency";
import type { Deps } from "../services/deps";

export async function runHousekeeping(deps: Deps): Promise<{ idempotencyKeysDeleted: number }> {
  const res = await deleteExpiredIdempotencyKeys(deps.db, deps.now() - IDEMPOTENCY_TTL_MS);
  return { idempotencyKeysDeleted: res.meta.changes };
}
