// Where Herald emits webhook events: subscribe / unsubscribe / prune / erase (subscriber.*),
// the first click of a delivery (notification.clicked) and a completed send
// (notification.sent). The first test runs through the real queues — the send queue, then the
// webhook queue and its consumer — to a receiver that verifies every delivery.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { webPush } from "../../workers/channels/webpush";
import { makeDeps } from "../../workers/services/deps";
import { deleteSubscriber, subscribe } from "../../workers/services/subscribers";
import { browserSubscription } from "../channels/webpush/helpers";
import { installFakePush } from "../fixtures/fake-push";
import { call, freshIp } from "../helpers";
import { drain, RECEIVER_ORIGIN, receiver, siteWithEndpoint, webhookDeps } from "./helpers";

async function waitFor<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const restore: Array<() => void> = [];
afterEach(() => restore.splice(0).forEach((f) => f()));

/** The fake push service, plus the webhook receiver answering at RECEIVER_ORIGIN, as the Worker's fetch. */
function internet(r: ReturnType<typeof receiver>) {
  const push = installFakePush();
  const pushFetch = globalThis.fetch;
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
    new Request(input as RequestInfo, init).url.startsWith(RECEIVER_ORIGIN) ? r.fetch(input, init) : pushFetch(input as RequestInfo, init)) as typeof fetch;
  restore.push(() => {
    globalThis.fetch = pushFetch;
    push.restore();
  });
  return push;
}

const payloads = (r: ReturnType<typeof receiver>, type: string) => r.received.filter((d) => d.verified.ok && d.verified.payload.type === type).map((d) => (d.verified as { payload: any }).payload);

describe("webhook events from Herald's flows", () => {
  it("reports subscriptions, a completed send, the first click and an unsubscribe through the queues", async () => {
    const { owner, site, endpoint } = await siteWithEndpoint("flows", {
      event_types: ["subscriber.created", "subscriber.deleted", "notification.sent", "notification.clicked"],
    });
    const r = receiver({ secrets: [endpoint.secret] });
    const push = internet(r);

    const subs = [await push.subscription(), await push.subscription()];
    const ids: string[] = [];
    for (const s of subs) {
      const res = await call("POST", "/api/subscribe", { body: { site_key: site.site_key, subscription: { endpoint: s.endpoint, keys: s.keys }, tags: ["vip"] }, headers: { "CF-Connecting-IP": freshIp() } });
      ids.push(res.body.subscriber_id);
    }
    // Subscribing again (a refresh) is not a new subscription.
    await call("POST", "/api/subscribe", { body: { site_key: site.site_key, subscription: { endpoint: subs[0]!.endpoint, keys: subs[0]!.keys } }, headers: { "CF-Connecting-IP": freshIp() } });
    await waitFor(() => payloads(r, "subscriber.created"), (p) => p.length >= 2);

    const n = await call("POST", `/api/sites/${site.id}/notifications`, { token: owner.token, body: { title: "Hi", target: { all: true } } });
    expect((await call("POST", `/api/sites/${site.id}/notifications/${n.body.id}/send`, { token: owner.token })).status).toBe(202);
    const sentEvents = await waitFor(() => payloads(r, "notification.sent"), (p) => p.length >= 1);

    const token = push.received[0]!.payload.token as string;
    for (let i = 0; i < 2; i++) expect((await call("POST", "/api/events", { body: { token, type: "click", action: "buy" } })).status).toBe(204);
    await waitFor(() => payloads(r, "notification.clicked"), (p) => p.length >= 1);

    expect((await call("POST", "/api/unsubscribe", { body: { site_key: site.site_key, endpoint: subs[1]!.endpoint } })).status).toBe(204);
    await waitFor(() => payloads(r, "subscriber.deleted"), (p) => p.length >= 1);
    await new Promise((done) => setTimeout(done, 500)); // room for a duplicate to show up

    expect(payloads(r, "subscriber.created").map((p) => p.data.subscriber_id).sort()).toEqual([...ids].sort());
    expect(payloads(r, "subscriber.created")[0].data).toMatchObject({ channel: "web_push", tags: ["vip"], external_id: null });
    expect(sentEvents).toEqual([{ type: "notification.sent", timestamp: expect.any(String), data: expect.objectContaining({ notification_id: n.body.id, targeted: 2, sent: 2, failed: 0, pruned: 0 }) }]);
    expect(payloads(r, "notification.clicked")).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ notification_id: n.body.id, subscriber_id: push.received[0]!.payload.token && expect.any(String), action: "buy" }) }),
    ]);
    expect(payloads(r, "subscriber.deleted").map((p) => p.data)).toEqual([expect.objectContaining({ subscriber_id: ids[1], reason: "unsubscribed" })]);
    // Nothing the receiver did not verify, and nothing twice.
    expect(r.received.every((d) => d.verified.ok)).toBe(true);
    expect(new Set(r.received.map((d) => d.headers["webhook-id"])).size).toBe(r.received.length);
  });

  it("reports a subscription replaced by the browser, pruned by its push service, or erased", async () => {
    const { site, endpoint } = await siteWithEndpoint("ends", { event_types: ["subscriber.deleted"] });
    const r = receiver({ secrets: [endpoint.secret] });
    const w = webhookDeps(r);
    const subscribeAs = async (endpointUrl: string, old?: string) => {
      const s = await browserSubscription(endpointUrl);
      return (await subscribe(w.deps, site.id, { subscription: { endpoint: s.endpoint, keys: s.keys }, ...(old ? { old_endpoint: old } : {}) }, {})).subscriber_id;
    };
    const first = await subscribeAs("https://push.test/push/a");
    const renewed = await subscribeAs("https://push.test/push/b", "https://push.test/push/a");
    const gone = await subscribeAs("https://push.test/push/c");
    await webPush.prune(w.deps, site.id, [gone], w.clock.now);
    await deleteSubscriber(w.deps, site.id, renewed);
    await deleteSubscriber(w.deps, site.id, gone); // already ended: no second event
    await drain(w);
    expect(payloads(r, "subscriber.deleted").map((p) => [p.data.subscriber_id, p.data.reason])).toEqual([
      [first, "replaced"],
      [gone, "gone"],
      [renewed, "erased"],
    ]);
  });

  it("emits notification.sent once however often the last batch's message is redelivered", async () => {
    const { owner, site } = await siteWithEndpoint("sentonce", { event_types: ["notification.sent"] });
    const n = await call("POST", `/api/sites/${site.id}/notifications`, { token: owner.token, body: { title: "Nobody", target: { tags: { any: ["nobody-has-this"] } } } });
    await call("POST", `/api/sites/${site.id}/notifications/${n.body.id}/send`, { token: owner.token });
    const deps = makeDeps(env);
    const { emitNotificationSentIfCompleted } = await import("../../workers/services/webhooks/events");
    const events = () => env.DB.prepare("select count(*) n from webhook_events where site_id = ? and type = 'notification.sent'").bind(site.id).first<number>("n");
    await waitFor(events, (count) => count === 1);
    await emitNotificationSentIfCompleted(deps, site.id, n.body.id);
    await emitNotificationSentIfCompleted(deps, site.id, n.body.id);
    expect(await events()).toBe(1);
    const attempts = await env.DB.prepare("select count(*) n from webhook_deliveries where site_id = ? and kind = 'scheduled' and attempt = 1").bind(site.id).first<number>("n");
    expect(attempts).toBe(1);
  });
});
