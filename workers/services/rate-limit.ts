// Rate limits backed by the RateLimiter Durable Object (one bucket per key).
import type { BucketLimit } from "../../durable-objects/rate-limiter";
import { ApiError } from "../errors";

/** Takes one token from each bucket; throws 429 with Retry-After when any is empty. */
export async function enforceRateLimits(env: Env, buckets: Array<{ key: string; limit: BucketLimit }>): Promise<void> {
  const results = await Promise.all(
    buckets.map(({ key, limit }) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key)).take(limit)),
  );
  const retryAfterS = Math.max(0, ...results.filter((r) => !r.allowed).map((r) => r.retryAfterS));
  if (retryAfterS > 0) {
    throw new ApiError("rate_limited", `Too many requests; retry in ${retryAfterS} s.`, undefined, {
      "Retry-After": String(retryAfterS),
    });
  }
}

export const clientIp = (headers: Headers) => headers.get("CF-Connecting-IP") ?? "local";
