// Node-side checks of the push sink, driving it with the `web-push` library (an independent
// RFC 8291/8292 implementation). Run: node_modules/.bin/node --test test/push-sink/sink.node-test.ts
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import webpush from "web-push";
import { startPushSink, type PushSink, type SinkSubscription } from "./main.ts";

let sink: PushSink;
const vapid = webpush.generateVAPIDKeys();
const vapidDetails = { subject: "mailto:test@herald.invalid", publicKey: vapid.publicKey, privateKey: vapid.privateKey };

before(async () => {
  sink = await startPushSink({ slowMs: 50 });
});
after(() => sink.close());
beforeEach(() => sink.reset());

async function subscribe(mode = "ok", count = 1, extra: object = {}): Promise<SinkSubscription[]> {
  const res = await fetch(`${sink.origin}/subscriptions`, { method: "POST", body: JSON.stringify({ mode, count, ...extra }) });
  assert.equal(res.status, 201);
  return res.json() as Promise<SinkSubscription[]>;
}

async function push(sub: SinkSubscription, payload: unknown, opts: { headers?: Record<string, string | null>; body?: Uint8Array; vapid?: typeof vapidDetails } = {}) {
  const d = webpush.generateRequestDetails(sub, JSON.stringify(payload), { vapidDetails: opts.vapid ?? vapidDetails, TTL: 60, urgency: "high", topic: "t1" });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...d.headers, ...opts.headers })) if (v !== null) headers[k] = String(v);
  delete headers["Content-Length"];
  const res = await fetch(d.endpoint, { method: "POST", headers, body: opts.body ?? (d.body as Buffer) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

const report = async (detail = false) => (await fetch(`${sink.origin}/report${detail ? "?detail=1" : ""}`)).json();

describe("push sink", () => {
  it("accepts a valid push with 201, decrypts it and records the payload and headers", async () => {
    const [sub] = await subscribe();
    const r = await push(sub!, { title: "hi", token: "a" });
    assert.equal(r.status, 201);
    assert.match(r.headers.get("location")!, /\/messages\//);
    const msgs = await (await fetch(`${sink.origin}/messages/${sub!.id}`)).json();
    assert.deepEqual(msgs.messages[0].payload, { title: "hi", token: "a" });
    assert.equal(msgs.messages[0].ttl, "60");
    assert.equal(msgs.messages[0].urgency, "high");
    assert.equal(msgs.messages[0].topic, "t1");
    const rep = await report();
    assert.equal(rep.received, 1);
    assert.deepEqual(rep.by_status, { "201": 1 });
  });

  it("counts an endpoint that receives the same token twice as a duplicate", async () => {
    const [a, b] = await subscribe("ok", 2);
    await push(a!, { token: "x" });
    await push(a!, { token: "x" });
    await push(b!, { token: "x" });
    await push(b!, { token: "y" });
    const rep = await report(true);
    assert.equal(rep.received, 4);
    assert.equal(rep.duplicates, 1);
    assert.equal(rep.per_subscription[a!.id].duplicates, 1);
  });

  it("rejects a missing Authorization with 401 and a foreign key's signature with 403", async () => {
    const [sub] = await subscribe();
    assert.equal((await push(sub!, {}, { headers: { Authorization: null } })).status, 401);
    const other = webpush.generateVAPIDKeys();
    const d = webpush.generateRequestDetails(sub!, "{}", { vapidDetails: { ...vapidDetails, ...other } });
    const forged = String(d.headers.Authorization).replace(/k=\S+/, `k=${vapid.publicKey}`);
    const r = await push(sub!, {}, { headers: { Authorization: forged } });
    assert.equal(r.status, 403);
    assert.equal(r.json.reason, "vapid_bad_signature");
    assert.deepEqual((await report()).rejected, { vapid_missing: 1, vapid_bad_signature: 1 });
  });

  it("rejects a JWT whose aud is another origin", async () => {
    const [sub] = await subscribe();
    const d = webpush.generateRequestDetails({ ...sub!, endpoint: "https://elsewhere.example/x" }, "{}", { vapidDetails });
    const r = await push(sub!, {}, { headers: { Authorization: String(d.headers.Authorization) } });
    assert.equal(r.status, 403);
    assert.equal(r.json.reason, "vapid_aud");
  });

  it("rejects a key other than the subscription's applicationServerKey", async () => {
    const [sub] = await subscribe("ok", 1, { applicationServerKey: webpush.generateVAPIDKeys().publicKey });
    assert.equal((await push(sub!, {})).json.reason, "vapid_key_mismatch");
  });

  it("requires TTL and aes128gcm, limits bodies to 4096 bytes and rejects undecryptable bodies", async () => {
    const [sub] = await subscribe();
    assert.equal((await push(sub!, {}, { headers: { TTL: null } })).json.reason, "ttl_missing");
    assert.equal((await push(sub!, {}, { headers: { "Content-Encoding": "aesgcm" } })).json.reason, "bad_content_encoding");
    const big = await push(sub!, {}, { body: new Uint8Array(4097) });
    assert.equal(big.status, 413);
    const bad = await push(sub!, {}, { body: new Uint8Array(300) });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.reason, "decrypt_failed");
    assert.equal((await report()).received, 0);
  });

  it("answers 404 for an unknown subscription", async () => {
    const [sub] = await subscribe();
    const r = await push({ ...sub!, endpoint: `${sink.origin}/push/nope` }, {});
    assert.equal(r.status, 404);
    assert.equal(r.json.reason, "unknown_subscription");
  });

  it("answers per mode", async () => {
    const cases: [string, number[]][] = [
      ["gone404", [404, 404]],
      ["gone410", [410, 410]],
      ["too_large413", [413]],
      ["unauthorized403", [403]],
      ["rate_limit_then_ok", [429, 201, 201]],
      ["error503_then_ok", [503, 201]],
      ["slow", [201]],
    ];
    for (const [mode, statuses] of cases) {
      const [sub] = await subscribe(mode);
      const got = [];
      for (let i = 0; i < statuses.length; i++) {
        const r = await push(sub!, { token: `t${i}` });
        got.push(r.status);
        if (r.status === 429) assert.equal(r.headers.get("retry-after"), "1");
      }
      assert.deepEqual(got, statuses, mode);
    }
  });

  it("delays slow subscriptions by delay_ms", async () => {
    const [sub] = await subscribe("slow", 1, { delay_ms: 300 });
    const t0 = performance.now();
    assert.equal((await push(sub!, {})).status, 201);
    assert.ok(performance.now() - t0 >= 290);
  });

  it("creates 100,000 subscriptions with unique ids quickly", async () => {
    const t0 = performance.now();
    const subs = await subscribe("ok", 100_000);
    assert.equal(subs.length, 100_000);
    assert.equal(new Set(subs.map((s) => s.endpoint)).size, 100_000);
    assert.equal(new Set(subs.map((s) => s.keys.auth)).size, 100_000);
    assert.ok(performance.now() - t0 < 5000);
    const last = subs.at(-1)!;
    assert.equal((await push(last, { token: "z" })).status, 201);
  });
});
