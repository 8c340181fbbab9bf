// Twilio and FCM through Herald's own doors: an integration created with the integrations API
// (the provider's schemas validate, the hint is shown, no secret comes back) and its test send
// going out through safe-fetch to the providers' real origins (faked here, with the DNS check).
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { toBase64 } from "../../workers/lib/encoding";
import { clearFcmTokenCache } from "../../workers/providers/fcm/token";
import { call, tenant } from "../helpers";

const pem = (label: string, der: ArrayBuffer) => `-----BEGIN ${label}-----\n${toBase64(new Uint8Array(der)).replace(/.{64}/g, "$&\n")}\n-----END ${label}-----\n`;
let serviceAccount: Record<string, string>;

beforeAll(async () => {
  const pair = (await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign"])) as CryptoKeyPair;
  serviceAccount = {
    type: "service_account",
    project_id: "herald-demo",
    private_key_id: "0123456789abcdef0123456789abcdef0badc0de",
    private_key: pem("PRIVATE KEY", (await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer),
    client_email: "firebase-adminsdk-x@herald-demo.iam.gserviceaccount.com",
    token_uri: "https://evil.example/token",
  };
}, 60_000);

interface Seen {
  url: string;
  headers: Headers;
  body: string;
}

/** The providers' real origins, and the DNS-over-HTTPS lookup safe-fetch makes first. */
function fakeInternet() {
  const seen: Seen[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    const url = new URL(req.url);
    if (url.hostname === "cloudflare-dns.com") {
      const answer = url.searchParams.get("type") === "A" ? [{ name: url.searchParams.get("name"), type: 1, TTL: 300, data: "142.250.74.106" }] : [];
      return Response.json({ Status: 0, Answer: answer });
    }
    seen.push({ url: req.url, headers: req.headers, body: new TextDecoder().decode(await req.arrayBuffer()) });
    if (req.url === "https://oauth2.googleapis.com/token") return Response.json({ access_token: "ya29.integration", expires_in: 3599, token_type: "Bearer" });
    if (req.url === "https://fcm.googleapis.com/v1/projects/herald-demo/messages:send") return Response.json({ name: "projects/herald-demo/messages/0:1" });
    if (url.origin === "https://api.twilio.com") return Response.json({ sid: "SM0123456789abcdef0123456789abcdef", status: "queued" }, { status: 201 });
    return new Response("not here", { status: 404 });
  });
  return { seen, restore: () => spy.mockRestore() };
}

let net: ReturnType<typeof fakeInternet> | undefined;
afterEach(() => {
  net?.restore();
  net = undefined;
  clearFcmTokenCache();
});

describe("FCM integration", () => {
  it("takes the service-account JSON as pasted text, shows project and key hint, and never returns the key", async () => {
    const { owner, site } = await tenant("fcmint");
    const r = await call("POST", `/api/sites/${site.id}/integrations`, {
      token: owner.token,
      body: { channel: "fcm", provider: "fcm", name: "Firebase", credentials: { service_account: JSON.stringify(serviceAccount) } },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ channel: "fcm", provider: "fcm", credentials_hint: "herald-demo ••••c0de", settings: {} });
    const listed = await call("GET", `/api/sites/${site.id}/integrations`, { token: owner.token });
    const text = JSON.stringify(r.body) + JSON.stringify(listed.body);
    expect(text).not.toContain("PRIVATE KEY");
    expect(text).not.toContain(serviceAccount.private_key!.split("\n")[1]);

    net = fakeInternet();
    const test = await call("POST", `/api/sites/${site.id}/integrations/${r.body.id}/test`, { token: owner.token, body: { to: "dGVzdC1kZXZpY2UtdG9rZW4tMTIzNDU2Nzg5MA" } });
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ ok: true, outcome: "sent", provider_message_id: "projects/herald-demo/messages/0:1" });
    // Google's fixed token endpoint, never the token_uri in the tenant's JSON.
    expect(net.seen.map((s) => s.url)).toEqual(["https://oauth2.googleapis.com/token", "https://fcm.googleapis.com/v1/projects/herald-demo/messages:send"]);
    expect(net.seen[1]!.headers.get("authorization")).toBe("Bearer ya29.integration");
    expect(JSON.stringify(test.body)).not.toContain("ya29");
  });

  it("names the field of a key that is not what Google issues", async () => {
    const { owner, site } = await tenant("fcmint2");
    const r = await call("POST", `/api/sites/${site.id}/integrations`, {
      token: owner.token,
      body: { channel: "fcm", provider: "fcm", name: "Firebase", credentials: { service_account: { ...serviceAccount, private_key: "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n" } } },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("validation_failed");
    expect(r.body.error.fields[0]).toMatchObject({ path: "credentials.service_account.private_key", message: expect.stringMatching(/PKCS#1/) });
  });
});

describe("Twilio integration", () => {
  it("is created with an auth token and test-sends an SMS with Basic auth to api.twilio.com", async () => {
    const { owner, site } = await tenant("twint");
    const r = await call("POST", `/api/sites/${site.id}/integrations`, {
      token: owner.token,
      body: { channel: "sms", provider: "twilio", name: "Twilio", credentials: { auth_token: "f00dfeedf00dfeedf00dfeedf00dfeed" }, settings: { account_sid: "AC0123456789abcdef0123456789abcdef", from: "+15005550006" } },
    });
    expect(r.status).toBe(201);
    expect(r.body.credentials_hint).toBe("••••feed");
    expect(JSON.stringify(r.body)).not.toContain("f00dfeedf00dfeedf00dfeedf00dfeed");

    net = fakeInternet();
    const test = await call("POST", `/api/sites/${site.id}/integrations/${r.body.id}/test`, { token: owner.token, body: { to: "+14155550123" } });
    expect(test.body).toMatchObject({ ok: true, outcome: "sent", provider_message_id: "SM0123456789abcdef0123456789abcdef" });
    const [sent] = net.seen;
    expect(sent!.url).toBe("https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json");
    expect(sent!.headers.get("authorization")).toBe(`Basic ${btoa("AC0123456789abcdef0123456789abcdef:f00dfeedf00dfeedf00dfeedf00dfeed")}`);
    const form = new URLSearchParams(sent!.body);
    expect(form.get("To")).toBe("+14155550123");
    expect(form.get("StatusCallback")).toBe(`http://herald.test/api/callbacks/twilio/${r.body.id}`);
  });

  it("names the fields of a wrong account SID and a missing sender", async () => {
    const { owner, site } = await tenant("twint2");
    const r = await call("POST", `/api/sites/${site.id}/integrations`, {
      token: owner.token,
      body: { channel: "sms", provider: "twilio", name: "Twilio", credentials: { api_key_sid: "SK0123456789abcdef0123456789abcdef" }, settings: { account_sid: "AC123" } },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(["credentials.api_key_secret", "settings.account_sid", "settings.from"]);
  });
});
