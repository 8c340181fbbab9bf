// Mobile push through messages (issue #8 §3, §5): every active FCM device of the named users gets
// one FCM HTTP v1 message, with one OAuth token for the whole send; a token FCM calls UNREGISTERED
// unregisters the device (and tells the site's webhooks), and the next message skips it.
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { toBase64 } from "../../workers/lib/encoding";
import { call, tenant } from "../helpers";
import { waitFor } from "./helpers";

const pem = (label: string, der: ArrayBuffer) => `-----BEGIN ${label}-----\n${toBase64(new Uint8Array(der)).replace(/.{64}/g, "$&\n")}\n-----END ${label}-----\n`;
let serviceAccount: Record<string, string>;
beforeAll(async () => {
  const pair = (await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  serviceAccount = {
    type: "service_account",
    project_id: "herald-msg-test",
    private_key_id: "abc123",
    private_key: pem("PRIVATE KEY", (await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer),
    client_email: "firebase-adminsdk-x@herald-msg-test.iam.gserviceaccount.com",
  };
}, 60_000);

let restore: (() => void) | undefined;
afterEach(() => restore?.());

/** Google's token endpoint and FCM's send, as they answer. */
function installGoogle() {
  const tokens: string[] = [];
  const sends: Array<{ token: string; title: string; authorization: string | null }> = [];
  const realFetch = globalThis.fetch;
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    const url = new URL(req.url);
    if (url.hostname === "cloudflare-dns.com") {
      return Response.json({ Status: 0, Answer: url.searchParams.get("type") === "A" ? [{ name: url.searchParams.get("name"), type: 1, TTL: 300, data: "142.250.1.1" }] : [] });
    }
    if (url.origin === "https://oauth2.googleapis.com" && url.pathname === "/token") {
      const token = `ya29.${crypto.randomUUID()}`;
      tokens.push(token);
      return Response.json({ access_token: token, expires_in: 3599, token_type: "Bearer" });
    }
    if (url.origin === "https://fcm.googleapis.com") {
      const { message } = (await req.json()) as { message: { token: string; notification: { title: string } } };
      sends.push({ token: message.token, title: message.notification.title, authorization: req.headers.get("authorization") });
      if (message.token.startsWith("unregistered-")) {
        return Response.json(
          { error: { code: 404, message: "Requested entity was not found.", status: "NOT_FOUND", details: [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode: "UNREGISTERED" }] } },
          { status: 404 },
        );
      }
      return Response.json({ name: `projects/herald-msg-test/messages/${crypto.randomUUID()}` });
    }
    return realFetch(input as RequestInfo, init);
  });
  restore = () => spy.mockRestore();
  return { tokens, sends };
}

describe("messages to mobile devices (FCM)", () => {
  it("sends to every active device once with one OAuth token, prunes an unregistered token, and skips it next time", async () => {
    const google = installGoogle();
    const { owner, site } = await tenant("fcmmsg");
    const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${site.id}${path}`, { token: owner.token, body });
    const integration = await api("POST", "/integrations", { channel: "fcm", provider: "fcm", name: "Firebase", credentials: { service_account: serviceAccount } });
    expect(integration.status, JSON.stringify(integration.body)).toBe(201);
    expect(JSON.stringify(integration.body)).not.toContain("PRIVATE KEY");
    await api("POST", "/webhooks", { url: "http://127.0.0.1:8799/hooks", event_types: ["subscriber.deleted"] });
    for (const [user, tokens] of [["ada", ["ada-phone-token-0123456789", "unregistered-ada-tablet-0123456789"]], ["bob", ["bob-phone-token-0123456789"]]] as const) {
      await api("POST", "/users", { external_id: user });
      for (const token of tokens) expect((await api("POST", `/users/${user}/devices`, { type: "fcm", token, platform: "android" })).status).toBe(201);
    }

    const content = { fcm: { title: "Your order shipped", body: "Arrives Tuesday", url: "https://shop.example.com/o/1" } };
    const m = await api("POST", "/messages", { to: { external_ids: ["ada", "bob"] }, content });
    expect(m.status, JSON.stringify(m.body)).toBe(202);
    const done = await waitFor(
      () => api("GET", `/messages/${m.body.id}`),
      (r) => r.body.status === "completed",
    );
    expect(done.body.channels.fcm).toMatchObject({ state: "done", targeted: 3, sent: 2, unreachable: 1 });
    expect(google.sends.map((s) => s.token).sort()).toEqual(["ada-phone-token-0123456789", "bob-phone-token-0123456789", "unregistered-ada-tablet-0123456789"]);
    expect(google.tokens).toHaveLength(1); // one OAuth token for the send, not one per message
    expect(new Set(google.sends.map((s) => s.authorization))).toEqual(new Set([`Bearer ${google.tokens[0]}`]));

    // The unregistered device is inactive, the site's webhooks heard it was gone, and the next message skips it.
    const devices = (await api("GET", "/users/ada/devices")).body.data as Array<{ active: boolean }>;
    expect(devices.map((d) => d.active).sort()).toEqual([false, true]);
    const gone = await env.DB.prepare("select data from webhook_events where site_id = ? and type = 'subscriber.deleted'").bind(site.id).all<{ data: string }>();
    expect(gone.results.map((r) => JSON.parse(r.data))).toMatchObject([{ channel: "fcm", external_id: "ada", reason: "gone" }]);
    const again = await api("POST", "/messages", { to: { external_ids: ["ada"] }, content });
    const second = await waitFor(
      () => api("GET", `/messages/${again.body.id}`),
      (r) => r.body.status === "completed",
    );
    expect(second.body.channels.fcm).toMatchObject({ targeted: 1, sent: 1 });
    expect(google.tokens).toHaveLength(1); // still cached
  });
});
