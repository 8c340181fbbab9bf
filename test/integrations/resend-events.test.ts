// Resend's webhooks: the Svix signature check (Standard Webhooks HMAC under svix-* headers, the
// integration's whsec_ secret), the events Herald acts on, and the public callback route end to
// end — a delivered and a bounced email move their delivery rows, a complaint stops mail to the
// address, and the signing secret never comes back out of the API.
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { resendCredentialsSchema } from "../../workers/providers/resend/credentials";
import { type ParsedEvent, parseResendEvent, verifyResendWebhook } from "../../workers/providers/resend/webhook";
import { call, tenant } from "../helpers";

const newSecret = () => `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))))}`;
const API_KEY = "re_123456789_AbCdEfGhIjKlMnOpQrStUvWx";

/** The three svix-* headers Resend sends for `body`, signed at `at` with `secret`. */
function svixHeaders(secret: string, body: string, at = new Date(), id = `msg_${crypto.randomUUID().replaceAll("-", "")}`) {
  return { "svix-id": id, "svix-timestamp": String(Math.floor(at.getTime() / 1000)), "svix-signature": new Webhook(secret).sign(id, at, body) };
}

const event = (type: string, data: Record<string, unknown>) =>
  JSON.stringify({ type, created_at: "2026-01-01T00:00:00.000Z", data: { created_at: "2026-01-01T00:00:00.000Z", from: "Acme <news@acme.example.com>", to: ["ada@example.com"], subject: "Hi", ...data } });

describe("Resend webhook signature", () => {
  const secret = newSecret();
  const body = event("email.delivered", { email_id: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c" });
  const verify = (h: Record<string, string>, b = body, s = secret) =>
    verifyResendWebhook({ secret: s, id: h["svix-id"]!, timestamp: h["svix-timestamp"]!, signature: h["svix-signature"]!, body: b });

  it("accepts a good signature, also among several, and refuses a tampered body, another secret, another id or time", () => {
    const h = svixHeaders(secret, body);
    expect(verify(h)).toBe("ok");
    expect(verify({ ...h, "svix-signature": `v1,${btoa("x".repeat(32))} ${h["svix-signature"]}` })).toBe("ok");
    expect(verify(h, body.replace("delivered", "bounced"))).toBe("bad_signature");
    expect(verify(h, body, newSecret())).toBe("bad_signature");
    expect(verify({ ...h, "svix-id": "msg_other" })).toBe("bad_signature");
    expect(verify({ ...h, "svix-timestamp": String(Number(h["svix-timestamp"]) + 1) })).toBe("bad_signature");
    expect(verify({ ...h, "svix-signature": h["svix-signature"]!.replace("v1,", "v2,") })).toBe("bad_signature");
    expect(verify({ ...h, "svix-signature": "garbage" })).toBe("bad_signature");
  });

  it("calls a correctly signed post more than 5 minutes off stale, and a forged old one just bad", () => {
    for (const offsetS of [-301, 301]) {
      const h = svixHeaders(secret, body, new Date(Date.now() + offsetS * 1000));
      expect(verify(h), String(offsetS)).toBe("stale");
      expect(verify(h, body, newSecret()), String(offsetS)).toBe("bad_signature");
    }
    expect(verify(svixHeaders(secret, body, new Date(Date.now() - 240_000)))).toBe("ok");
  });

  it("takes whsec_ secrets of 24 to 64 bytes in the credentials, nothing else", () => {
    const ok = (webhook_secret: unknown) => resendCredentialsSchema.safeParse({ api_key: API_KEY, webhook_secret }).success;
    expect(ok(newSecret())).toBe(true);
    expect(ok(undefined)).toBe(true);
    expect(ok(`whsec_${btoa("k".repeat(64))}`)).toBe(true);
    expect(ok(`whsec_${btoa("k".repeat(16))}`)).toBe(false);
    expect(ok(newSecret().replace("whsec_", ""))).toBe(false);
    expect(ok("whsec_not base64!")).toBe(false);
    expect(ok("")).toBe(false);
  });
});

describe("Resend webhook events", () => {
  /** A well-formed event's reading (the malformed cases are checked below). */
  const read = (type: string, data: Record<string, unknown>) => parseResendEvent(event(type, data)) as ParsedEvent;

  it("reads delivered, hard and soft bounces, complaints, suppressions and failures", () => {
    expect(read("email.delivered", { email_id: "e1" })).toEqual({ type: "email.delivered", report: { providerMessageId: "e1", status: "delivered" } });
    const hard = { type: "Permanent", subType: "General", message: "The recipient's email provider sent a hard bounce message." };
    expect(read("email.bounced", { email_id: "e2", bounce: hard }).report).toEqual({
      providerMessageId: "e2",
      status: "bounced",
      providerCode: "Permanent/General",
      detail: hard.message,
      addressUnusable: true,
    });
    expect(read("email.bounced", { email_id: "e3", bounce: { type: "Transient", subType: "MailboxFull", message: "Full." } }).report).toEqual({
      providerMessageId: "e3",
      status: "undelivered",
      providerCode: "Transient/MailboxFull",
      detail: "Full.",
    });
    expect(read("email.bounced", { email_id: "e4", bounce: { type: "Undetermined" } }).report).toMatchObject({ status: "undelivered", providerCode: "Undetermined" });
    expect(read("email.bounced", { email_id: "e5", bounce: { type: "Transient", subType: "Suppressed" } }).report).toMatchObject({ status: "bounced", addressUnusable: true });
    expect(read("email.bounced", { email_id: "e6" }).report).toMatchObject({ status: "bounced", addressUnusable: true });
    expect(read("email.complained", { email_id: "e7" }).report).toMatchObject({ providerMessageId: "e7", status: "failed", providerCode: "complained", addressUnusable: true });
    expect(read("email.suppressed", { email_id: "e8", suppressed: { type: "OnAccountSuppressionList", message: "On the list." } }).report).toEqual({
      providerMessageId: "e8",
      status: "failed",
      providerCode: "suppressed",
      detail: "On the list.",
      addressUnusable: true,
    });
    expect(read("email.failed", { email_id: "e9", failed: { reason: "reached_daily_quota" } }).report).toEqual({
      providerMessageId: "e9",
      status: "failed",
      providerCode: "failed",
      detail: "reached_daily_quota",
    });
  });

  it("skips sent, delayed, opened, clicked and non-email events, and says what is malformed", () => {
    for (const type of ["email.sent", "email.delivery_delayed", "email.opened", "email.clicked", "email.scheduled", "contact.created"]) {
      expect(read(type, { email_id: "e1" }), type).toEqual({ type, report: null });
    }
    expect(parseResendEvent("not json")).toMatchObject({ error: expect.any(String) });
    expect(parseResendEvent("[]")).toMatchObject({ error: expect.any(String) });
    expect(parseResendEvent('{"data":{}}')).toMatchObject({ field: "type" });
    expect(parseResendEvent('{"type":"email.delivered"}')).toMatchObject({ field: "data" });
    expect(parseResendEvent('{"type":"email.delivered","data":{}}')).toMatchObject({ field: "data.email_id" });
  });
});

describe("POST /api/callbacks/resend/{integrationId}", () => {
  async function setup(label = "rsevents", withSecret = true) {
    const secret = newSecret();
    const { owner, site } = await tenant(label);
    const created = await call("POST", `/api/sites/${site.id}/integrations`, {
      token: owner.token,
      body: {
        channel: "email",
        provider: "resend",
        name: "Resend",
        credentials: { api_key: API_KEY, ...(withSecret ? { webhook_secret: secret } : {}) },
        settings: { from_email: "news@acme.example.com" },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    for (const [userId, email] of [["eu_ada", "ada@example.com"], ["eu_bob", "bob@example.com"], ["eu_cy", "cy@example.com"]]) {
      await env.DB.prepare("insert into site_users (id, site_id, external_id, email, attributes, created_at, updated_at) values (?, ?, ?, ?, '{}', 0, 0)")
        .bind(`${userId}_${site.id}`, site.id, userId, email)
        .run();
    }
    const ntf = `ntf_${crypto.randomUUID().slice(0, 8)}`;
    await env.DB.prepare("insert into notifications (id, site_id, status, content, target, created_at, updated_at) values (?, ?, 'completed', '{}', '{}', 0, 0)").bind(ntf, site.id).run();
    const emailId = (user: string) => `${user}-${site.id}`;
    for (const userId of ["eu_ada", "eu_bob", "eu_cy"]) {
      await env.DB.prepare("insert into deliveries (notification_id, channel, subscriber_id, site_id, status, provider_message_id, created_at) values (?, 'email', ?, ?, 'sent', ?, 0)")
        .bind(ntf, `${userId}_${site.id}`, site.id, emailId(userId))
        .run();
    }
    const post = async (body: string, opts: { headers?: Record<string, string>; id?: string; secret?: string } = {}) =>
      call("POST", `/api/callbacks/resend/${opts.id ?? created.body.id}`, {
        raw: body,
        headers: { "Content-Type": "application/json", ...(opts.headers ?? svixHeaders(opts.secret ?? secret, body)) },
      });
    const statuses = async () =>
      (await env.DB.prepare("select subscriber_id, provider_status, provider_code from deliveries where site_id = ? order by subscriber_id").bind(site.id).all()).results;
    /** The user's email entry in site_users.unreachable, or null while it is reachable. */
    const unreachable = async (userId: string) => {
      const raw = await env.DB.prepare("select unreachable from site_users where id = ?").bind(`${userId}_${site.id}`).first<string | null>("unreachable");
      return (raw ? JSON.parse(raw).email : undefined) ?? null;
    };
    return { owner, site, integration: created.body, secret, post, emailId, statuses, unreachable };
  }

  it("marks a delivered email delivered and a hard-bounced address unreachable, and takes the same post twice", async () => {
    const { site, post, emailId, statuses, unreachable } = await setup();
    const delivered = event("email.delivered", { email_id: emailId("eu_ada") });
    const bounced = event("email.bounced", { email_id: emailId("eu_bob"), to: ["bob@example.com"], bounce: { type: "Permanent", subType: "General", message: "Hard bounce." } });
    for (let i = 0; i < 2; i++) {
      for (const body of [delivered, bounced]) {
        const r = await post(body);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body).toEqual({ recorded: true });
      }
    }
    expect(await statuses()).toEqual([
      { subscriber_id: `eu_ada_${site.id}`, provider_status: "delivered", provider_code: null },
      { subscriber_id: `eu_bob_${site.id}`, provider_status: "bounced", provider_code: "Permanent/General" },
      { subscriber_id: `eu_cy_${site.id}`, provider_status: null, provider_code: null },
    ]);
    expect(await unreachable("eu_ada")).toBeNull();
    expect((await unreachable("eu_bob"))).toMatchObject({ reason: "bounced", code: "Permanent/General" });
  });

  it("stops mail to a recipient who complained, leaves a soft bounce reachable, and ignores sent and opened", async () => {
    const { site, post, emailId, statuses, unreachable } = await setup();
    expect((await post(event("email.sent", { email_id: emailId("eu_ada") }))).body).toEqual({ recorded: false });
    expect((await post(event("email.opened", { email_id: emailId("eu_ada") }))).body).toEqual({ recorded: false });
    expect((await post(event("email.complained", { email_id: emailId("eu_ada") }))).body).toEqual({ recorded: true });
    expect((await post(event("email.bounced", { email_id: emailId("eu_cy"), bounce: { type: "Transient", subType: "MailboxFull" } }))).body).toEqual({ recorded: true });
    expect(await statuses()).toEqual([
      { subscriber_id: `eu_ada_${site.id}`, provider_status: "failed", provider_code: "complained" },
      { subscriber_id: `eu_bob_${site.id}`, provider_status: null, provider_code: null },
      { subscriber_id: `eu_cy_${site.id}`, provider_status: "undelivered", provider_code: "Transient/MailboxFull" },
    ]);
    expect((await unreachable("eu_ada"))).toMatchObject({ reason: "failed", code: "complained" });
    expect(await unreachable("eu_cy")).toBeNull();
  });

  it("refuses unsigned, tampered, wrongly keyed and stale posts, unknown integrations and bad bodies, changing nothing", async () => {
    const { post, integration, emailId, statuses, secret } = await setup();
    const body = event("email.delivered", { email_id: emailId("eu_ada") });
    const signed: Record<string, string> = svixHeaders(secret, body);
    for (const missing of ["svix-id", "svix-timestamp", "svix-signature"]) {
      const { [missing]: _, ...rest } = signed;
      const r = await post(body, { headers: rest });
      expect(r.status, missing).toBe(401);
      expect(r.body.error.code).toBe("unauthorized");
    }
    expect((await post(body, { headers: {} })).status).toBe(401);
    const tampered = await post(body.replace("delivered", "bounced"), { headers: signed });
    expect([tampered.status, tampered.body.error.code]).toEqual([403, "forbidden"]);
    expect((await post(body, { secret: newSecret() })).status).toBe(403);
    const stale = await post(body, { headers: svixHeaders(secret, body, new Date(Date.now() - 3600_000)) });
    expect(stale.status).toBe(403);
    expect(stale.body.error.message).toMatch(/5 minutes/);
    const unknown = await post(body, { id: "int_01jd0000000000000000000000" });
    expect([unknown.status, unknown.body.error]).toEqual([404, { code: "not_found", message: "Not found." }]);
    expect((await post(body, { id: integration.id.replace(/.$/, (c: string) => (c === "x" ? "y" : "x")) })).status).toBe(404);
    expect((await post(body, { id: "x".repeat(65) })).status).toBe(400);
    const notJson = await post("not json");
    expect([notJson.status, notJson.body.error.code]).toEqual([400, "bad_request"]);
    const noId = await post(JSON.stringify({ type: "email.delivered", data: {} }));
    expect(noId.status).toBe(400);
    expect(noId.body.error.fields).toEqual([{ path: "data.email_id", message: expect.any(String) }]);
    expect((await statuses()).every((r) => r.provider_status === null)).toBe(true);
  });

  it("refuses posts for an integration without a signing secret", async () => {
    const { post, emailId, secret } = await setup("rsnosecret", false);
    const r = await post(event("email.delivered", { email_id: emailId("eu_ada") }), { secret });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toMatch(/no webhook signing secret/);
  });

  it("keeps tenants apart: another tenant's integration cannot move this site's deliveries", async () => {
    const a = await setup("rsa");
    const b = await setup("rsb");
    // Another provider's integration of the other tenant: 404, as for an unknown id.
    const sg = await call("POST", `/api/sites/${b.site.id}/integrations`, {
      token: b.owner.token,
      body: {
        channel: "email",
        provider: "sendgrid",
        name: "SendGrid",
        credentials: { api_key: "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" },
        settings: { from_email: "news@acme.example.com" },
      },
    });
    const body = event("email.bounced", { email_id: a.emailId("eu_ada"), bounce: { type: "Permanent", subType: "General" } });
    const wrongProvider = await a.post(body, { id: sg.body.id });
    expect([wrongProvider.status, wrongProvider.body.error]).toEqual([404, { code: "not_found", message: "Not found." }]);
    // B's Resend integration with A's secret: the signature does not match B's secret.
    expect((await a.post(body, { id: b.integration.id })).status).toBe(403);
    // B's own secret and integration naming A's email id: found nothing of B's, held for B only.
    const theirs = await b.post(body);
    expect([theirs.status, theirs.body]).toEqual([200, { recorded: false }]);
    expect((await a.statuses()).every((r) => r.provider_status === null)).toBe(true);
    expect(await a.unreachable("eu_ada")).toBeNull();
    const held = await env.DB.prepare("select site_id from pending_provider_reports where provider_message_id = ?").bind(a.emailId("eu_ada")).all();
    expect(held.results).toEqual([{ site_id: b.site.id }]);
  });

  it("never returns the signing secret: not on create, read, list or rotation, nor in a refusal", async () => {
    const { owner, site, integration, secret, post, emailId } = await setup("rssecret");
    const newer = newSecret();
    const rotated = await call("PATCH", `/api/sites/${site.id}/integrations/${integration.id}`, {
      token: owner.token,
      body: { credentials: { api_key: API_KEY, webhook_secret: newer } },
    });
    expect(rotated.status).toBe(200);
    const seen = [
      JSON.stringify(integration),
      JSON.stringify(rotated.body),
      JSON.stringify((await call("GET", `/api/sites/${site.id}/integrations/${integration.id}`, { token: owner.token })).body),
      JSON.stringify((await call("GET", `/api/sites/${site.id}/integrations`, { token: owner.token })).body),
      JSON.stringify((await post(event("email.delivered", { email_id: emailId("eu_ada") }))).body), // old secret: 403
    ].join("\n");
    for (const s of [secret, newer, secret.slice(6), newer.slice(6)]) expect(seen).not.toContain(s);
    expect(integration.credentials_hint).toBe("••••UvWx");
    // The rotated secret verifies from now on.
    expect((await post(event("email.delivered", { email_id: emailId("eu_ada") }), { secret: newer })).body).toEqual({ recorded: true });
  });
});
