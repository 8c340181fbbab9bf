// The Resend stand-in's webhooks API and its Svix-signed posts, over real HTTP: a webhook made
// with POST /webhooks gets email.sent and then delivered / bounced / complained for each accepted
// email, each post verified with the standardwebhooks library (as Herald verifies them) under
// the signing secret the create call answered with.
//   node --test test/local-providers/resend-webhooks.node-test.ts
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, beforeEach, describe, it } from "node:test";
import { Webhook } from "standardwebhooks";
import { startProviderStandIns, type ProviderStandIns } from "../../scripts/local/providers/server.ts";

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: ProviderStandIns;
let receiver: http.Server;
let received: Received[] = [];
let receiverOrigin = "";

before(async () => {
  server = await startProviderStandIns({ port: 0 });
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body });
      res.writeHead(200, { "content-type": "application/json" }).end('{"recorded":true}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverOrigin = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
});
after(async () => {
  await server.close();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(async () => {
  await fetch(`${server.origin}/_standin/reset`, { method: "POST" });
  received = [];
});

const KEY = "re_123456789_AbCdEfGhIjKlMnOpQrStUvWx";

async function api(method: string, path: string, body?: unknown, key: string | null = KEY) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const res = await fetch(server.origin + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

const send = async (to: string, key = KEY) => {
  const r = await api("POST", "/emails", { from: "Acme <news@acme.example.com>", to: [to], subject: "Hello", text: "Hi" }, key);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.id as string;
};

async function waitFor(n: number, ms = 5000) {
  const deadline = Date.now() + ms;
  while (received.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  // A moment more: anything beyond n would be a duplicate or a post to the wrong webhook.
  await new Promise((r) => setTimeout(r, 400));
}

/** Verifies one received post under `secret` with standardwebhooks (svix-* → webhook-*). */
function verify(post: Received, secret: string): { type: string; data: Record<string, any> } {
  const h = post.headers;
  return new Webhook(secret).verify(post.body, {
    "webhook-id": String(h["svix-id"]),
    "webhook-timestamp": String(h["svix-timestamp"]),
    "webhook-signature": String(h["svix-signature"]),
  }) as { type: string; data: Record<string, any> };
}

describe("Resend stand-in webhooks", () => {
  it("creates a webhook like POST /webhooks does: { object, id, signing_secret }, readable and deletable", async () => {
    const created = await api("POST", "/webhooks", { endpoint: `${receiverOrigin}/hook`, events: ["email.delivered"] });
    assert.equal(created.status, 200);
    assert.deepEqual(Object.keys(created.body).sort(), ["id", "object", "signing_secret"]);
    assert.equal(created.body.object, "webhook");
    assert.match(created.body.signing_secret, /^whsec_[A-Za-z0-9+/]{32}$/);
    const read = await api("GET", `/webhooks/${created.body.id}`);
    assert.deepEqual([read.body.endpoint, read.body.events, read.body.signing_secret], [`${receiverOrigin}/hook`, ["email.delivered"], created.body.signing_secret]);
    assert.equal((await api("GET", `/webhooks/${created.body.id}`, undefined, "re_another_key_0000000000")).status, 404, "another key's webhook");
    assert.deepEqual((await api("DELETE", `/webhooks/${created.body.id}`)).body, { object: "webhook", id: created.body.id, deleted: true });
    assert.equal((await api("GET", `/webhooks/${created.body.id}`)).body.name, "not_found");
  });

  it("refuses a missing key, a bad endpoint and unknown events the way Resend does", async () => {
    const cases: Array<[unknown, string | null, number, string]> = [
      [{ endpoint: `${receiverOrigin}/x`, events: ["email.sent"] }, null, 401, "missing_api_key"],
      [{ endpoint: `${receiverOrigin}/x`, events: ["email.sent"] }, "re_invalid_0000000000000000", 403, "invalid_api_key"],
      [{ events: ["email.sent"] }, KEY, 422, "missing_required_field"],
      [{ endpoint: "not a url", events: ["email.sent"] }, KEY, 422, "validation_error"],
      [{ endpoint: `${receiverOrigin}/x`, events: [] }, KEY, 422, "validation_error"],
      [{ endpoint: `${receiverOrigin}/x`, events: ["email.teleported"] }, KEY, 422, "validation_error"],
    ];
    for (const [body, key, status, name] of cases) {
      const r = await api("POST", "/webhooks", body, key);
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.deepEqual([r.body.statusCode, r.body.name], [status, name]);
    }
  });

  it("posts signed sent, delivered, bounced and complained events in order, verifiable with standardwebhooks", async () => {
    const all = ["email.sent", "email.delivered", "email.bounced", "email.complained", "email.opened"];
    const hook = (await api("POST", "/webhooks", { endpoint: `${receiverOrigin}/api/callbacks/resend/int_1`, events: all })).body;
    const ids = {
      ok: await send("ada@example.com"),
      hard: await send("bounce-1@example.com"),
      soft: await send("softbounce-1@example.com"),
      complaint: await send("complain-1@example.com"),
    };
    await waitFor(9);
    assert.equal(received.length, 9);
    const byEmail = new Map<string, Array<{ type: string; data: Record<string, any> }>>();
    const svixIds = new Set<string>();
    for (const post of received) {
      assert.equal(post.path, "/api/callbacks/resend/int_1");
      assert.equal(post.headers["content-type"], "application/json");
      assert.match(String(post.headers["svix-signature"]), /^v1,[A-Za-z0-9+/]{43}=$/);
      assert.ok(Math.abs(Number(post.headers["svix-timestamp"]) - Date.now() / 1000) < 10);
      svixIds.add(String(post.headers["svix-id"]));
      const event = verify(post, hook.signing_secret);
      assert.throws(() => verify({ ...post, body: post.body.replace("email.", "email ") }, hook.signing_secret), /signature/i, "a tampered body fails");
      assert.throws(() => verify(post, `whsec_${Buffer.alloc(24, 7).toString("base64")}`), /signature/i, "another secret fails");
      byEmail.set(event.data.email_id, [...(byEmail.get(event.data.email_id) ?? []), event]);
    }
    assert.equal(svixIds.size, 9, "one svix-id per post");
    const types = (id: string) => byEmail.get(id)?.map((e) => e.type);
    assert.deepEqual(types(ids.ok), ["email.sent", "email.delivered"]);
    assert.deepEqual(types(ids.hard), ["email.sent", "email.bounced"]);
    assert.deepEqual(types(ids.soft), ["email.sent", "email.bounced"]);
    assert.deepEqual(types(ids.complaint), ["email.sent", "email.delivered", "email.complained"]);
    assert.deepEqual(byEmail.get(ids.hard)!.at(-1)!.data.bounce, { type: "Permanent", subType: "General", message: "The recipient's email provider sent a hard bounce message." });
    assert.equal(byEmail.get(ids.soft)!.at(-1)!.data.bounce.type, "Transient");
    const delivered = byEmail.get(ids.ok)!.at(-1)!.data;
    assert.deepEqual([delivered.to, delivered.from, delivered.subject], [["ada@example.com"], "news@acme.example.com", "Hello"]);
    const log = (await (await fetch(`${server.origin}/_standin/resend/webhook-posts`)).json()) as Array<{ status: number; type: string }>;
    assert.equal(log.length, 9);
    assert.ok(log.every((p) => p.status === 200));
  });

  it("posts only the events a webhook subscribed to, only for its own key's emails, and nothing after it is deleted", async () => {
    const hook = (await api("POST", "/webhooks", { endpoint: `${receiverOrigin}/only-delivered`, events: ["email.delivered"] })).body;
    await send("ada@example.com", "re_someone_else_000000000000");
    const mine = await send("ada@example.com");
    await waitFor(1);
    assert.deepEqual(received.map((p) => [p.path, verify(p, hook.signing_secret).type, verify(p, hook.signing_secret).data.email_id]), [["/only-delivered", "email.delivered", mine]]);
    await api("DELETE", `/webhooks/${hook.id}`);
    received = [];
    await send("ada@example.com");
    await waitFor(1, 600);
    assert.equal(received.length, 0);
  });

  it("sends nothing for a refused email", async () => {
    await api("POST", "/webhooks", { endpoint: `${receiverOrigin}/x`, events: ["email.sent", "email.delivered"] });
    assert.equal((await api("POST", "/emails", { from: "news@acme.example.com", to: ["invalid-1@example.com"], subject: "x", text: "x" })).status, 422);
    assert.equal((await api("POST", "/emails", { from: "news@acme.example.com", to: ["error-9@example.com"], subject: "x", text: "x" })).status, 500);
    await waitFor(1, 600);
    assert.equal(received.length, 0);
  });
});
