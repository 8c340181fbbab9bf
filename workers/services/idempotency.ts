// Idempotency-Key (as Stripe and the IETF draft define it): the first response to a
// (site, key) is stored and replayed for retries of the same request; the same key
// with a different request is a 422; a retry while the first is running is a 409.
// A request that fails with an error releases the key, so it may be retried.
import { IDEMPOTENCY_TTL_MS } from "../config";
import * as q from "../db/queries/idempotency";
import { ApiError } from "../errors";
import { sha256Hex } from "../lib/encoding";
import type { Deps } from "./deps";

export interface StoredResponse {
  status: number;
  body: unknown;
  replayed: boolean;
}

export async function withIdempotency(
  deps: Deps,
  siteId: string,
  key: string | undefined,
  request: string,
  run: () => Promise<{ status: number; body: unknown }>,
): Promise<StoredResponse> {
  if (key === undefined) return { ...(await run()), replayed: false };
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ApiError("validation_failed", "Idempotency-Key must be 1-255 visible ASCII characters.", [
      { path: "Idempotency-Key", message: "Invalid header value." },
    ]);
  }
  const hash = await sha256Hex(request);
  const now = deps.now();
  const existing = await q.findIdempotencyKey(deps.db, siteId, key);
  if (existing && existing.createdAt < now - IDEMPOTENCY_TTL_MS) await q.deleteExpiredIdempotencyKeys(deps.db, now - IDEMPOTENCY_TTL_MS);
  else if (existing) return replay(existing, hash);
  if (!(await q.claimIdempotencyKey(deps.db, siteId, key, hash, now))) {
    const raced = await q.findIdempotencyKey(deps.db, siteId, key);
    if (raced) return replay(raced, hash);
  }
  try {
    const result = await run();
    await q.storeIdempotentResponse(deps.db, siteId, key, result.status, JSON.stringify(result.body));
    return { ...result, replayed: false };
  } catch (err) {
    await q.releaseIdempotencyKey(deps.db, siteId, key);
    throw err;
  }
}

function replay(row: { requestHash: string; status: number; body: string }, hash: string): StoredResponse {
  if (row.requestHash !== hash) throw new ApiError("idempotency_conflict");
  if (row.status === 0) throw new ApiError("idempotency_in_progress");
  return { status: row.status, body: JSON.parse(row.body), replayed: true };
}
