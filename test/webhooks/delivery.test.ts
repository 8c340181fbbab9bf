// Outbound webhooks end to end inside workerd: emission → the queue (recorded) → the consumer →
// a receiver that verifies each delivery with standardwebhooks' Webhook.verify, with a clock
// the test moves for the retry schedule and the auto-disable window.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WEBHOOK_DISABLE_AFTER_FAILING_MS, WEBHOOK_STALL_AFTER_MS } from "../../workers/config";
import { runHousekeeping } from "../../workers/cron/housekeeping";
import { emitWebhookEvent, emitWebhookEvents, messageEventId } from "../../workers/services/webhooks/emit";
import { call } from "../helpers";
import { consume, drain, RECEIVER_ORIGIN, receiver, siteWithEndpoint, webhookDeps } from "./helpers";

const sent = (id = "ntf_1") => ({ message_id: id, channel: "email" as const, recipient_id: "eu_1", external_id: "user-42", sent_at: new Date().toISOString() });
const log = async (siteId: string, endpointId: string, token: string, query = "") =>
  (await call("GET", `/api/sites/${siteId}/webhooks/${endpointId}/deliveries${query}`, { token })).body;

afterEach(() => vi.restoreAllMocks());

describe("webhook delivery", () => {
  it("delivers an emitted event to a receiver that verifies its signature with Webhook.verify", async () => {
    const { owner, site, endpoint } = await siteWithEndpoint("deliver");
    const r = receiver({ secrets: [endpoint.secret], body: '{"received":true}' });
    const w = webhookDeps(r);
    const data = sent();
    expect(await emitWebhookEvent(w.deps, site.id, "message.sent", data, { id: messageEventId("ntf_1", "email", "eu_1", "sent") })).toEqual({ queued: 1 });
    expect(w.queue.sent).toHaveLength(1);
    await drain(w);

    expect(r.received).toHaveLength(1);
    const got = r.received[0]!;
    expect(got.url).toBe(endpoint.url);
    expect(got.verified).toEqual({ ok: true, payload: { type: "message.sent", timestamp: expect.any(String), data } });
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["webhook-id"]).toMatch(/^msg_/);

    const page = await log(site.id, endpoint.id, owner.token);
    expect(page.data).toEqual([
      expect.objectContaining({ status: "succeeded", kind: "scheduled", attempt: 1, response_status: 200, response_body: '{"received":true}', event_type: "message.sent", webhook_id: got.headers["webhook-id"] }),
    ]);
    expect(page.data[0].duration_ms).toBeGreaterThanOrEqual(0);
  });

  it("retries failures on the Svix schedule with the same webhook-id, and logs every attempt", async () => {
    const { owner, site, endpoint } = await siteWithEndpoint("retry");
    const r = receiver({ secrets: [endpoint.secret], answers: [500, 410, 503, 200] });
    const w = webhookDeps(r);
    await emitWebhookEvent(w.deps, site.id, "message.failed", { ...sent(), failed_at: new Date().toISOString(), reason: "invalid_address", provider_code: "21211" } as never);
    const delays = await drain(w);

    // 410 Gone is retried like any other failure (Svix does too); the 4th attempt succeeds.
    expect(delays).toEqual([0, 5, 300, 1800]);
    expect(r.received).toHaveLength(4);
    expect(new Set(r.received.map((d) => d.headers["webhook-id"])).size).toBe(1);
    expect(r.received.every((d) => d.verified.ok)).toBe(true);
    const page = await log(site.id, endpoint.id, owner.token);
    expect(page.data.map((d: any) => [d.attempt, d.status, d.response_status, d.error])).toEqual([
      [4, "succeeded", 200, null],
      [3, "failed", 503, "http_503"],
      [2, "failed", 410, "http_410"],
      [1, "failed", 500, "http_500"],
    ]);
    expect(page.data[3].next_attempt_at - page.data[3].attempted_at).toBe(5_000);
    expect(page.data[3].error_detail).toBe("The endpoint answered HTTP 500; only a 2xx answer counts as delivered.");
    const failed = await log(site.id, endpoint.id, owner.token, "?status=failed&limit=2");
    expect(failed.data.map((d: any) => d.attempt)).toEqual([3, 2]);
    const rest = await log(site.id, endpoint.id, owner.token, `?status=failed&limit=2&cursor=${failed.next_cursor}`);
    expect(rest.data.map((d: any) => d.attempt)).toEqual([1]);
    expect(rest.next_cursor).toBeNull();
  });

  it("gives up after the 8th attempt", async () => {
    const { owner, site, endpoint } = await siteWithEndpoint("giveup");
    const r = receiver({ secrets: [endpoint.secret], answers: [502] });
    const w = webhookDeps(r);
    await emitWebhookEvent(w.deps, site.id, "notification.sent", { notification_id: "ntf_x", targeted: 1, sent: 1, failed: 0, pruned: 0, completed_at: new Date().toISOString() });
    const delays = await drain(w);
    expect(delays).toEqual([0, 5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(r.received).toHaveLength(8);
    expect(r.received.every((d) => d.verified.ok)).toBe(true);
    const page = await log(site.id, endpoint.id, owner.token);
    expect(page.data[0]).toMatchObject({ attempt: 8, status: "failed", next_attempt_at: null });
  });

  it("records an unreachable receiver in words, without a status", async () => {
    const { owner, site, endpoint } = await siteWithEndpoint("unreachable");
    const w = webhookDeps((async () => {
      throw new Error("Network connection lost.");
    }) as typeof fetch);
    await emitWebhookEvent(w.deps, site.id, "subscriber.created", {} as never);
    await drain(w, { max: 1 });
    const [attempt] = (await log(site.id, endpoint.id, owner.token)).data.filter((d: any) => d.status === "failed");
    expect(attempt).toMatchObject({ response_status: null, error: "connect_failed", error_detail: "Could not connect to 127.0.0.1 (connection refused or unreachable)." });
  });

  it("disables an endpoint that failed for 5 days, says why, and skips what was scheduled", async () => {
    const { owner, site, endpoint } = await siteWithEndpoint("disable");
    const r = receiver({ secrets: [endpoint.secret], answers: [500] });
    const w = webhookDeps(r);
    await emitWebhookEvent(w.deps, site.id, "message.sent", sent("ntf_a"));
    await drain(w, { max: 1 });
    const failingSince = w.clock.now;
    expect((await call("GET", `/api/sites/${site.id}/webhooks/${endpoint.id}`, { token: owner.token })).body).toMatchObject({ enabled: true, failing_since: failingSince });

    // Still failing just short of 5 days later: kept.
    w.clock.now = failingSince + WEBHOOK_DISABLE_AFTER_FAILING_MS - 60_000;
    await emitWebhookEvent(w.deps, site.id, "message.sent", sent("ntf_b"));
    await drain(w, { max: 2, moveClock: false });
    expect((await call("GET", `/api/sites/${site.id}/webhooks/${endpoint.id}`, { token: owner.token })).body.enabled).toBe(true);

    // Past the window: the next failure disables it.
    w.clock.now = failingSince + WEBHOOK_DISABLE_AFTER_FAILING_MS + 1;
    w.queue.sent.length = 0;
    await emitWebhookEvent(w.deps, site.id, "message.sent", sent("ntf_c"));
    await drain(w, { max: 1 });
    const disabled = (await call("GET", `/api/sites/${site.id}/webhooks/${endpoint.id}`, { token: owner.token })).body;
    expect(disabled).toMatchObject({ enabled: false, disabled_at: w.clock.now });
    expect(disabled.disabled_reason).toContain("every delivery attempt failed for 5 days");
    expect(disabled.disabled_reason).toContain("The endpoint answered HTTP 500");
    expect(w.queue.sent).toHaveLength(0); // nothing scheduled after the attempt that disabled it

    // An attempt scheduled before is skipped, not sent; new events are not emitted to it.
    const before = r.received.length;
    const stale = (await env.DB.prepare("select id from webhook_deliveries where endpoint_id = ? and status = 'pending'").bind(endpoint.id).all<{ id: string }>()).results;
    expect(stale.length).toBeGreaterThan(0);
    await consume(w.deps, stale.map((s) => ({ v: 1, type: "attempt", siteId: site.id, deliveryId: s.id })));
    expect(r.received).toHaveLength(before);
    expect((await log(site.id, endpoint.id, owner.token, "?status=skipped")).data[0]).toMatchObject({ error: "endpoint_disabled" });
    expect(await emitWebhookEvent(w.deps, site.id, "message.sent", sent("ntf_d"))).toEqual({ queued: 0 });

    // Enabled again by a person: the reason and the failure streak are cleared.
    const enabled = await call("PATCH", `/api/sites/${site.id}/webhooks/${endpoint.id}`, { token: owner.token, body: { enabled: true } });
    expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null, failing_since: null });
    expect(await emitWebhookEvent(w.deps, site.id, "message.sent", sent("ntf_e"))).toEqual({ queued: 1 });
  });

  it("replays a delivery now with the same webhook-id", async () => {
    const { owner, site, endpoint } = await siteWithEndpoint("replay");
    const r = receiver({ secrets: [endpoint.secret], answers: [500, 200] });
    const w = webhookDeps(r);
    await emitWebhookEvent(w.deps, site.id, "message.sent", sent());
    await drain(w, { max: 1 });
    const [first] = (await log(site.id, endpoint.id, owner.token)).data.filter((d: any) => d.status === "failed");

    vi.spyOn(globalThis, "fetch").mockImplementation(r.fetch); // the route's own deps fetch through this
    const replay = await call("POST", `/api/sites/${site.id}/webhooks/${endpoint.id}/deliveries/${first.id}/replay`, { token: owner.token });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ kind: "replay", status: "succeeded", response_status: 200, event_id: first.event_id, webhook_id: first.webhook_id });
    expect(r.received.map((d) => d.headers["webhook-id"])).toEqual([first.webhook_id, first.webhook_id]);
    expect(r.received[1]!.verified).toMatchObject({ ok: true, payload: { type: "message.sent" } });
  });

  it("sends a test event on request and reports the receiver's answer", async () => {
    const { owner, site, endpoint } = await siteWithEndpoint("testevent");
    const r = receiver({ secrets: [endpoint.secret], answers: [418] });
    vi.spyOn(globalThis, "fetch").mockImplementation(r.fetch);
    const res = await call("POST", `/api/sites/${site.id}/webhooks/${endpoint.id}/test`, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: "test", event_type: "webhook.test", status: "failed", response_status: 418, error: "http_418", response_body: "nope" });
    expect(r.received[0]!.verified).toMatchObject({ ok: true, payload: { type: "webhook.test", data: { endpoint_id: endpoint.id } } });
  });

  it("signs with both secrets while the previous one overlaps, then with the new one only", async () => {
    const { owner, site, endpoint } = await siteWithEndpoint("rotate");
    const rotated = await call("POST", `/api/sites/${site.id}/webhooks/${endpoint.id}/rotate-secret`, { token: owner.token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(rotated.body.previous_secret_valid_until).toBeGreaterThan(Date.now() + 23 * 3600_000);

    const r = receiver({ secrets: [rotated.body.secret, endpoint.secret] });
    const w = webhookDeps(r);
    await emitWebhookEvent(w.deps, site.id, "message.sent", sent("ntf_1"));
    await drain(w);
    expect(r.received[0]!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(r.received[0]!.verifiedWith).toEqual([0, 1]); // each secret verifies on its own

    // After 24 hours only the new secret signs.
    w.clock.now = Date.now() + 24 * 3600_000 + 1;
    await emitWebhookEvent(w.deps, site.id, "message.sent", sent("ntf_2"));
    await drain(w);
    expect(r.received[1]!.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    expect(r.received[1]!.verifiedWith).toEqual([0]);
  });

  it("never puts the secret in a queue message, the log, the event store or a response", async () => {
    const { owner, site, endpoint } = await siteWithEndpoint("nosecret");
    const secretB64 = endpoint.secret.slice("whsec_".length);
    const r = receiver({ secrets: [endpoint.secret], answers: [500, 200] });
    const w = webhookDeps(r);
    await emitWebhookEvent(w.deps, site.id, "message.sent", sent());
    const queued = JSON.stringify(w.queue.sent);
    await drain(w);
    const responses = [
      await call("GET", `/api/sites/${site.id}/webhooks`, { token: owner.token }),
      await call("GET", `/api/sites/${site.id}/webhooks/${endpoint.id}`, { token: owner.token }),
      await call("PATCH", `/api/sites/${site.id}/webhooks/${endpoint.id}`, { token: owner.token, body: { description: "x" } }),
      await call("GET", `/api/sites/${site.id}/webhooks/${endpoint.id}/deliveries`, { token: owner.token }),
    ];
    const list = responses[0]!.body.data[0];
    expect(list.secret_hint).toBe(endpoint.secret.slice(-4));
    expect(list).not.toHaveProperty("secret");
    const stored = JSON.stringify([
      (await env.DB.prepare("select * from webhook_deliveries where endpoint_id = ?").bind(endpoint.id).all()).results,
      (await env.DB.prepare("select * from webhook_events where site_id = ?").bind(site.id).all()).results,
      (await env.DB.prepare("select secret_enc from webhook_endpoints where id = ?").bind(endpoint.id).all()).results,
      (await env.DB.prepare("select body from dead_letters").all()).results,
    ]);
    for (const text of [queued, stored, ...responses.map((x) => JSON.stringify(x.body))]) {
      expect(text).not.toContain(secretB64);
    }
  });

  it("delivers an event once however often it is emitted with the same id", async () => {
    const { site, endpoint } = await siteWithEndpoint("dedupe");
    const r = receiver({ secrets: [endpoint.secret] });
    const w = webhookDeps(r);
    const id = messageEventId("ntf_9", "sms", "eu_9", "sent");
    expect(await emitWebhookEvent(w.deps, site.id, "message.sent", sent("ntf_9"), { id })).toEqual({ queued: 1 });
    expect(await emitWebhookEvent(w.deps, site.id, "message.sent", sent("ntf_9"), { id })).toEqual({ queued: 0 });
    expect(await emitWebhookEvents(w.deps, site.id, [{ type: "message.sent", data: sent("ntf_9"), id }, { type: "message.sent", data: sent("ntf_10") }])).toEqual({ queued: 1 });
    await drain(w);
    expect(r.received.map((d) => d.verified.ok && d.verified.payload.data.message_id)).toEqual(["ntf_9", "ntf_10"]);
  });

  it("never sends twice when the same queue message is delivered twice", async () => {
    const { site, endpoint } = await siteWithEndpoint("twice");
    const r = receiver({ secrets: [endpoint.secret] });
    const w = webhookDeps(r);
    await emitWebhookEvent(w.deps, site.id, "message.sent", sent());
    const [message] = w.queue.sent;
    const [a, b] = await Promise.all([consume(w.deps, [message!.body]), consume(w.deps, [message!.body])]);
    expect(r.received).toHaveLength(1);
    // The one that found it taken waits for the holder's lease, or finds it done.
    expect(a.explicitAcks.length + a.retryMessages.length + b.explicitAcks.length + b.retryMessages.length).toBe(2);
    expect((await consume(w.deps, [message!.body])).explicitAcks).toHaveLength(1);
    expect(r.received).toHaveLength(1);
  });

  it("sends only the event types an endpoint takes, and costs nothing when nobody listens", async () => {
    const { site, endpoint } = await siteWithEndpoint("filter", { event_types: ["message.failed"] });
    const r = receiver({ secrets: [endpoint.secret] });
    const w = webhookDeps(r);
    expect(await emitWebhookEvent(w.deps, site.id, "message.sent", sent())).toEqual({ queued: 0 });
    expect(w.queue.sent).toHaveLength(0);
    const events = await env.DB.prepare("select count(*) n from webhook_events where site_id = ?").bind(site.id).first<number>("n");
    expect(events).toBe(0);
    expect(await emitWebhookEvent(w.deps, site.id, "message.failed", {} as never)).toEqual({ queued: 1 });

    const lonely = await siteWithEndpoint("lonely");
    await call("DELETE", `/api/sites/${lonely.site.id}/webhooks/${lonely.endpoint.id}`, { token: lonely.owner.token });
    const reads = vi.spyOn(w.deps.db, "select");
    expect(await emitWebhookEvent(w.deps, lonely.site.id, "message.sent", sent())).toEqual({ queued: 0 });
    expect(await emitWebhookEvent(w.deps, lonely.site.id, "message.sent", sent())).toEqual({ queued: 0 });
    expect(reads).toHaveBeenCalledTimes(1); // the first emission read the (empty) endpoint list; the second used the cache
    expect(w.queue.sent).toHaveLength(1);
  });

  it("re-enqueues attempts whose queue send failed, once they are overdue, and only once", async () => {
    const { site, endpoint } = await siteWithEndpoint("requeue");
    const r = receiver({ secrets: [endpoint.secret] });
    const w = webhookDeps(r);
    w.queue.failing = true;
    expect(await emitWebhookEvent(w.deps, site.id, "message.sent", sent())).toEqual({ queued: 1 }); // stored, not lost
    w.queue.failing = false;
    expect(w.queue.sent).toHaveLength(0);

    const row = await env.DB.prepare("select id from webhook_deliveries where endpoint_id = ?").bind(endpoint.id).first<string>("id");
    w.clock.now += WEBHOOK_STALL_AFTER_MS - 1000;
    await runHousekeeping(w.deps);
    expect(w.queue.sent.map((m) => m.body.deliveryId)).not.toContain(row);
    w.clock.now += 2000;
    await runHousekeeping(w.deps);
    await runHousekeeping(w.deps); // a second run in a row takes nothing again
    expect(w.queue.sent.filter((m) => m.body.deliveryId === row)).toHaveLength(1);
    // (Housekeeping is global: other tests' overdue attempts came along; only this endpoint's count here.)
    await drain(w);
    expect(r.received.filter((d) => d.url === endpoint.url)).toHaveLength(1);
  });

  it("deletes the log and events after 30 days", async () => {
    const { site, endpoint } = await siteWithEndpoint("retention");
    const r = receiver({ secrets: [endpoint.secret] });
    const w = webhookDeps(r);
    await emitWebhookEvent(w.deps, site.id, "message.sent", sent());
    await drain(w);
    w.clock.now += 29 * 24 * 3600_000;
    await runHousekeeping(w.deps);
    const count = () => env.DB.prepare("select (select count(*) from webhook_deliveries where endpoint_id = ?1) + (select count(*) from webhook_events where site_id = ?2) n").bind(endpoint.id, site.id).first<number>("n");
    expect(await count()).toBe(2);
    w.clock.now += 2 * 24 * 3600_000;
    await runHousekeeping(w.deps);
    expect(await count()).toBe(0);
  });

  it("marks an attempt whose message died in the DLQ as failed", async () => {
    const { owner, site, endpoint } = await siteWithEndpoint("dlq");
    const w = webhookDeps(receiver().fetch);
    await emitWebhookEvent(w.deps, site.id, "message.sent", sent());
    const { createMessageBatch } = await import("cloudflare:test");
    const { handleWebhookDlq } = await import("../../workers/queues/webhook-consumer");
    const message = w.queue.sent[0]!.body;
    const batch = createMessageBatch("herald-webhooks-dlq", [{ id: `dead-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 6, body: message }]);
    await handleWebhookDlq(w.deps, batch as never);
    expect((await log(site.id, endpoint.id, owner.token)).data[0]).toMatchObject({ status: "failed", error: "consumer_failed", next_attempt_at: null });
  });
});

describe("webhook endpoints and SSRF", () => {
  it("refuses private, local and plain-http addresses at create, naming the url field", async () => {
    const { owner, site } = await siteWithEndpoint("ssrf");
    for (const [url, message] of [
      ["https://10.0.0.8/hook", "The address 10.0.0.8 is in a private network; Herald only fetches public https addresses."],
      ["https://169.254.169.254/latest", "The address 169.254.169.254 is in a private network; Herald only fetches public https addresses."],
      ["https://[::1]/hook", "The address ::1 is in a private network; Herald only fetches public https addresses."],
      ["https://localhost/hook", "localhost is a local network name; Herald only fetches public https addresses."],
      ["https://printer.local/hook", "printer.local is a local network name; Herald only fetches public https addresses."],
      ["http://hooks.example.com/hook", "http://hooks.example.com/hook is not https; Herald only fetches public https addresses."],
      ["https://user:pw@hooks.example.com/", "https://user:pw@hooks.example.com/ contains a user name or password; Herald does not fetch addresses with credentials."],
    ]) {
      const res = await call("POST", `/api/sites/${site.id}/webhooks`, { token: owner.token, body: { url } });
      expect(res.status, url).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
      expect(res.body.error.fields, url).toEqual([{ path: "url", message }]);
    }
    const patch = await call("GET", `/api/sites/${site.id}/webhooks`, { token: owner.token });
    const id = patch.body.data[0].id;
    const bad = await call("PATCH", `/api/sites/${site.id}/webhooks/${id}`, { token: owner.token, body: { url: "https://192.168.1.1/" } });
    expect(bad.body.error.fields[0].path).toBe("url");
    expect((await call("POST", `/api/sites/${site.id}/webhooks`, { token: owner.token, body: { url: "https://hooks.example.com/ok" } })).status).toBe(201);
    expect((await call("POST", `/api/sites/${site.id}/webhooks`, { token: owner.token, body: { url: `${RECEIVER_ORIGIN}/allowed-in-tests` } })).status).toBe(201);
  });

  it("refuses at delivery a host name that resolves to a private address", async () => {
    const { owner, site } = await siteWithEndpoint("rebind");
    const created = await call("POST", `/api/sites/${site.id}/webhooks`, { token: owner.token, body: { url: "https://rebind.example.net/hook" } });
    const fetched: string[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = new URL(new Request(input as RequestInfo, init).url);
      if (url.hostname === "cloudflare-dns.com") {
        const type = url.searchParams.get("type") === "AAAA" ? 28 : 1;
        return Response.json({ Status: 0, Answer: type === 1 ? [{ name: url.searchParams.get("name"), type: 1, TTL: 60, data: "10.1.2.3" }] : [] });
      }
      fetched.push(url.href);
      return new Response("internal admin page");
    });
    const res = await call("POST", `/api/sites/${site.id}/webhooks/${created.body.id}/test`, { token: owner.token });
    expect(res.body).toMatchObject({ status: "failed", error: "resolves_private", response_status: null });
    expect(fetched).toEqual([]);
  });
});
