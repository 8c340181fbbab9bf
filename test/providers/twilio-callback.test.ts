// POST /api/callbacks/twilio/{integrationId}: Twilio's signed status callbacks move the
// delivery the message SID names — only the integration's own site's, only with a signature
// made with the integration's auth token over the URL Twilio called.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../workers/app";
import { twilioSignature } from "../../workers/providers/twilio/signature";
import { call, tenant } from "../helpers";

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const TOKEN = "f00dfeedf00dfeedf00dfeedf00dfeed";

async function twilioIntegration(token: string, siteId: string, credentials: Record<string, string> = { auth_token: TOKEN }) {
  const r = await call("POST", `/api/sites/${siteId}/integrations`, {
    token,
    body: { channel: "sms", provider: "twilio", name: "Twilio", credentials, settings: { account_sid: ACCOUNT, from: "+15005550006" } },
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

/** A site user with a phone and an SMS delivery of a notification carrying Twilio's SID. */
async function smsDelivery(token: string, siteId: string, sid: string) {
  const externalId = `u-${crypto.randomUUID().slice(0, 8)}`;
  expect((await call("POST", `/api/sites/${siteId}/users`, { token, body: { external_id: externalId, phone: "+14155550123" } })).status).toBe(201);
  const user = await env.DB.prepare("select id from site_users where site_id = ?1 and external_id = ?2").bind(siteId, externalId).first<{ id: string }>();
  const n = await call("POST", `/api/sites/${siteId}/notifications`, { token, body: { title: "Hi", target: { all: true } } });
  expect(n.status).toBe(201);
  await env.DB.prepare(
    "insert into deliveries (notification_id, channel, subscriber_id, site_id, status, provider_message_id, created_at) values (?1, 'sms', ?2, ?3, 'sent', ?4, ?5)",
  )
    .bind(n.body.id, user!.id, siteId, sid, Date.now())
    .run();
  return { userId: user!.id, notificationId: n.body.id as string };
}

const delivery = (siteId: string, sid: string) =>
  env.DB.prepare("select provider_status, provider_code from deliveries where site_id = ?1 and provider_message_id = ?2").bind(siteId, sid).first<{ provider_status: string | null; provider_code: string | null }>();

const statusParams = (sid: string, status: string, extra: Record<string, string> = {}) => ({
  SmsSid: sid,
  SmsStatus: status,
  MessageStatus: status,
  To: "+14155550123",
  MessageSid: sid,
  AccountSid: ACCOUNT,
  From: "+15005550006",
  ApiVersion: "2010-04-01",
  ...extra,
});

async function postCallback(url: string, params: Record<string, string>, opts: { token?: string; signature?: string | null; contentType?: string; envOver?: Partial<Env> } = {}) {
  const signature = opts.signature === undefined ? await twilioSignature(opts.token ?? TOKEN, url, Object.entries(params)) : opts.signature;
  const headers: Record<string, string> = { "Content-Type": opts.contentType ?? "application/x-www-form-urlencoded", "CF-Connecting-IP": "10.9.9.9" };
  if (signature !== null) headers["X-Twilio-Signature"] = signature;
  const res = await app.request(url, { method: "POST", headers, body: new URLSearchParams(params).toString() }, { ...env, ...opts.envOver });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const cb = (integrationId: string, query = "") => `http://herald.test/api/callbacks/twilio/${integrationId}${query}`;

describe("Twilio status callback", () => {
  it("records delivered for the delivery with that SID", async () => {
    const { owner, site } = await tenant("twcb");
    const id = await twilioIntegration(owner.token, site.id);
    await smsDelivery(owner.token, site.id, "SM00000000000000000000000000000001");
    expect(await postCallback(cb(id), statusParams("SM00000000000000000000000000000001", "sent"))).toEqual({ status: 200, body: { recorded: false } });
    expect((await delivery(site.id, "SM00000000000000000000000000000001"))?.provider_status).toBeNull();
    expect(await postCallback(cb(id), statusParams("SM00000000000000000000000000000001", "delivered"))).toEqual({ status: 200, body: { recorded: true } });
    expect(await delivery(site.id, "SM00000000000000000000000000000001")).toEqual({ provider_status: "delivered", provider_code: null });
    // Twilio may post the same callback again.
    expect((await postCallback(cb(id), statusParams("SM00000000000000000000000000000001", "delivered"))).status).toBe(200);
  });

  it("records undelivered with Twilio's code and marks an unknown number unusable", async () => {
    const { owner, site } = await tenant("twcb2");
    const id = await twilioIntegration(owner.token, site.id);
    const { userId } = await smsDelivery(owner.token, site.id, "SM00000000000000000000000000000002");
    const r = await postCallback(cb(id), statusParams("SM00000000000000000000000000000002", "undelivered", { ErrorCode: "30005" }));
    expect(r).toEqual({ status: 200, body: { recorded: true } });
    expect(await delivery(site.id, "SM00000000000000000000000000000002")).toEqual({ provider_status: "undelivered", provider_code: "30005" });
    const user = await env.DB.prepare("select unreachable from site_users where id = ?1").bind(userId).first<{ unreachable: string }>();
    expect(JSON.parse(user!.unreachable).sms).toMatchObject({ code: "30005" });
  });

  it("keeps the number on 30003 (an unreachable phone comes back)", async () => {
    const { owner, site } = await tenant("twcb3");
    const id = await twilioIntegration(owner.token, site.id);
    const { userId } = await smsDelivery(owner.token, site.id, "SM00000000000000000000000000000003");
    await postCallback(cb(id), statusParams("SM00000000000000000000000000000003", "undelivered", { ErrorCode: "30003" }));
    expect(await delivery(site.id, "SM00000000000000000000000000000003")).toEqual({ provider_status: "undelivered", provider_code: "30003" });
    const user = await env.DB.prepare("select unreachable from site_users where id = ?1").bind(userId).first<{ unreachable: string }>();
    expect(JSON.parse(user!.unreachable)).toEqual({});
  });

  it("verifies the URL Twilio called, query string included, rebuilt on PUBLIC_URL", async () => {
    const { owner, site } = await tenant("twcb4");
    const id = await twilioIntegration(owner.token, site.id);
    await smsDelivery(owner.token, site.id, "SM00000000000000000000000000000004");
    const params = statusParams("SM00000000000000000000000000000004", "delivered");
    expect((await postCallback(cb(id, "?attempt=1&x=%20y"), params)).status).toBe(200);
    // Signed without the query string Twilio actually called: refused.
    const sigNoQuery = await twilioSignature(TOKEN, cb(id), Object.entries(params));
    expect((await postCallback(cb(id, "?attempt=1"), params, { signature: sigNoQuery })).status).toBe(403);
    // Behind a proxy: Twilio called PUBLIC_URL, the Worker sees another host.
    const publicUrl = `https://herald.example/api/callbacks/twilio/${id}`;
    const sig = await twilioSignature(TOKEN, publicUrl, Object.entries(params));
    expect((await postCallback(cb(id), params, { signature: sig, envOver: { PUBLIC_URL: "https://herald.example/" } })).status).toBe(200);
    expect((await postCallback(cb(id), params, { signature: sig })).status).toBe(403);
  });

  it("refuses a tampered post, another token's signature, and an unsigned post", async () => {
    const { owner, site } = await tenant("twcb5");
    const id = await twilioIntegration(owner.token, site.id);
    await smsDelivery(owner.token, site.id, "SM00000000000000000000000000000005");
    const params = statusParams("SM00000000000000000000000000000005", "delivered");
    const good = await twilioSignature(TOKEN, cb(id), Object.entries(params));
    const tampered = await postCallback(cb(id), { ...params, MessageStatus: "failed" }, { signature: good });
    expect(tampered.status).toBe(403);
    expect(tampered.body.error.code).toBe("forbidden");
    expect((await postCallback(cb(id), params, { token: "0123456789abcdef0123456789abcdef" })).status).toBe(403);
    const unsigned = await postCallback(cb(id), params, { signature: null });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error.code).toBe("unauthorized");
    expect((await delivery(site.id, "SM00000000000000000000000000000005"))?.provider_status).toBeNull();
  });

  it("answers 404 for an unknown integration and for another provider's, saying nothing more", async () => {
    const { owner, site } = await tenant("twcb6");
    const sendgrid = await call("POST", `/api/sites/${site.id}/integrations`, {
      token: owner.token,
      body: { channel: "email", provider: "sendgrid", name: "SG", credentials: { api_key: "SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG" }, settings: { from_email: "a@acme.example.com" } },
    });
    expect(sendgrid.status).toBe(201);
    for (const id of ["int_nope", sendgrid.body.id as string]) {
      const r = await postCallback(cb(id), statusParams("SM1", "delivered"));
      expect(r).toEqual({ status: 404, body: { error: { code: "not_found", message: "Not found." } } });
    }
  });

  it("never moves another site's delivery, even with the same SID", async () => {
    const a = await tenant("twcb7a");
    const b = await tenant("twcb7b");
    const idA = await twilioIntegration(a.owner.token, a.site.id);
    await smsDelivery(b.owner.token, b.site.id, "SM00000000000000000000000000000007");
    expect(await postCallback(cb(idA), statusParams("SM00000000000000000000000000000007", "delivered"))).toEqual({ status: 200, body: { recorded: false } });
    expect((await delivery(b.site.id, "SM00000000000000000000000000000007"))?.provider_status).toBeNull();
  });

  it("ignores a callback about another account's message", async () => {
    const { owner, site } = await tenant("twcb8");
    const id = await twilioIntegration(owner.token, site.id);
    await smsDelivery(owner.token, site.id, "SM00000000000000000000000000000008");
    const r = await postCallback(cb(id), statusParams("SM00000000000000000000000000000008", "delivered", { AccountSid: "ACffffffffffffffffffffffffffffffff" }));
    expect(r).toEqual({ status: 200, body: { recorded: false } });
  });

  it("refuses when the integration has no auth token to verify with, and a body that is not a form", async () => {
    const { owner, site } = await tenant("twcb9");
    const keyOnly = await twilioIntegration(owner.token, site.id, { api_key_sid: "SK0123456789abcdef0123456789abcdef", api_key_secret: "s3cr3tK3yS3cr3tK3yS3cr3tK3yS3cr3" });
    const r = await postCallback(cb(keyOnly), statusParams("SM1", "delivered"));
    expect(r.status).toBe(403);
    expect(r.body.error.message).toMatch(/auth token/);
    const id = await twilioIntegration(owner.token, site.id);
    const json = await postCallback(cb(id), statusParams("SM1", "delivered"), { contentType: "application/json" });
    expect(json.status).toBe(400);
    expect(json.body.error.code).toBe("bad_request");
  });
});
