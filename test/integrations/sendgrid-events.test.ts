// SendGrid's Signed Event Webhook: the signature check (ECDSA P-256 over timestamp ‖ body, DER
// signature, the site's verification key), the events Herald acts on, and the public callback
// route end to end — a delivered and a bounced email move their delivery rows.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { toBase64 } from "../../workers/lib/encoding";
import { derToRawSignature, parseEvents, verifyEventWebhook } from "../../workers/providers/sendgrid/event-webhook";
import { call, tenant } from "../helpers";

/** IEEE P1363 r ‖ s (what WebCrypto signs) → DER, as SendGrid sends it. */
function rawToDer(raw: Uint8Array): Uint8Array {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    return v[0]! & 0x80 ? [0x02, v.length + 1, 0, ...v] : [0x02, v.length, ...v];
  };
  const body = [...int(raw.subarray(0, 32)), ...int(raw.subarray(32))];
  return new Uint8Array([0x30, body.length, ...body]);
}

async function sendGridKeys() {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const publicKey = toBase64(new Uint8Array((await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer));
  const sign = async (timestamp: string, body: string) => {
    const raw = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, pair.privateKey, new TextEncoder().encode(timestamp + body)));
    return toBase64(rawToDer(raw));
  };
  return { publicKey, sign };
}

const enc = (s: string) => new TextEncoder().encode(s);
const NOW = 1_800_000_000_000;
const TS = String(NOW / 1000);

describe("SendGrid event webhook signature", () => {
  it("accepts a good signature and refuses a tampered body, another key and a stale timestamp", async () => {
    const keys = await sendGridKeys();
    const other = await sendGridKeys();
    const body = '[{"email":"ada@example.com","event":"delivered","sg_message_id":"abc.filter0001"}]';
    const signature = await keys.sign(TS, body);
    const args = { publicKey: keys.publicKey, signature, timestamp: TS, body: enc(body), nowMs: NOW, toleranceS: 300 };
    expect(await verifyEventWebhook(args)).toBe("ok");
    expect(await verifyEventWebhook({ ...args, body: enc(body.replace("delivered", "bounce")) })).toBe("bad_signature");
    expect(await verifyEventWebhook({ ...args, publicKey: other.publicKey })).toBe("bad_signature");
    expect(await verifyEventWebhook({ ...args, timestamp: String(Number(TS) + 1) })).toBe("bad_signature");
    expect(await verifyEventWebhook({ ...args, nowMs: NOW + 301_000 })).toBe("stale");
    expect(await verifyEventWebhook({ ...args, nowMs: NOW - 301_000 })).toBe("stale");
    expect(await verifyEventWebhook({ ...args, signature: "not base64!" })).toBe("bad_signature");
    expect(await verifyEventWebhook({ ...args, timestamp: "1e9" })).toBe("bad_signature");
  });

  it("unpacks DER signatures with sign-padding and short integers, and refuses malformed ones", () => {
    const r = new Uint8Array(32).fill(0x80); // high bit: DER pads it with a zero
    const s = new Uint8Array(32);
    s[31] = 5; // short: DER drops the leading zeros
    const raw = new Uint8Array([...r, ...s]);
    expect(derToRawSignature(rawToDer(raw))).toEqual(raw);
    expect(derToRawSignature(new Uint8Array([0x30, 0x02, 0x02, 0x00]))).toBeNull();
    expect(derToRawSignature(new Uint8Array([...rawToDer(raw), 0]))).toBeNull();
    expect(derToRawSignature(new Uint8Array([0x31, 0]))).toBeNull();
  });

  it("reads delivered, hard and soft bounces and drops; skips the rest", () => {
    const events = [
      { event: "processed", sg_message_id: "m1.f" },
      { event: "delivered", sg_message_id: "m1.filter0001.16648.5515E0B88.0" },
      { event: "bounce", type: "bounce", status: "5.1.1", reason: "550 5.1.1 The email account does not exist.", sg_message_id: "m2.f" },
      { event: "bounce", type: "blocked", status: "4.0.0", sg_message_id: "m3.f" },
      { event: "dropped", reason: "Bounced Address", sg_message_id: "m4.f" },
      { event: "deferred", sg_message_id: "m5.f" },
      { event: "open", sg_message_id: "m1.f" },
      { event: "delivered" },
      "junk",
    ];
    expect(parseEvents(JSON.stringify(events))).toEqual([
      { providerMessageId: "m1", status: "delivered" },
      { providerMessageId: "m2", status: "bounced", providerCode: "5.1.1", detail: "550 5.1.1 The email account does not exist." },
      { providerMessageId: "m3", status: "undelivered", providerCode: "4.0.0" },
      { providerMessageId: "m4", status: "failed", detail: "Bounced Address" },
    ]);
    expect(parseEvents("{}")).toBeNull();
    expect(parseEvents("not json")).toBeNull();
  });
});

describe("POST /api/callbacks/sendgrid/{integrationId}", () => {
  async function setup() {
    const keys = await sendGridKeys();
    const { owner, site } = await tenant("sgevents");
    const integration = await call("POST", `/api/sites/${site.id}/integrations`, {
      token: owner.token,
      body: {
        channel: "email",
        provider: "sendgrid",
        name: "SendGrid",
        credentials: { api_key: "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" },
        settings: { from_email: "news@acme.example.com", event_webhook_public_key: keys.publicKey },
      },
    });
    expect(integration.status).toBe(201);
    for (const [userId, email] of [["eu_ada", "ada@example.com"], ["eu_bob", "bob@example.com"]]) {
      await env.DB.prepare("insert into site_users (id, site_id, external_id, email, attributes, created_at, updated_at) values (?, ?, ?, ?, '{}', 0, 0)")
        .bind(`${userId}_${site.id}`, site.id, userId, email)
        .run();
    }
    const ntf = `ntf_${crypto.randomUUID().slice(0, 8)}`;
    await env.DB.prepare("insert into notifications (id, site_id, status, content, target, created_at, updated_at) values (?, ?, 'completed', '{}', '{}', 0, 0)").bind(ntf, site.id).run();
    for (const [userId, messageId] of [["eu_ada", "sgAda"], ["eu_bob", "sgBob"]]) {
      await env.DB.prepare("insert into deliveries (notification_id, channel, subscriber_id, site_id, status, provider_message_id, created_at) values (?, 'email', ?, ?, 'sent', ?, 0)")
        .bind(ntf, `${userId}_${site.id}`, site.id, `${messageId}${site.id}`)
        .run();
    }
    const post = async (body: string, opts: { sign?: boolean; ts?: string; id?: string; keys?: typeof keys } = {}) => {
      const ts = opts.ts ?? String(Math.floor(Date.now() / 1000));
      const headers: Record<string, string> = { "Content-Type": "application/json" };
      if (opts.sign !== false) {
        headers["X-Twilio-Email-Event-Webhook-Signature"] = await (opts.keys ?? keys).sign(ts, body);
        headers["X-Twilio-Email-Event-Webhook-Timestamp"] = ts;
      }
      return call("POST", `/api/callbacks/sendgrid/${opts.id ?? integration.body.id}`, { raw: body, headers });
    };
    return { site, integration: integration.body, post, keys };
  }

  it("marks a delivered email delivered and a hard-bounced address unreachable, and takes the same post twice", async () => {
    const { site, post } = await setup();
    const body = JSON.stringify([
      { email: "ada@example.com", event: "delivered", sg_message_id: `sgAda${site.id}.filter0001.1.2.0` },
      { email: "bob@example.com", event: "bounce", type: "bounce", status: "5.1.1", reason: "550 no such user", sg_message_id: `sgBob${site.id}.filter0002.1.2.0` },
      { email: "x@example.com", event: "delivered", sg_message_id: "unknown.filter" },
    ]);
    for (let i = 0; i < 2; i++) {
      const r = await post(body);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toEqual({ events: 3, recorded: 2 });
    }
    const rows = await env.DB.prepare("select subscriber_id, provider_status, provider_code from deliveries where site_id = ? order by subscriber_id").bind(site.id).all();
    expect(rows.results).toEqual([
      { subscriber_id: `eu_ada_${site.id}`, provider_status: "delivered", provider_code: null },
      { subscriber_id: `eu_bob_${site.id}`, provider_status: "bounced", provider_code: "5.1.1" },
    ]);
    const bob = await env.DB.prepare("select unreachable from site_users where id = ?").bind(`eu_bob_${site.id}`).first<string>("unreachable");
    expect(JSON.parse(bob!).email).toMatchObject({ reason: "bounced", code: "5.1.1" });
  });

  it("refuses unsigned, tampered, wrongly keyed and stale posts, and unknown integrations, changing nothing", async () => {
    const { site, post, integration } = await setup();
    const body = JSON.stringify([{ event: "delivered", sg_message_id: `sgAda${site.id}.f` }]);
    const other = await sendGridKeys();
    expect((await post(body, { sign: false })).status).toBe(401);
    expect((await post(body, { keys: other })).status).toBe(403);
    expect((await post(body, { ts: String(Math.floor(Date.now() / 1000) - 3600) })).status).toBe(403);
    expect((await post(body, { id: "int_unknown000000000000000000" })).status).toBe(404);
    expect((await post("[]", { id: `${integration.id.slice(0, -1)}${integration.id.endsWith("x") ? "y" : "x"}` })).status).toBe(404);
    expect((await post("not json")).status).toBe(400);
    const status = await env.DB.prepare("select provider_status from deliveries where site_id = ? and provider_status is not null").bind(site.id).all();
    expect(status.results).toEqual([]);
  });
});
