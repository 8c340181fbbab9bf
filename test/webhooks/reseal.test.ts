// Master-key rotation re-seals webhook signing secrets (current and previous) with the rest,
// page by page, and deliveries still verify with the secrets the receiver holds.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeDeps } from "../../workers/services/deps";
import { reencryptSecrets } from "../../workers/services/secrets";
import { emitWebhookEvent } from "../../workers/services/webhooks/emit";
import { call } from "../helpers";
import { drain, receiver, siteWithEndpoint, webhookDeps } from "./helpers";

describe("webhook secrets and master-key rotation", () => {
  it("re-seals current and previous secrets under the newest key, and deliveries still verify", async () => {
    const { owner, site, endpoint } = await siteWithEndpoint("reseal");
    const rotated = (await call("POST", `/api/sites/${site.id}/webhooks/${endpoint.id}/rotate-secret`, { token: owner.token })).body;
    const rotatedEnv = { ...env, MASTER_KEYS: `${env.MASTER_KEYS},9:${btoa(String.fromCharCode(...new Uint8Array(32).fill(9)))}` };
    let cursor: string | null = "";
    while (cursor !== null) cursor = (await reencryptSecrets(makeDeps(rotatedEnv), cursor, 3)).next_cursor;
    const row = await env.DB.prepare("select secret_enc, previous_secret_enc from webhook_endpoints where id = ?").bind(endpoint.id).first<{ secret_enc: string; previous_secret_enc: string }>();
    expect(row!.secret_enc).toMatch(/^env1\.9\./);
    expect(row!.previous_secret_enc).toMatch(/^env1\.9\./);
    expect((await reencryptSecrets(makeDeps(rotatedEnv), "", 1000)).reencrypted).toBe(0);

    const r = receiver({ secrets: [rotated.secret, endpoint.secret] });
    const w = webhookDeps(r);
    w.deps = { ...w.deps, env: { ...w.deps.env, MASTER_KEYS: rotatedEnv.MASTER_KEYS } };
    await emitWebhookEvent(w.deps, site.id, "subscriber.created", {} as never);
    await drain(w);
    expect(r.received[0]!.verifiedWith).toEqual([0, 1]);
  });
});
