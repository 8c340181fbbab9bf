// One message to 200 users on web push, email and SMS, end to end (issue #8 "Tests and
// figures"): the real local edge (wrangler dev: routes, D1, the send and webhook queues, the
// planner, the sender, the providers) sending to the local push sink and the provider stand-ins
// (SendGrid, Twilio), which post their status callbacks back; a webhook receiver verifies every
// event with the standardwebhooks library. Every party's account must agree: the stand-ins got
// exactly what the template rendered per language, once per user and channel; 429/5xx were
// retried; invalid addresses failed with the provider's code; the status API and the webhook
// events say the same.
import http from "node:http";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_TWILIO } from "../../scripts/local/providers/twilio.ts";
import { identityHash } from "../../workers/lib/identity.ts";
import { startPushSink, type PushSink } from "../push-sink/main.ts";
import { apiClient, ipSequence, startEdge, startProviderStandIns, type ProviderStandIns, type TestEdge } from "./harness.ts";

const USERS = 200;
const DEADLINE_MS = 150_000;
const SENDGRID_KEY = "SG.e2eLocalKey0000000001.abcdefghijklmnopqrstuvwxyz0123456789ABCD";

interface ChannelStatus {
  state: string;
  targeted: number;
  sent: number;
  delivered: number;
  failed: number;
  unreachable: number;
  failed_by_reason: Record<string, { count: number }>;
}
interface Message {
  id: string;
  status: string;
  channels: Record<"web_push" | "email" | "sms", ChannelStatus>;
}
interface WebhookEvent {
  type: string;
  data: { message_id: string; channel: string; external_id: string | null; reason?: string; provider_code?: string | null };
}

let edge: TestEdge;
let sink: PushSink;
let providers: ProviderStandIns;
let receiver: http.Server;
let receiverOrigin = "";
const hooks: Array<{ headers: Record<string, string>; body: string }> = [];
let accessToken = "";
const api = apiClient(() => edge, () => accessToken);

/** The 200 users, each with one failure mode or none: which one is decided by their index. */
function person(i: number) {
  const n = String(i).padStart(3, "0");
  const email =
    i < 5 ? `ratelimit-u${n}@example.com` // 429 once, then accepted
    : i < 10 ? `error-u${n}@example.com` // 500 once, then accepted
    : i < 15 ? `invalid-u${n}@example.com` // 400: the address is unusable
    : i < 20 ? `bounce-u${n}@example.com` // accepted, then a hard bounce event
    : `u${n}@example.com`;
  const phone =
    i >= 20 && i < 25 ? `+1415${n}4290` // 429 once
    : i >= 25 && i < 30 ? "+15005550001" // Twilio's magic invalid number: 21211
    : i >= 30 && i < 35 ? `+1415${n}3005` // accepted, then "undelivered" 30005 (unknown number)
    : `+1415${n}2${n}`;
  return { external_id: `u${n}`, email, phone, locale: i % 2 ? "en-US" : "fr-FR", attributes: { name: `User ${n}` } };
}

beforeAll(async () => {
  sink = await startPushSink({ port: 0 });
  providers = await startProviderStandIns({ port: 0 });
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      hooks.push({ headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverOrigin = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  edge = await startEdge({ extraPushOrigins: [sink.origin], providers, allowOrigins: [receiverOrigin] });
  accessToken = (
    await api<{ access_token: string }>("POST", "/api/auth/register", { email: `messages-e2e-${Date.now()}@example.com`, password: "correct horse battery staple", name: "E2E" })
  ).access_token;
}, 120_000);

afterAll(async () => {
  await edge?.stop();
  await sink?.close();
  await providers?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** Without progress for this long, the test plays the platform's cron (a wrangler dev reload —
 *  another engineer saving a file — kills the queue consumer mid-batch, as a crash would). */
const STALL_MS = 30_000;
/** Cron fired as if this far ahead: past the send's stall window and lease, and the webhook
 *  attempts' stall window, so recovery takes over what the killed consumer held. */
const RECOVERY_AHEAD_MS = 20 * 60_000;

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const start = Date.now();
  let last: T | undefined;
  let lastChange = Date.now();
  let seen = "";
  while (Date.now() - start < DEADLINE_MS) {
    last = await read();
    if (done(last)) return last;
    const now = JSON.stringify(last);
    if (now !== seen) [seen, lastChange] = [now, Date.now()];
    else if (Date.now() - lastChange > STALL_MS) {
      console.warn(`${what}: no progress for ${STALL_MS / 1000} s; running cron recovery`);
      for (const cron of ["* * * * *", "*/10 * * * *"]) await edge.fireCronAt(cron, Date.now() + RECOVERY_AHEAD_MS);
      lastChange = Date.now();
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what}: not done after ${DEADLINE_MS} ms; last ${JSON.stringify(last)}\nwrangler dev output (tail):\n${edge.log().slice(-4000)}`);
}

describe("one message, three channels, 200 users", () => {
  it("reaches every user once per channel as the template says, and every account agrees", { timeout: 400_000 }, async () => {
    const site = await api<{ id: string; site_key: string; identity_secret: string }>("POST", "/api/sites", { name: "Multi", url: "https://shop.example.com" });
    const s = (path: string) => `/api/sites/${site.id}${path}`;

    // Providers: SendGrid with its signed Event Webhook pointed at Herald, Twilio's local account.
    const sendgrid = await api<{ id: string }>("POST", s("/integrations"), {
      channel: "email",
      provider: "sendgrid",
      name: "SendGrid",
      credentials: { api_key: SENDGRID_KEY },
      settings: { from_email: "news@shop.example.com" },
    });
    const sg = (method: string, path: string, body: unknown) =>
      fetch(`${providers.origin}${path}`, { method, headers: { authorization: `Bearer ${SENDGRID_KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await sg("PATCH", "/v3/user/webhooks/event/settings", { enabled: true, url: `${edge.origin}/api/callbacks/sendgrid/${sendgrid.id}`, delivered: true, bounce: true })).status).toBe(200);
    const { public_key } = (await (await sg("PATCH", "/v3/user/webhooks/event/settings/signed", { enabled: true })).json()) as { public_key: string };
    await api("PATCH", s(`/integrations/${sendgrid.id}`), { settings: { from_email: "news@shop.example.com", event_webhook_public_key: public_key } });
    await api("POST", s("/integrations"), {
      channel: "sms",
      provider: "twilio",
      name: "Twilio",
      credentials: { auth_token: LOCAL_TWILIO.auth_token },
      settings: { account_sid: LOCAL_TWILIO.account_sid, from: LOCAL_TWILIO.from },
    });
    const hook = await api<{ secret: string }>("POST", s("/webhooks"), { url: `${receiverOrigin}/herald`, event_types: ["message.sent", "message.delivered", "message.failed"] });

    // A template in two languages.
    await api("POST", s("/templates"), {
      key: "order-shipped",
      name: "Order shipped",
      default_locale: "en",
      locales: {
        en: {
          web_push: { title: "Order {{ data.order }} shipped", body: "Hi {{ user.name }}" },
          email: { subject: "Order {{ data.order }} shipped", text: "Hi {{ user.name }}, it is on its way." },
          sms: { text: "Order {{ data.order }} shipped" },
        },
        fr: {
          web_push: { title: "Commande {{ data.order }} expédiée", body: "Bonjour {{ user.name }}" },
          email: { subject: "Commande {{ data.order }} expédiée", text: "Bonjour {{ user.name }}, elle est en route." },
          sms: { text: "Commande {{ data.order }} expédiée" },
        },
      },
    });
    await api("POST", s("/templates/order-shipped/publish"), {});

    // 200 users, each with a browser subscribed under their verified id.
    const people = Array.from({ length: USERS }, (_, i) => person(i));
    const subs = sink.createSubscriptions(USERS);
    const nextIp = ipSequence();
    let next = 0;
    const worker = async () => {
      while (next < USERS) {
        const i = next++;
        await api("POST", s("/users"), people[i]);
        const hash = await identityHash(site.identity_secret, people[i]!.external_id);
        await api(
          "POST",
          "/api/subscribe",
          { site_key: site.site_key, subscription: { endpoint: subs[i]!.endpoint, keys: subs[i]!.keys }, external_id: people[i]!.external_id, external_id_hash: hash },
          { "CF-Connecting-IP": nextIp() },
        );
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));

    // One call; its retry with the same Idempotency-Key is the same message.
    const body = { to: { all: true }, template: "order-shipped", data: { order: "A-17" }, channels: ["web_push", "email", "sms"] };
    const message = await api<Message>("POST", s("/messages"), body, { "Idempotency-Key": "order-A-17" });
    expect((await api<Message>("POST", s("/messages"), body, { "Idempotency-Key": "order-A-17" })).id).toBe(message.id);

    await until("message completed", () => api<Message>("GET", s(`/messages/${message.id}`)), (m) => m.status === "completed");
    // Provider reports arrive shortly after: 190 deliveries and 5 bounces (email), 190 and 5 undelivered (SMS).
    const final = await until(
      "provider reports",
      () => api<Message>("GET", s(`/messages/${message.id}`)),
      (m) => m.channels.email.delivered + m.channels.email.failed >= 195 && m.channels.sms.delivered + m.channels.sms.failed >= 195,
    );

    // The status API.
    expect(final.channels.web_push).toMatchObject({ state: "done", targeted: 200, sent: 200, failed: 0 });
    expect(final.channels.email).toMatchObject({ state: "done", targeted: 200, sent: 190, delivered: 190, failed: 5, unreachable: 5, failed_by_reason: { bounced: { count: 5 } } });
    expect(final.channels.sms).toMatchObject({ state: "done", targeted: 200, sent: 190, delivered: 190, failed: 5, unreachable: 5, failed_by_reason: { undelivered: { count: 5 } } });
    const invalidSms = await api<{ data: Array<{ external_id: string; provider_code: string }> }>("GET", s(`/messages/${message.id}/recipients?channel=sms&status=pruned`));
    expect(invalidSms.data.map((r) => r.provider_code)).toEqual(Array(5).fill("21211"));

    // The push sink: 200 messages, one per browser, in the user's language.
    const report = sink.report(true) as { received: number; duplicates: number };
    expect(report).toMatchObject({ received: 200, duplicates: 0 });
    for (const i of [20, 21]) {
      const got = (await (await fetch(`${sink.origin}/messages/${subs[i]!.id}`)).json()) as { messages: Array<{ payload: { title: string; body: string } }> };
      expect(got.messages).toHaveLength(1);
      expect(got.messages[0]!.payload.title).toBe(i % 2 ? "Order A-17 shipped" : "Commande A-17 expédiée");
      expect(got.messages[0]!.payload.body).toBe(`${i % 2 ? "Hi" : "Bonjour"} User 0${i}`);
    }

    // SendGrid: each accepted address exactly once, rendered per language; retried 429/500 accepted in the end.
    const mails = providers.records("sendgrid").filter((r) => r.path === "/v3/mail/send");
    const accepted = mails.filter((r) => r.status === 202).map((r) => JSON.parse(r.body) as { personalizations: Array<{ to: Array<{ email: string }> }>; subject: string; content: Array<{ value: string }> });
    const acceptedTo = accepted.map((m) => m.personalizations[0]!.to[0]!.email);
    expect(acceptedTo).toHaveLength(195);
    expect(new Set(acceptedTo).size).toBe(195);
    expect(mails.filter((r) => r.status === 429)).toHaveLength(5);
    expect(mails.filter((r) => r.status === 500)).toHaveLength(5);
    expect(mails.filter((r) => r.status === 400)).toHaveLength(5);
    for (const m of accepted) {
      const i = Number(/u(\d{3})@/.exec(m.personalizations[0]!.to[0]!.email)![1]);
      expect(m.subject).toBe(i % 2 ? "Order A-17 shipped" : "Commande A-17 expédiée");
      expect(m.content[0]!.value).toContain(`User ${String(i).padStart(3, "0")}`);
    }

    // Twilio: each accepted number exactly once; the 429s retried; the invalid number refused with 21211.
    const texts = providers.records("twilio").filter((r) => r.path.endsWith("/Messages.json"));
    const sent = texts.filter((r) => r.status === 201).map((r) => new URLSearchParams(r.body));
    expect(sent).toHaveLength(195);
    expect(new Set(sent.map((p) => p.get("To"))).size).toBe(195);
    expect(texts.filter((r) => r.status === 429)).toHaveLength(5);
    expect(texts.filter((r) => r.status === 400)).toHaveLength(5);
    for (const p of sent) {
      const i = Number(p.get("To")!.slice(5, 8));
      expect(p.get("Body")).toBe(i % 2 ? "Order A-17 shipped" : "Commande A-17 expédiée");
    }

    // The webhook receiver: every event verifies, each once, and they tell the same story.
    const expected = { sent: 200 + 195 + 195, delivered: 190 + 190, failed: 10 + 10 };
    const verifier = new Webhook(hook.secret);
    await until("webhook events", async () => new Set(hooks.map((h) => h.headers["webhook-id"])).size, (n) => n >= expected.sent + expected.delivered + expected.failed);
    // Delivery is at least once (a recovered attempt may arrive twice): receivers keep one per webhook-id.
    const byId = new Map(hooks.map((h) => [h.headers["webhook-id"], h]));
    const events = [...byId.values()].map((h) => verifier.verify(h.body, h.headers) as WebhookEvent);
    for (const h of hooks) verifier.verify(h.body, h.headers); // every copy is signed too
    const count = (type: string, channel?: string) => events.filter((e) => e.type === type && (!channel || e.data.channel === channel)).length;
    expect({ sent: count("message.sent"), delivered: count("message.delivered"), failed: count("message.failed") }).toEqual(expected);
    expect([count("message.sent", "web_push"), count("message.sent", "email"), count("message.sent", "sms")]).toEqual([200, acceptedTo.length, sent.length]);
    expect([count("message.delivered", "email"), count("message.delivered", "sms")]).toEqual([final.channels.email.delivered, final.channels.sms.delivered]);
    expect(events.every((e) => e.data.message_id === message.id && e.data.external_id !== null)).toBe(true);
  });
});
