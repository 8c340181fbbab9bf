// The FCM stand-in (scripts/local/providers/fcm.ts) behind the local provider server: service
// accounts it issues, Google's JWT-bearer token endpoint (the assertion's RS256 signature,
// audience, lifetime and scope checked), the v1 send with its validation, and the failure
// modes by token prefix.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { importPKCS8, SignJWT } from "jose";
import { type ProviderStandIns, startProviderStandIns, STAND_INS } from "../../scripts/local/providers/server.ts";

interface ServiceAccount {
  type: string;
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  token_uri: string;
}

const SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
const AUD = "https://oauth2.googleapis.com/token";

let server: ProviderStandIns;
let demo: ServiceAccount;
let other: ServiceAccount;

async function issue(project: string): Promise<ServiceAccount> {
  const res = await fetch(`${server.origin}/_standin/fcm/service-accounts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ project_id: project }) });
  assert.equal(res.status, 201);
  return (await res.json()) as ServiceAccount;
}

before(async () => {
  server = await startProviderStandIns({ port: 0 });
  [demo, other] = await Promise.all([issue("herald-demo"), issue("other-proj")]);
});
after(() => server.close());
beforeEach(() => server.reset());

/** The assertion Herald signs (providers/fcm/token.ts), with parts overridable. */
async function assertion(sa: ServiceAccount, over: { iss?: string; aud?: string; scope?: string; iat?: number; exp?: number; key?: string } = {}) {
  const iat = over.iat ?? Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: over.scope ?? SCOPE })
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: sa.private_key_id })
    .setIssuer(over.iss ?? sa.client_email)
    .setAudience(over.aud ?? AUD)
    .setIssuedAt(iat)
    .setExpirationTime(over.exp ?? iat + 3600)
    .sign(await importPKCS8(over.key ?? sa.private_key, "RS256"));
}

async function token(form: Record<string, string>) {
  const res = await fetch(`${server.origin}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form).toString() });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
const grant = async (sa: ServiceAccount, over = {}) => token({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: await assertion(sa, over) });
const accessToken = async (sa: ServiceAccount) => (await grant(sa)).body.access_token as string;

async function send(project: string, bearer: string | null, body: unknown) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const res = await fetch(`${server.origin}/v1/projects/${project}/messages:send`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}
const msg = (token: string, extra: Record<string, unknown> = {}) => ({ message: { token, notification: { title: "Hi", body: "There" }, ...extra } });

describe("FCM stand-in: service accounts and the token endpoint", () => {
  it("is one of the provider server's stand-ins", () => {
    assert.ok(STAND_INS.some((s) => s.name === "fcm"));
  });

  it("issues a complete service-account JSON with an RSA PKCS#8 key and Google's real token_uri", () => {
    assert.equal(demo.type, "service_account");
    assert.equal(demo.project_id, "herald-demo");
    assert.match(demo.private_key, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    assert.match(demo.client_email, /^firebase-adminsdk-[0-9a-f]{5}@herald-demo\.iam\.gserviceaccount\.com$/);
    assert.match(demo.private_key_id, /^[0-9a-f]{40}$/);
    assert.equal(demo.token_uri, "https://oauth2.googleapis.com/token");
  });

  it("refuses a project id Google would not have", async () => {
    const res = await fetch(`${server.origin}/_standin/fcm/service-accounts`, { method: "POST", body: JSON.stringify({ project_id: "Bad_Project" }) });
    assert.equal(res.status, 400);
  });

  it("exchanges a correctly signed assertion for a one-hour Bearer token and counts the fetch", async () => {
    const r = await grant(demo);
    assert.equal(r.status, 200);
    assert.match(r.body.access_token, /^ya29\./);
    assert.equal(r.body.expires_in, 3599);
    assert.equal(r.body.token_type, "Bearer");
    const stats = (await (await fetch(`${server.origin}/_standin/fcm/stats`)).json()) as { token_fetches: Record<string, number> };
    assert.deepEqual(stats.token_fetches, { "herald-demo": 1 });
    assert.equal(server.records("fcm").filter((r) => r.path === "/token" && r.status === 200).length, 1);
  });

  it("refuses assertions Google would refuse, with Google's OAuth errors", async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[Promise<{ status: number; body: Record<string, any> }>, string, RegExp]> = [
      [grant(demo, { key: other.private_key }), "invalid_grant", /Invalid JWT Signature/],
      [grant(demo, { iss: "nobody@herald-demo.iam.gserviceaccount.com" }), "invalid_grant", /account not found/],
      [grant(demo, { aud: "https://evil.example/token" }), "invalid_grant", /audience/],
      [grant(demo, { iat: now, exp: now + 7200 }), "invalid_grant", /short-lived/],
      [grant(demo, { iat: now - 7200, exp: now - 3600 }), "invalid_grant", /short-lived/],
      [grant(demo, { scope: "https://www.googleapis.com/auth/userinfo.email" }), "invalid_scope", /scope/],
      [token({ grant_type: "client_credentials", assertion: "x" }), "unsupported_grant_type", /grant_type/],
      [token({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer" }), "invalid_request", /assertion/],
    ];
    for (const [pending, error, description] of cases) {
      const r = await pending;
      assert.equal(r.status, 400);
      assert.equal(r.body.error, error);
      assert.match(r.body.error_description, description);
    }
  });
});

describe("FCM stand-in: messages:send", () => {
  it("accepts a v1 message with a token issued for the project and records it", async () => {
    const bearer = await accessToken(demo);
    const r = await send("herald-demo", bearer, msg("device-1", { data: { url: "https://shop.example/o/1" }, webpush: { fcm_options: { link: "https://shop.example/o/1" } } }));
    assert.equal(r.status, 200);
    assert.match(r.body.name, /^projects\/herald-demo\/messages\/0:\d+%[0-9a-f]{16}$/);
    const record = server.records("fcm").find((x) => x.path.endsWith("messages:send"))!;
    assert.equal(record.messageId, r.body.name);
    assert.equal(record.headers.authorization, `Bearer ${bearer}`);
    assert.deepEqual((record.parsed as { notification: unknown }).notification, { title: "Hi", body: "There" });
  });

  it("answers 401 without a valid token (none, unknown, revoked) and 403 for another project's", async () => {
    const bearer = await accessToken(demo);
    assert.equal((await send("herald-demo", null, msg("d"))).body.error.status, "UNAUTHENTICATED");
    assert.equal((await send("herald-demo", "ya29.made-up", msg("d"))).status, 401);
    const denied = await send("other-proj", bearer, msg("d"));
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.status, "PERMISSION_DENIED");
    await fetch(`${server.origin}/_standin/fcm/revoke-tokens`, { method: "POST" });
    assert.equal((await send("herald-demo", bearer, msg("d"))).status, 401);
    assert.equal((await send("herald-demo", await accessToken(demo), msg("d"))).status, 200);
  });

  it("validates the message like FCM (INVALID_ARGUMENT)", async () => {
    const bearer = await accessToken(demo);
    const bad = [
      "{not json",
      { message: { token: "d", notification: { title: "x" }, unknown: 1 } },
      { message: { token: "d", topic: "news" } },
      { message: { notification: { title: "x" } } },
      { message: { token: "d", data: { n: 1 } } },
      { message: { token: "d", data: { "google.x": "1" } } },
      { message: { token: "d", data: { from: "1" } } },
      { message: { token: "d", notification: { title: 1 } } },
      { message: { token: "d", webpush: { fcm_options: { link: "http://shop.example/" } } } },
      { msg: {} },
    ];
    for (const body of bad) {
      const r = await send("herald-demo", bearer, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.status, "INVALID_ARGUMENT", JSON.stringify(body));
    }
  });

  it("answers the failure modes its token prefixes select, with FCM's error codes", async () => {
    const bearer = await accessToken(demo);
    const fcmCode = (r: { body: Record<string, any> }) => r.body.error.details.find((d: { "@type": string }) => d["@type"].endsWith("FcmError")).errorCode;
    const unregistered = await send("herald-demo", bearer, msg("unregistered-1"));
    assert.deepEqual([unregistered.status, fcmCode(unregistered)], [404, "UNREGISTERED"]);
    const invalid = await send("herald-demo", bearer, msg("invalid-1"));
    assert.deepEqual([invalid.status, fcmCode(invalid)], [400, "INVALID_ARGUMENT"]);
    assert.equal(invalid.body.error.details[1].fieldViolations[0].field, "message.token");
    const mismatch = await send("herald-demo", bearer, msg("mismatch-1"));
    assert.deepEqual([mismatch.status, fcmCode(mismatch)], [403, "SENDER_ID_MISMATCH"]);
    const third = await send("herald-demo", bearer, msg("thirdparty-1"));
    assert.deepEqual([third.status, fcmCode(third)], [401, "THIRD_PARTY_AUTH_ERROR"]);

    const quota = await send("herald-demo", bearer, msg("quota-1"));
    assert.deepEqual([quota.status, fcmCode(quota), quota.headers.get("retry-after")], [429, "QUOTA_EXCEEDED", "1"]);
    assert.equal((await send("herald-demo", bearer, msg("quota-1"))).status, 200);
    for (const [prefix, status, code] of [["unavailable-", 503, "UNAVAILABLE"], ["internal-", 500, "INTERNAL"]] as const) {
      const first = await send("herald-demo", bearer, msg(`${prefix}1`));
      assert.deepEqual([first.status, fcmCode(first)], [status, code]);
      assert.equal((await send("herald-demo", bearer, msg(`${prefix}1`))).status, 200);
    }
  });

  it("answers slowly for slow- tokens", async () => {
    const bearer = await accessToken(demo);
    const t0 = Date.now();
    assert.equal((await send("herald-demo", bearer, msg("slow-1"))).status, 200);
    assert.ok(Date.now() - t0 >= 2900);
  });

  it("keeps issued accounts and tokens across a reset, counting again from zero", async () => {
    const bearer = await accessToken(demo);
    server.reset();
    assert.equal((await send("herald-demo", bearer, msg("d"))).status, 200);
    const stats = (await (await fetch(`${server.origin}/_standin/fcm/stats`)).json()) as { token_fetches: Record<string, number>; sends: Record<string, number> };
    assert.deepEqual(stats, { token_fetches: {}, sends: { "herald-demo": 1 } });
  });
});
