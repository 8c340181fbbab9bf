// A token bucket per key (one object per `idFromName(key)`): login per IP, login per
// email, subscribe per IP / per site. SQLite-backed storage keeps the bucket across
// evictions; the object serialises requests, so concurrent takes cannot overspend.
import { DurableObject } from "cloudflare:workers";

export interface BucketLimit {
  capacity: number;
  refillPerMinute: number;
}
export interface TakeResult {
  allowed: boolean;
  remaining: number;
  retryAfterS: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter extends DurableObject<Env> {
  async take(limit: BucketLimit, cost = 1, now = Date.now()): Promise<TakeResult> {
    const stored = (await this.ctx.storage.get<Bucket>("bucket")) ?? { tokens: limit.capacity, updatedAt: now };
    const refillPerMs = limit.refillPerMinute / 60_000;
    const tokens = Math.min(limit.capacity, stored.tokens + Math.max(0, now - stored.updatedAt) * refillPerMs);
    if (tokens >= cost) {
      await this.ctx.storage.put("bucket", { tokens: tokens - cost, updatedAt: now });
      return { allowed: true, remaining: Math.floor(tokens - cost), retryAfterS: 0 };
    }
    await this.ctx.storage.put("bucket", { tokens, updatedAt: now });
    return { allowed: false, remaining: 0, retryAfterS: Math.max(1, Math.ceil((cost - tokens) / refillPerMs / 1000)) };
  }
}
