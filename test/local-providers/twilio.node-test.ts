// The Twilio stand-in (scripts/local/providers/twilio.ts) behind the local provider server:
// Twilio's Messages API auth, validation codes, magic numbers and failure modes, and status
// callbacks signed as Twilio signs them (checked here with an independent HMAC).
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import http from "node:http";
import { after, before, beforeEach, describe, it } from "node:test";
import { type ProviderStandIns, startProviderStandIns, STAND_INS } from "../../scripts/local/providers/server.ts";
import { LOCAL_TWILIO } from "../../scripts/local/providers/twilio.ts";

interface Received {
  url: string;
  signature: string | undefined;
  params: Record<string, string>;
}

let server: ProviderStandIns;
let receiver: http.Server;
let receiverOrigin = "";
let received: Received[] = [];

before(async () => {
  server = await startProviderStandIns({ port: 0 });
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push({ url: `${receiverOrigin}${req.url}`, signature: req.headers["x-twilio-signature"] as string | undefined, params: Object.fromEntries(new URLSearchParams(body)) });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  receiverOrigin = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
});
after(async () => {
  await server.close();
  receiver.closeAllConnections();
  await new Promise<void>((r) => receiver.close(() => r()));
});
beforeEach(() => {
  server.reset();
  received = [];
});

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const ACCOUNT_AUTH = basic(LOCAL_TWILIO.account_sid, LOCAL_TWILIO.auth_token);
const messagesUrl = (sid = LOCAL_TWILIO.account_sid) => `${server.origin}/2010-04-01/Accounts/${sid}/Messages.json`;

async function sendSms(params: Record<string, string>, opts: { auth?: string | null; account?: string; contentType?: string } = {}) {
  const headers: Record<string, string> = { "content-type": opts.contentType ?? "application/x-www-form-urlencoded" };
  if (opts.auth !== null) headers.authorization = opts.auth ?? ACCOUNT_AUTH;
  const res = await fetch(messagesUrl(opts.account), { method: "POST", headers, body: new URLSearchParams(params).toString() });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

/** Twilio's algorithm, written out again: HMAC-SHA1(token, url + sorted name+value), base64. */
function expectedSignature(token: string, url: string, params: Record<string, string>) {
  const text = url + Object.keys(params).sort().map((k) => k + params[k]).join("");
  return createHmac("sha1", token).update(text).digest("base64");
}

async function waitFor<T>(read: () => T[], n: number, ms = 3000): Promise<T[]> {
  const until = Date.now() + ms;
  while (read().length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return read();
}

describe("Twilio stand-in: Messages API", () => {
  it("is one of the provider server's stand-ins", () => {
    assert.ok(STAND_INS.some((s) => s.name === "twilio"));
  });

  it("accepts an SMS from the account's number and answers Twilio's message resource", async () => {
    const r = await sendSms({ To: "+14155550123", From: LOCAL_TWILIO.from, Body: "Hello & welcome" });
    assert.equal(r.status, 201);
    assert.match(r.body.sid, /^SM[0-9a-f]{32}$/);
    assert.equal(r.body.status, "queued");
    assert.equal(r.body.to, "+14155550123");
    assert.equal(r.body.from, LOCAL_TWILIO.from);
    assert.equal(r.body.body, "Hello & welcome");
    assert.equal(r.body.account_sid, LOCAL_TWILIO.account_sid);
    assert.equal(r.body.uri, `/2010-04-01/Accounts/${LOCAL_TWILIO.account_sid}/Messages/${r.body.sid}.json`);
    const [record] = server.records("twilio");
    assert.equal(record!.status, 201);
    assert.equal(record!.messageId, r.body.sid);
    assert.equal(record!.headers.authorization, ACCOUNT_AUTH);
    assert.deepEqual((record!.parsed as { to: string; body: string }).body, "Hello & welcome");

    const fetched = await fetch(`${server.origin}/2010-04-01/Accounts/${LOCAL_TWILIO.account_sid}/Messages/${r.body.sid}.json`, { headers: { authorization: ACCOUNT_AUTH } });
    assert.equal(fetched.status, 200);
    assert.equal(((await fetched.json()) as { sid: string }).sid, r.body.sid);
  });

  it("accepts the account's API key, and a Messaging Service instead of From", async () => {
    const r = await sendSms({ To: "+14155550123", MessagingServiceSid: LOCAL_TWILIO.messaging_service_sid, Body: "Hi" }, { auth: basic(LOCAL_TWILIO.api_key_sid, LOCAL_TWILIO.api_key_secret) });
    assert.equal(r.status, 201);
    assert.equal(r.body.status, "accepted");
    assert.equal(r.body.messaging_service_sid, LOCAL_TWILIO.messaging_service_sid);
  });

  it("answers 401 with code 20003 for missing or wrong credentials, or another account's path", async () => {
    const other = (await (await fetch(`${server.origin}/_standin/twilio/accounts`, { method: "POST" })).json()) as { account_sid: string; auth_token: string };
    for (const opts of [
      { auth: null },
      { auth: basic(LOCAL_TWILIO.account_sid, "ffffffffffffffffffffffffffffffff") },
      { auth: basic(LOCAL_TWILIO.api_key_sid, "wrong") },
      { auth: basic(other.account_sid, other.auth_token) },
    ]) {
      const r = await sendSms({ To: "+14155550123", From: LOCAL_TWILIO.from, Body: "Hi" }, opts);
      assert.equal(r.status, 401);
      assert.deepEqual(r.body, { code: 20003, message: "Authenticate", more_info: "https://www.twilio.com/docs/errors/20003", status: 401 });
    }
    // The fresh account works on its own path (and owns the same local numbers).
    const own = await sendSms({ To: "+14155550123", From: LOCAL_TWILIO.from, Body: "Hi" }, { auth: basic(other.account_sid, other.auth_token), account: other.account_sid });
    assert.equal(own.status, 201);
  });

  it("validates a send with Twilio's error codes", async () => {
    const from = LOCAL_TWILIO.from;
    const cases: Array<[Record<string, string>, number]> = [
      [{ From: from, Body: "x" }, 21604],
      [{ To: "+14155550123", Body: "x" }, 21603],
      [{ To: "+14155550123", From: from }, 21602],
      [{ To: "+14155550123", From: from, Body: "x".repeat(1601) }, 21617],
      [{ To: "0612345678", From: from, Body: "x" }, 21211],
      [{ To: "+14155550123", From: "+15557654321", Body: "x" }, 21606],
      [{ To: "+14155550123", From: "not-a-number", Body: "x" }, 21212],
      [{ To: "whatsapp:+14155550123", From: from, Body: "x" }, 21910],
      [{ To: "whatsapp:+14155550123", From: "whatsapp:+15557654321", Body: "x" }, 63007],
      [{ To: "+14155550123", MessagingServiceSid: "MG00000000000000000000000000000000", Body: "x" }, 21701],
      [{ To: "whatsapp:+14155550123", From: `whatsapp:${LOCAL_TWILIO.whatsapp_from}`, ContentSid: "nope" }, 21655],
      [{ To: "whatsapp:+14155550123", From: `whatsapp:${LOCAL_TWILIO.whatsapp_from}`, ContentSid: `HX${"0".repeat(32)}`, ContentVariables: "[1]" }, 21656],
    ];
    for (const [params, code] of cases) {
      const r = await sendSms(params);
      assert.equal(r.status, 400, JSON.stringify(params));
      assert.equal(r.body.code, code, JSON.stringify(params));
      assert.equal(r.body.more_info, `https://www.twilio.com/docs/errors/${code}`);
    }
    // A JSON body is not a form: Twilio finds no To.
    const json = await fetch(messagesUrl(), { method: "POST", headers: { authorization: ACCOUNT_AUTH, "content-type": "application/json" }, body: JSON.stringify({ To: "+14155550123" }) });
    assert.equal(((await json.json()) as { code: number }).code, 21604);
  });

  it("answers Twilio's magic test numbers", async () => {
    for (const [to, code] of [["+15005550001", 21211], ["+15005550002", 21612], ["+15005550003", 21408], ["+15005550004", 21610], ["+15005550009", 21614]] as const) {
      const r = await sendSms({ To: to, From: LOCAL_TWILIO.from, Body: "x" });
      assert.equal(r.body.code, code, to);
    }
    assert.equal((await sendSms({ To: "+14155550123", From: "+15005550001", Body: "x" })).body.code, 21212);
    assert.equal((await sendSms({ To: "+14155550123", From: "+15005550007", Body: "x" })).body.code, 21606);
  });

  it("fails once with 429, 500 or 503 for numbers ending 4290, 5000, 5030, then accepts", async () => {
    for (const [to, status, code] of [["+14155554290", 429, 20429], ["+14155555000", 500, 20500], ["+14155555030", 503, 20503]] as const) {
      const first = await sendSms({ To: to, From: LOCAL_TWILIO.from, Body: "x" });
      assert.equal(first.status, status);
      assert.equal(first.body.code, code);
      assert.equal((await sendSms({ To: to, From: LOCAL_TWILIO.from, Body: "x" })).status, 201);
    }
  });

  it("answers slowly for numbers ending 7000", async () => {
    const t0 = Date.now();
    assert.equal((await sendSms({ To: "+14155557000", From: LOCAL_TWILIO.from, Body: "x" })).status, 201);
    assert.ok(Date.now() - t0 >= 2900);
  });
});

describe("Twilio stand-in: status callbacks", () => {
  it("posts sent then delivered to the StatusCallback, signed with the account's auth token", async () => {
    const callback = `${receiverOrigin}/api/callbacks/twilio/int_1?x=1`;
    const r = await sendSms({ To: "+14155550123", From: LOCAL_TWILIO.from, Body: "Hi", StatusCallback: callback });
    const posts = await waitFor(() => received, 2);
    assert.deepEqual(posts.map((p) => p.params.MessageStatus), ["sent", "delivered"]);
    for (const p of posts) {
      assert.equal(p.url, callback);
      assert.equal(p.params.MessageSid, r.body.sid);
      assert.equal(p.params.AccountSid, LOCAL_TWILIO.account_sid);
      assert.equal(p.params.To, "+14155550123");
      assert.equal(p.signature, expectedSignature(LOCAL_TWILIO.auth_token, callback, p.params));
    }
    const fetched = await fetch(`${server.origin}/2010-04-01/Accounts/${LOCAL_TWILIO.account_sid}/Messages/${r.body.sid}.json`, { headers: { authorization: ACCOUNT_AUTH } });
    assert.equal(((await fetched.json()) as { status: string }).status, "delivered");
    const log = (await (await fetch(`${server.origin}/_standin/twilio/callbacks`)).json()) as Array<{ status: number }>;
    assert.deepEqual(log.map((l) => l.status), [200, 200]);
  });

  it("reports undelivered with ErrorCode 30003/30005/30006 for numbers ending 3003/3005/3006", async () => {
    const callback = `${receiverOrigin}/cb`;
    await sendSms({ To: "+14155553005", From: LOCAL_TWILIO.from, Body: "Hi", StatusCallback: callback });
    const posts = await waitFor(() => received, 2);
    assert.deepEqual(posts.map((p) => [p.params.MessageStatus, p.params.ErrorCode]), [["sent", undefined], ["undelivered", "30005"]]);
  });

  it("fails WhatsApp free text to a number outside the session (…0000) with 63016, but not a template", async () => {
    const callback = `${receiverOrigin}/cb`;
    const wa = { To: "whatsapp:+14155550000", From: `whatsapp:${LOCAL_TWILIO.whatsapp_from}`, StatusCallback: callback };
    assert.equal((await sendSms({ ...wa, Body: "Hi" })).status, 201);
    const [failed] = await waitFor(() => received, 1);
    assert.deepEqual([failed!.params.MessageStatus, failed!.params.ErrorCode], ["failed", "63016"]);
    received = [];
    await sendSms({ ...wa, ContentSid: `HX${"a".repeat(32)}`, ContentVariables: JSON.stringify({ 1: "Ada" }) });
    const posts = await waitFor(() => received, 2);
    assert.deepEqual(posts.map((p) => p.params.MessageStatus), ["sent", "delivered"]);
  });

  it("forgets messages and pending callbacks on reset, keeps the accounts", async () => {
    await sendSms({ To: "+14155550123", From: LOCAL_TWILIO.from, Body: "Hi", StatusCallback: `${receiverOrigin}/cb` });
    server.reset();
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(received, []);
    assert.deepEqual(server.records("twilio"), []);
    assert.equal((await sendSms({ To: "+14155550123", From: LOCAL_TWILIO.from, Body: "Hi" })).status, 201);
  });
});
