// FCM HTTP v1 provider: the OAuth token (JWT assertion signed with the service account's key,
// exchanged at Google's fixed endpoint, cached once per service account per hour), the send's
// request bytes, the classification table, credentials validation and where secrets go.
// A fake Google (fetch stub) verifies the assertion with the account's public key.
import { decodeJwt, decodeProtectedHeader, importSPKI, jwtVerify } from "jose";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FCM_TOKEN_REFRESH_MARGIN_S, FCM_TOKEN_REFUSAL_CACHE_MS, RETRY_AFTER_MAX_S } from "../../workers/config";
import { toBase64 } from "../../workers/lib/encoding";
import { fcm } from "../../workers/providers/fcm";
import { type FcmCredentials, fcmCredentialsSchema, rsaPkcs8Problem } from "../../workers/providers/fcm/credentials";
import { classifyFcmResult } from "../../workers/providers/fcm/outcome";
import { clearFcmTokenCache, FCM_SCOPE, GOOGLE_TOKEN_URL } from "../../workers/providers/fcm/token";
import type { ProviderHttpResult } from "../../workers/providers/http";
import type { FcmMessage, ProviderContext } from "../../workers/providers/types";

const LOCAL = "http://127.0.0.1:8791";
const T0 = Date.UTC(2026, 0, 1, 12);
const pem = (label: string, der: ArrayBuffer) => `-----BEGIN ${label}-----\n${toBase64(new Uint8Array(der)).replace(/.{64}/g, "$&\n")}\n-----END ${label}-----\n`;

interface Account {
  credentials: FcmCredentials;
  publicPem: string;
}
async function makeAccount(project: string, keyId: string): Promise<Account> {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const privatePem = pem("PRIVATE KEY", (await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer);
  const publicPem = pem("PUBLIC KEY", (await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer);
  const json = {
    type: "service_account",
    project_id: project,
    private_key_id: keyId,
    private_key: privatePem,
    client_email: `firebase-adminsdk-x@${project}.iam.gserviceaccount.com`,
    client_id: "1234567890",
    auth_uri: "https://accounts.google.com/o/oauth2/auth",
    token_uri: "https://evil.example/token",
    universe_domain: "googleapis.com",
  };
  return { credentials: fcmCredentialsSchema.parse({ service_account: JSON.stringify(json) }), publicPem };
}

let A: Account;
let B: Account;
beforeAll(async () => {
  [A, B] = await Promise.all([makeAccount("herald-demo", "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"), makeAccount("other-proj", "ffffeeee")]);
}, 60_000);

/** A fake Google: the token endpoint (verifying the assertion) and FCM's send. */
class FakeGoogle {
  tokenRequests: Array<{ url: string; body: string; claims: Record<string, unknown>; header: Record<string, unknown> }> = [];
  sends: Array<{ url: string; authorization: string | null; body: unknown }> = [];
  issued = new Map<string, string>(); // access token → project
  revoked = new Set<string>();
  /** Override one send's answer (after the auth check). */
  sendAnswer: (token: string) => Response | null = () => null;
  tokenAnswer: () => Response | null = () => null;
  other: string[] = [];
  private n = 0;
  constructor(private accounts: Account[]) {}

  fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    const body = new TextDecoder().decode(await req.arrayBuffer());
    if (url.origin === LOCAL && url.pathname === "/token") {
      const form = new URLSearchParams(body);
      const assertion = form.get("assertion") ?? "";
      const claims = decodeJwt(assertion) as Record<string, unknown>;
      this.tokenRequests.push({ url: req.url, body, claims, header: decodeProtectedHeader(assertion) as Record<string, unknown> });
      const forced = this.tokenAnswer();
      if (forced) return forced;
      const account = this.accounts.find((a) => a.credentials.service_account.client_email === claims.iss);
      if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer" || !account) return Response.json({ error: "invalid_grant" }, { status: 400 });
      try {
        await jwtVerify(assertion, await importSPKI(account.publicPem, "RS256"), { audience: GOOGLE_TOKEN_URL, issuer: account.credentials.service_account.client_email, currentDate: new Date(claims.iat as number * 1000) });
      } catch {
        return Response.json({ error: "invalid_grant", error_description: "Invalid JWT Signature." }, { status: 400 });
      }
      const token = `ya29.fake-${++this.n}`;
      this.issued.set(token, account.credentials.service_account.project_id);
      return Response.json({ access_token: token, expires_in: 3599, token_type: "Bearer" });
    }
    const send = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(url.pathname);
    if (url.origin === LOCAL && send) {
      const authorization = req.headers.get("authorization");
      this.sends.push({ url: req.url, authorization, body: JSON.parse(body) });
      const token = authorization?.replace(/^Bearer /, "") ?? "";
      if (!this.issued.has(token) || this.revoked.has(token)) {
        return Response.json({ error: { code: 401, message: "Request had invalid authentication credentials.", status: "UNAUTHENTICATED" } }, { status: 401 });
      }
      const forced = this.sendAnswer(token);
      if (forced) return forced;
      return Response.json({ name: `projects/${send[1]}/messages/0:${this.sends.length}` });
    }
    this.other.push(req.url);
    return new Response("not here", { status: 404 });
  };
}

function context(google: FakeGoogle, account: Account, clock: { now: number }): ProviderContext<FcmCredentials, Record<string, never>> {
  return {
    siteId: "site_1",
    integrationId: "int_1",
    credentials: account.credentials,
    settings: {},
    origin: (real) => (real === "https://fcm.googleapis.com" || real === "https://oauth2.googleapis.com" ? LOCAL : real),
    fetch: google.fetch as typeof fetch,
    now: () => clock.now,
    callbackUrl: "",
  };
}

const MSG: FcmMessage = { token: "fcm-token-1", title: "Order shipped", body: "Arrives Tuesday", image: "https://cdn.example/i.png", url: "https://shop.example/o/42", data: { order: "42" } };

beforeEach(() => clearFcmTokenCache());

describe("FCM send request", () => {
  it("posts the v1 message with the access token as Bearer", async () => {
    const google = new FakeGoogle([A]);
    const r = await fcm.send(context(google, A, { now: T0 }), "fcm", MSG, 1);
    expect(r).toEqual({ outcome: { kind: "sent" }, httpStatus: 200, providerMessageId: "projects/herald-demo/messages/0:1" });
    expect(google.sends).toHaveLength(1);
    const [send] = google.sends;
    expect(send!.url).toBe(`${LOCAL}/v1/projects/herald-demo/messages:send`);
    expect(send!.authorization).toBe("Bearer ya29.fake-1");
    expect(send!.body).toEqual({
      message: {
        token: "fcm-token-1",
        notification: { title: "Order shipped", body: "Arrives Tuesday", image: "https://cdn.example/i.png" },
        data: { order: "42", url: "https://shop.example/o/42" },
        webpush: { fcm_options: { link: "https://shop.example/o/42" } },
      },
    });
  });

  it("sends only what it has: no data, image or link when absent; an app link only in data", async () => {
    const google = new FakeGoogle([A]);
    const ctx = context(google, A, { now: T0 });
    await fcm.send(ctx, "fcm", { token: "t", title: "Hi" }, 1);
    await fcm.send(ctx, "fcm", { token: "t", title: "Hi", url: "myapp://orders/42" }, 1);
    expect(google.sends.map((s) => s.body)).toEqual([
      { message: { token: "t", notification: { title: "Hi" } } },
      { message: { token: "t", notification: { title: "Hi" }, data: { url: "myapp://orders/42" } } },
    ]);
  });

  it("signs the assertion as Google's JWT-bearer flow requires and posts it to Google's fixed token endpoint", async () => {
    const google = new FakeGoogle([A]);
    await fcm.send(context(google, A, { now: T0 }), "fcm", MSG, 1);
    expect(google.tokenRequests).toHaveLength(1);
    const [t] = google.tokenRequests;
    expect(t!.url).toBe(`${LOCAL}/token`);
    expect(new URLSearchParams(t!.body).get("grant_type")).toBe("urn:ietf:params:oauth:grant-type:jwt-bearer");
    expect(t!.header).toEqual({ alg: "RS256", typ: "JWT", kid: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678" });
    expect(t!.claims).toEqual({
      iss: "firebase-adminsdk-x@herald-demo.iam.gserviceaccount.com",
      scope: FCM_SCOPE,
      aud: "https://oauth2.googleapis.com/token",
      iat: T0 / 1000,
      exp: T0 / 1000 + 3600,
    });
    // token_uri from the tenant's JSON is never called (it is not even kept).
    expect(google.other).toEqual([]);
    expect(JSON.stringify(A.credentials)).not.toContain("evil.example");
  });
});

describe("FCM access token cache", () => {
  it("fetches one token for 50 concurrent and 50 later sends of one project", async () => {
    const google = new FakeGoogle([A]);
    const clock = { now: T0 };
    const ctx = context(google, A, clock);
    const first = await Promise.all(Array.from({ length: 50 }, (_, i) => fcm.send(ctx, "fcm", { ...MSG, token: `t${i}` }, 1)));
    clock.now += 30 * 60_000;
    for (let i = 0; i < 50; i++) await fcm.send(ctx, "fcm", { ...MSG, token: `u${i}` }, 1);
    expect(first.every((r) => r.outcome.kind === "sent")).toBe(true);
    expect(google.tokenRequests).toHaveLength(1);
    expect(google.sends).toHaveLength(100);
  });

  it("fetches a new token once the cached one is within the refresh margin of expiry", async () => {
    const google = new FakeGoogle([A]);
    const clock = { now: T0 };
    const ctx = context(google, A, clock);
    await fcm.send(ctx, "fcm", MSG, 1);
    clock.now = T0 + (3599 - FCM_TOKEN_REFRESH_MARGIN_S) * 1000 - 1;
    await fcm.send(ctx, "fcm", MSG, 1);
    expect(google.tokenRequests).toHaveLength(1);
    clock.now += 1;
    await fcm.send(ctx, "fcm", MSG, 1);
    expect(google.tokenRequests).toHaveLength(2);
    expect(google.sends.map((s) => s.authorization)).toEqual(["Bearer ya29.fake-1", "Bearer ya29.fake-1", "Bearer ya29.fake-2"]);
  });

  it("keeps one token per service account: another project, or the same one with another key, gets its own", async () => {
    const google = new FakeGoogle([A, B]);
    const clock = { now: T0 };
    await fcm.send(context(google, A, clock), "fcm", MSG, 1);
    await fcm.send(context(google, B, clock), "fcm", MSG, 1);
    // Same project and client_email as A, but not A's key: must not ride on A's cached token.
    const impostor: Account = { ...B, credentials: { service_account: { ...B.credentials.service_account, project_id: "herald-demo", client_email: A.credentials.service_account.client_email } } };
    const r = await fcm.send(context(google, impostor, clock), "fcm", MSG, 1);
    expect(google.tokenRequests).toHaveLength(3);
    expect(r.outcome).toMatchObject({ kind: "failed", reason: "credentials_rejected" });
    expect(google.sends.map((s) => s.authorization)).toEqual(["Bearer ya29.fake-1", "Bearer ya29.fake-2"]);
  });

  it("drops a token FCM answers 401 for, fetches a new one and sends again once", async () => {
    const google = new FakeGoogle([A]);
    const ctx = context(google, A, { now: T0 });
    await fcm.send(ctx, "fcm", MSG, 1);
    google.revoked.add("ya29.fake-1");
    const r = await fcm.send(ctx, "fcm", MSG, 1);
    expect(r.outcome).toEqual({ kind: "sent" });
    expect(google.tokenRequests).toHaveLength(2);
    expect(google.sends.map((s) => s.authorization)).toEqual(["Bearer ya29.fake-1", "Bearer ya29.fake-1", "Bearer ya29.fake-2"]);
    await fcm.send(ctx, "fcm", MSG, 1);
    expect(google.tokenRequests).toHaveLength(2);
  });

  it("gives up after the one retry when FCM keeps answering 401", async () => {
    const google = new FakeGoogle([A]);
    google.sendAnswer = () => Response.json({ error: { code: 401, message: "no", status: "UNAUTHENTICATED" } }, { status: 401 });
    const r = await fcm.send(context(google, A, { now: T0 }), "fcm", MSG, 1);
    expect(r).toMatchObject({ outcome: { kind: "failed", reason: "credentials_rejected" }, httpStatus: 401, providerCode: "UNAUTHENTICATED" });
    expect(google.tokenRequests).toHaveLength(2);
    expect(google.sends).toHaveLength(2);
  });

  it("remembers Google refusing the service account for a minute, without retrying", async () => {
    const google = new FakeGoogle([A]);
    google.tokenAnswer = () => Response.json({ error: "invalid_grant", error_description: "Invalid JWT Signature." }, { status: 400 });
    const clock = { now: T0 };
    const ctx = context(google, A, clock);
    const r = await fcm.send(ctx, "fcm", MSG, 1);
    expect(r).toEqual({
      outcome: {
        kind: "failed",
        reason: "credentials_rejected",
        configProblem: "Google refused the FCM service account: invalid_grant (Invalid JWT Signature.). Check that the service account and its key still exist.",
      },
      httpStatus: 400,
      providerCode: "invalid_grant",
    });
    await Promise.all([fcm.send(ctx, "fcm", MSG, 1), fcm.send(ctx, "fcm", MSG, 1)]);
    expect(google.tokenRequests).toHaveLength(1);
    expect(google.sends).toHaveLength(0);
    clock.now += FCM_TOKEN_REFUSAL_CACHE_MS;
    google.tokenAnswer = () => null;
    expect((await fcm.send(ctx, "fcm", MSG, 1)).outcome).toEqual({ kind: "sent" });
    expect(google.tokenRequests).toHaveLength(2);
  });

  it("retries a token endpoint outage and asks again on the next send", async () => {
    const google = new FakeGoogle([A]);
    google.tokenAnswer = () => new Response("unavailable", { status: 503, headers: { "retry-after": "12" } });
    const ctx = context(google, A, { now: T0 });
    expect(await fcm.send(ctx, "fcm", MSG, 1)).toEqual({ outcome: { kind: "retry", reason: "server_error", delayS: 12 }, httpStatus: 503 });
    google.tokenAnswer = () => null;
    expect((await fcm.send(ctx, "fcm", MSG, 1)).outcome).toEqual({ kind: "sent" });
    expect(google.tokenRequests).toHaveLength(2);
  });
});

describe("FCM answer classification", () => {
  const fcmError = (status: number, grpc: string, errorCode?: string, extra: unknown[] = [], headers: Record<string, string> = {}): ProviderHttpResult => ({
    status,
    headers: new Headers(headers),
    body: JSON.stringify({
      error: {
        code: status,
        message: "m",
        status: grpc,
        details: [...(errorCode ? [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode }] : []), ...extra],
      },
    }),
  });
  const classify = (r: ProviderHttpResult, attempt = 1) => classifyFcmResult(r, attempt, { random: () => 0.5, now: () => T0 });
  const tokenViolation = { "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: "message.token", description: "Invalid registration token" }] };

  it("prunes an UNREGISTERED token", () => {
    expect(classify(fcmError(404, "NOT_FOUND", "UNREGISTERED"))).toEqual({ outcome: { kind: "gone" }, httpStatus: 404, providerCode: "UNREGISTERED", detail: "m" });
  });

  it("does not prune on a bare 404 (a wrong project must not delete every token)", () => {
    expect(classify(fcmError(404, "NOT_FOUND"))).toEqual({ outcome: { kind: "failed", reason: "http_404" }, httpStatus: 404, providerCode: "NOT_FOUND", detail: "m" });
  });

  it("prunes a token FCM calls invalid, and fails other INVALID_ARGUMENTs as bad_request", () => {
    expect(classify(fcmError(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", [tokenViolation]))).toEqual({ outcome: { kind: "gone" }, httpStatus: 400, providerCode: "INVALID_ARGUMENT", detail: "m" });
    const byMessage: ProviderHttpResult = { status: 400, headers: new Headers(), body: JSON.stringify({ error: { code: 400, message: "The registration token is not a valid FCM registration token", status: "INVALID_ARGUMENT" } }) };
    expect(classify(byMessage).outcome).toEqual({ kind: "gone" });
    const other = { "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: "message.data[0].key", description: "reserved" }] };
    expect(classify(fcmError(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", [other]))).toEqual({ outcome: { kind: "failed", reason: "bad_request" }, httpStatus: 400, providerCode: "INVALID_ARGUMENT", detail: "m" });
  });

  it.each([
    [403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH", "sender_not_allowed"],
    [401, "UNAUTHENTICATED", "THIRD_PARTY_AUTH_ERROR", "credentials_rejected"],
    [401, "UNAUTHENTICATED", undefined, "credentials_rejected"],
    [403, "PERMISSION_DENIED", undefined, "credentials_rejected"],
  ])("fails %i %s (%s) as %s, a configuration problem", (status, grpc, code, reason) => {
    const r = classify(fcmError(status, grpc, code));
    expect(r).toMatchObject({ outcome: { kind: "failed", reason }, httpStatus: status, providerCode: code ?? grpc });
    expect((r.outcome as { configProblem?: string }).configProblem).toBeTruthy();
  });

  it("retries QUOTA_EXCEEDED after Retry-After", () => {
    expect(classify(fcmError(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", [], { "retry-after": "30" }))).toEqual({
      outcome: { kind: "retry", reason: "rate_limited", delayS: 30 },
      httpStatus: 429,
      providerCode: "QUOTA_EXCEEDED",
      detail: "m",
    });
    expect(classify(fcmError(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", [], { "retry-after": "86400" })).outcome).toMatchObject({ delayS: RETRY_AFTER_MAX_S });
  });

  it.each([
    [503, "UNAVAILABLE"],
    [500, "INTERNAL"],
    [502, undefined],
  ])("retries %i %s as server_error, with backoff when no Retry-After", (status, code) => {
    expect(classify(fcmError(status, "X", code), 2).outcome).toEqual({ kind: "retry", reason: "server_error", delayS: 2 });
    expect(classify(fcmError(status, "X", code, [], { "retry-after": "9" })).outcome).toEqual({ kind: "retry", reason: "server_error", delayS: 9 });
  });

  it("fails an unexpected status as http_<status> and retries a network error", () => {
    expect(classify({ status: 409, headers: new Headers(), body: "?" })).toEqual({ outcome: { kind: "failed", reason: "http_409" }, httpStatus: 409 });
    expect(classify({ error: "network_error", message: "Network connection lost." }).outcome).toMatchObject({ kind: "retry", reason: "network_error" });
  });
});

describe("FCM credentials", () => {
  const json = (over: Record<string, unknown> = {}) => ({ ...A.credentials.service_account, ...over });

  it("takes the service-account JSON as an object or as text, keeping only what signing needs", () => {
    const parsed = fcmCredentialsSchema.parse({ service_account: json({ token_uri: "https://evil.example/token", client_id: "1" }) });
    expect(Object.keys(parsed.service_account).sort()).toEqual(["client_email", "private_key", "private_key_id", "project_id", "type"]);
  });

  it.each([
    ["{not json", "service_account", /not valid JSON/],
    [{ project_id: "Bad_Project" }, "service_account.project_id", /project id/],
    [{ client_email: "nope" }, "service_account.client_email", /email/],
    [{ type: "authorized_user" }, "service_account.type", /service_account/],
    [{ private_key: "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----" }, "service_account.private_key", /PKCS#1/],
    [{ private_key: "hello" }, "service_account.private_key", /PEM/],
  ] as const)("rejects %j naming the field %s", (change, path, message) => {
    const value = { service_account: typeof change === "string" ? change : json(change) };
    const issue = fcmCredentialsSchema.safeParse(value).error?.issues.find((i) => i.path.join(".") === path);
    expect(issue?.message).toMatch(message);
  });

  it("recognises an RSA PKCS#8 key and refuses an EC one", async () => {
    expect(rsaPkcs8Problem(A.credentials.service_account.private_key)).toBeNull();
    const ec = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"])) as CryptoKeyPair;
    const ecPem = pem("PRIVATE KEY", (await crypto.subtle.exportKey("pkcs8", ec.privateKey)) as ArrayBuffer);
    expect(rsaPkcs8Problem(ecPem)).toMatch(/RSA/);
  });

  it("hints with the project and the key id's last four", () => {
    expect(fcm.hint(A.credentials)).toBe("herald-demo ••••5678");
  });
});

describe("FCM credentials stay secret", () => {
  afterEach(() => vi.restoreAllMocks());

  it("never puts the private key or access token in results or logs", async () => {
    const logged: string[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    }
    const google = new FakeGoogle([A]);
    const ctx = context(google, A, { now: T0 });
    const results = [await fcm.send(ctx, "fcm", MSG, 1)];
    google.sendAnswer = () => Response.json({ error: { code: 404, message: "x", status: "NOT_FOUND", details: [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode: "UNREGISTERED" }] } }, { status: 404 });
    results.push(await fcm.send(ctx, "fcm", MSG, 1));
    clearFcmTokenCache();
    google.tokenAnswer = () => Response.json({ error: "invalid_grant", error_description: "Invalid JWT Signature." }, { status: 400 });
    results.push(await fcm.send(ctx, "fcm", MSG, 1));
    const text = JSON.stringify(results) + logged.join("\n");
    const keyBody = A.credentials.service_account.private_key.split("\n")[1]!;
    expect(text).not.toContain(keyBody);
    expect(text).not.toContain("ya29.");
    expect(text).not.toContain(google.tokenRequests[0]!.body.slice(-40));
  });
});
