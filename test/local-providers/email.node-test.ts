// The local provider server with its SendGrid and Resend stand-ins, over real HTTP: the control
// API, each API's auth scheme, validation and error bodies, the failure modes chosen by the
// address, and SendGrid's signed Event Webhook posts back to a registered URL.
//   node --test test/local-providers/*.node-test.ts
import assert from "node:assert/strict";
import { createPublicKey, verify } from "node:crypto";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { startProviderStandIns, type ProviderStandIns } from "../../scripts/local/providers/server.ts";
import { sendGridTestKey } from "../../scripts/local/providers/sendgrid.ts";

let server: ProviderStandIns;
before(async () => {
  server = await startProviderStandIns({ port: 0 });
});
after(() => server.close());

const KEY = sendGridTestKey();
const mail = (to: string, extra: Record<string, unknown> = {}) => ({
  personalizations: [{ to: [{ email: to }] }],
  from: { email: "news@acme.example.com", name: "Acme" },
  subject: "Hello",
  content: [{ type: "text/plain", value: "Hi" }, { type: "text/html", value: "<p>Hi</p>" }],
  ...extra,
});

async function sendgrid(body: unknown, key: string | null = KEY, path = "/v3/mail/send", method = "POST") {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const res = await fetch(server.origin + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

async function resendSend(body: unknown, key: string | null = "re_123456789_AbCdEfGhIjKlMnOpQrStUvWx") {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${server.origin}/emails`, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe("provider server control API", () => {
  it("records what each stand-in answered, per provider, and forgets it on reset", async () => {
    await fetch(`${server.origin}/_standin/reset`, { method: "POST" });
    await sendgrid(mail("ada@example.com"));
    await resendSend({ from: "a@acme.example.com", to: "ada@example.com", subject: "Hi", text: "Hi" });
    const all = (await (await fetch(`${server.origin}/_standin/records`)).json()) as Array<{ provider: string; status: number; headers: Record<string, string> }>;
    assert.deepEqual(all.map((r) => [r.provider, r.status]), [["sendgrid", 202], ["resend", 200]]);
    assert.equal(all[0]!.headers.authorization, `Bearer ${KEY}`);
    assert.equal(server.records("resend").length, 1);
    assert.equal((await fetch(`${server.origin}/_standin/reset`, { method: "POST" })).status, 200);
    assert.deepEqual(server.records(), []);
    assert.equal((await fetch(`${server.origin}/nothing/here`)).status, 404);
  });
});

describe("SendGrid stand-in", () => {
  it("accepts a valid send with 202 and an X-Message-Id, and records the parsed message", async () => {
    const r = await sendgrid(mail("ada@example.com"));
    assert.equal(r.status, 202);
    const id = r.headers.get("x-message-id");
    assert.match(id ?? "", /^[A-Za-z0-9_-]{22}$/);
    const rec = server.records("sendgrid").at(-1)!;
    assert.equal(rec.messageId, id);
    assert.deepEqual(rec.parsed, mail("ada@example.com"));
  });

  it("refuses missing, malformed and revoked keys with 401, a key without Mail Send with 403", async () => {
    for (const key of [null, "nope", sendGridTestKey("revoked")]) {
      const r = await sendgrid(mail("ada@example.com"), key);
      assert.equal(r.status, 401, String(key));
      assert.equal(r.body.errors[0].message, "The provided authorization grant is invalid, expired, or revoked");
    }
    assert.equal((await sendgrid(mail("ada@example.com"), sendGridTestKey("nosend"))).body.errors[0].message, "access forbidden");
  });

  it("validates like SendGrid: the failing field in { errors: [{ message, field, help }] }", async () => {
    const cases: Array<[unknown, number, string | null]> = [
      [mail("not an address"), 400, "personalizations.0.to.0.email"],
      [mail("invalid-1@example.com"), 400, "personalizations.0.to.0.email"],
      [{ ...mail("ada@example.com"), from: { email: "nobody" } }, 400, "from.email"],
      [{ ...mail("ada@example.com"), subject: "" }, 400, "subject"],
      [{ ...mail("ada@example.com"), content: [{ type: "text/html", value: "<p>x</p>" }, { type: "text/plain", value: "x" }] }, 400, "content"],
      [{ ...mail("ada@example.com"), from: { email: "unverified@acme.example.com" } }, 403, "from"],
    ];
    for (const [body, status, field] of cases) {
      const r = await sendgrid(body);
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.equal(r.body.errors[0].field, field);
      assert.equal(r.body.errors[0].help, null);
    }
  });

  it("answers 429 once with X-RateLimit-Reset, 500 once, then accepts; a slow address after 3 s", async () => {
    const limited = await sendgrid(mail("ratelimit-7@example.com"));
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("x-ratelimit-remaining"), "0");
    assert.ok(Number(limited.headers.get("x-ratelimit-reset")) >= Math.floor(Date.now() / 1000));
    assert.equal((await sendgrid(mail("ratelimit-7@example.com"))).status, 202);
    assert.equal((await sendgrid(mail("error-7@example.com"))).status, 500);
    assert.equal((await sendgrid(mail("error-7@example.com"))).status, 202);
    const start = Date.now();
    assert.equal((await sendgrid(mail("slow-7@example.com"))).status, 202);
    assert.ok(Date.now() - start >= 2900);
  });

  it("posts signed events to the registered Event Webhook: delivered, and a hard bounce", async () => {
    const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
    const receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/api/callbacks/sendgrid/int_1`;
    try {
      const key = sendGridTestKey();
      assert.equal((await sendgrid({ enabled: true, url }, key, "/v3/user/webhooks/event/settings", "PATCH")).body.url, url);
      const { public_key } = (await sendgrid({ enabled: true }, key, "/v3/user/webhooks/event/settings/signed", "PATCH")).body;
      assert.match(public_key, /^MFkw/);
      assert.equal((await sendgrid(undefined, key, "/v3/user/webhooks/event/settings/signed", "GET")).body.public_key, public_key);

      const ok = await sendgrid(mail("ada@example.com"), key);
      const bounced = await sendgrid(mail("bounce-1@example.com"), key);
      const deadline = Date.now() + 5000;
      while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.equal(received.length, 2);
      const spki = createPublicKey({ key: Buffer.from(public_key, "base64"), format: "der", type: "spki" });
      const events = new Map<string, Array<Record<string, string>>>();
      for (const post of received) {
        const ts = String(post.headers["x-twilio-email-event-webhook-timestamp"]);
        const sig = Buffer.from(String(post.headers["x-twilio-email-event-webhook-signature"]), "base64");
        assert.ok(verify("sha256", Buffer.from(ts + post.body), spki, sig), "signature verifies with the public key");
        assert.ok(!verify("sha256", Buffer.from(ts + post.body + " "), spki, sig), "and not for another body");
        const list = JSON.parse(post.body) as Array<Record<string, string>>;
        events.set(list[0]!.sg_message_id!.split(".")[0]!, list);
      }
      assert.deepEqual(events.get(ok.headers.get("x-message-id")!)!.map((e) => e.event), ["processed", "delivered"]);
      const bounce = events.get(bounced.headers.get("x-message-id")!)!.at(-1)!;
      assert.deepEqual([bounce.event, bounce.type, bounce.status, bounce.email], ["bounce", "bounce", "5.1.1", "bounce-1@example.com"]);
      const posts = (await (await fetch(`${server.origin}/_standin/sendgrid/event-posts`)).json()) as Array<{ url: string; status: number }>;
      assert.ok(posts.filter((p) => p.url === url).every((p) => p.status === 200));
    } finally {
      receiver.close();
    }
  });
});

describe("Resend stand-in", () => {
  const email = (to: unknown, extra: Record<string, unknown> = {}) => ({ from: "Acme <hi@acme.example.com>", to, subject: "Hi", text: "Hi", ...extra });

  it("answers 200 { id } and records the message", async () => {
    const r = await resendSend(email(["ada@example.com"]));
    assert.equal(r.status, 200);
    assert.match(r.body.id, /^[0-9a-f-]{36}$/);
    assert.equal(server.records("resend").at(-1)!.messageId, r.body.id);
  });

  it("answers Resend's errors as { statusCode, name, message }", async () => {
    const cases: Array<[unknown, number, string, (string | null)?]> = [
      [email("ada@example.com"), 401, "missing_api_key", null],
      [email("ada@example.com"), 403, "invalid_api_key", "re_invalid_0000000000000000"],
      [email("ada@example.com"), 403, "invalid_api_key", "SG.not.resend"],
      [email("not an address"), 422, "validation_error"],
      [email("invalid-2@example.com"), 422, "validation_error"],
      [{ to: "ada@example.com", subject: "x", text: "x" }, 422, "missing_required_field"],
      [email("ada@example.com", { from: "hi@unverified.example.com" }), 403, "validation_error"],
    ];
    for (const [body, status, name, key] of cases) {
      const r = await resendSend(body, key);
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.deepEqual(Object.keys(r.body).sort(), ["message", "name", "statusCode"]);
      assert.equal(r.body.name, name);
      assert.equal(r.body.statusCode, status);
    }
    assert.match((await resendSend(email("invalid-3@example.com"))).body.message, /`to`/);
  });

  it("answers 429 once with retry-after, 500 once, then 200", async () => {
    const limited = await resendSend(email("ratelimit-3@example.com"));
    assert.equal(limited.status, 429);
    assert.equal(limited.body.name, "rate_limit_exceeded");
    assert.equal(limited.headers.get("retry-after"), "1");
    assert.equal((await resendSend(email("ratelimit-3@example.com"))).status, 200);
    assert.equal((await resendSend(email("error-3@example.com"))).status, 500);
    assert.equal((await resendSend(email("error-3@example.com"))).status, 200);
  });
});
