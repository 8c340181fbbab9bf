// Helpers of the messages tests: a browser subscribed as a (verified) user, and polling.
import { expect } from "vitest";
import { identityHash } from "../../workers/lib/identity";
import type { installFakePush } from "../fixtures/fake-push";
import { call, freshIp } from "../helpers";

export async function subscribeAs(push: ReturnType<typeof installFakePush>, site: { site_key: string; identity_secret: string }, externalId: string | null, script: number[] = [201]) {
  const sub = await push.subscription(script);
  const identity = externalId ? { external_id: externalId, external_id_hash: await identityHash(site.identity_secret, externalId) } : {};
  const r = await call("POST", "/api/subscribe", {
    body: { site_key: site.site_key, subscription: { endpoint: sub.endpoint, keys: sub.keys }, ...identity },
    headers: { "CF-Connecting-IP": freshIp() },
  });
  expect(r.status).toBe(201);
  return r.body.subscriber_id as string;
}

export async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

