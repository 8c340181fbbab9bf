// One message, several channels (issue #8 §5): users' email (SendGrid) and SMS (Twilio) through
// the real planner, queue, sender and providers, against fake provider APIs in the test isolate
// that answer per address like the real ones do (invalid address, 429 then success). Status
// callbacks then move deliveries to delivered / bounced.
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { makeDeps } from "../../workers/services/deps";
import { recordProviderStatus } from "../../workers/services/sending/status";
import { env } from "cloudflare:workers";
import { call, tenant } from "../helpers";
import { waitFor } from "./helpers";

const SENDGRID = { channel: "email", provider: "sendgrid", name: "SendGrid", credentials: { api_key: "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" }, settings: { from_email: "news@acme.example.com" } };
const TWILIO = { channel: "sms", provider: "twilio", name: "Twilio", credentials: { auth_token: "0123456789abcdef0123456789abcdef" }, settings: { account_sid: `AC${"a".repeat(32)}`, from: "+15005550006" } };

/** The site's webhook receiver (an origin the test Worker may reach: OUTBOUND_ALLOW_ORIGINS). */
const RECEIVER = "http://127.0.0.1:8799";

interface Received {
  provider: "sendgrid" | "twilio" | "webhook";
  to: string;
  body: string;
}

/** SendGrid and Twilio as their APIs answer: per recipient address, scripted failure modes. */
function installProviders() {
  const received: Received[] = [];
  /** Runs before the provider answers: a status callback that beats the sender's record. */
  const hooks: { beforeAnswer?: (to: string, messageId: string) => Promise<void> } = {};
  const seen = new Map<string, number>();
  const realFetch = globalThis.fetch;
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    const url = new URL(req.url);
    if (url.hostname === "cloudflare-dns.com") {
      const answer = url.searchParams.get("type") === "A" ? [{ name: url.searchParams.get("name"), type: 1, TTL: 300, data: "93.184.215.14" }] : [];
      return Response.json({ Status: 0, Answer: answer });
    }
    if (url.origin === "https://api.sendgrid.com") {
      const body = await req.text();
      const to = JSON.parse(body).personalizations[0].to[0].email as string;
      const n = (seen.get(to) ?? 0) + 1;
      seen.set(to, n);
      if (to.startsWith("invalid")) return Response.json({ errors: [{ message: "Does not contain a valid address.", field: "personalizations.0.to.0.email" }] }, { status: 400 });
      if (to.startsWith("limited") && n === 1) return new Response(null, { status: 429, headers: { "X-RateLimit-Reset": String(Math.floor(Date.now() / 1000) + 1) } });
      received.push({ provider: "sendgrid", to, body });
      await hooks.beforeAnswer?.(to, `sg-${to}`);
      return new Response(null, { status: 202, headers: { "X-Message-Id": `sg-${to}` } });
    }
    if (url.origin === "https://api.twilio.com") {
      const body = new TextDecoder().decode(await req.arrayBuffer()); // form-encoded: .text() warns in workerd
      const to = new URLSearchParams(body).get("To")!;
      if (to === "+15005550001") return Response.json({ code: 21211, message: "The 'To' number +15005550001 is not a valid phone number.", status: 400 }, { status: 400 });
      received.push({ provider: "twilio", to, body });
      return Response.json({ sid: `SM${to.slice(1).padEnd(32, "0")}`, status: "queued" }, { status: 201 });
    }
    if (url.origin === RECEIVER) {
      received.push({ provider: "webhook", to: url.pathname, body: JSON.stringify({ headers: Object.fromEntries(req.headers), body: await req.text() }) });
      return new Response("ok");
    }
    return realFetch(input as RequestInfo, init);
  });
  return { received, hooks, restore: () => spy.mockRestore() };
}

let providers: ReturnType<typeof installProviders>;
beforeEach(() => {
  providers = installProviders();
});
afterEach(() => providers.restore());

describe("multi-channel messages", () => {
  it("emails and texts each user once per channel, retries a 429, fails invalid addresses with the provider's code, then takes status reports", async () => {
    const { owner, site } = await tenant("multichan");
    const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${site.id}${path}`, { token: owner.token, body });
    expect((await api("POST", "/integrations", SENDGRID)).status).toBe(201);
    expect((await api("POST", "/integrations", TWILIO)).status).toBe(201);
    const people = [
      { external_id: "ada", email: "ada@example.com", phone: "+14155550101" },
      { external_id: "bob", email: "limited-bob@example.com" },
      { external_id: "cyd", email: "invalid-cyd@example.com", phone: "+15005550001" },
      { external_id: "dan", phone: "+14155550104" },
      { external_id: "eve", email: "early-eve@example.com" },
    ];
    for (const p of people) expect((await api("POST", "/users", p)).status).toBe(201);
    const hook = await api("POST", "/webhooks", { url: `${RECEIVER}/hooks/herald`, event_types: ["message.sent", "message.delivered", "message.failed"] });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);

    // Eve's provider reports delivery before it even answers the send (callbacks race the sender's record).
    const deps = makeDeps(env);
    providers.hooks.beforeAnswer = async (to, messageId) => {
      if (to.startsWith("early")) expect(await recordProviderStatus(deps, { siteId: site.id, integrationId: "", channel: "email", providerMessageId: messageId, status: "delivered" })).toBe(false);
    };
    const created = await api("POST", "/messages", {
      to: { external_ids: people.map((p) => p.external_id) },
      content: { email: { subject: "Your order shipped", text: "It is on its way.", html: "<p>It is on its way.</p>" }, sms: { text: "Your order shipped." } },
    });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    const done = await waitFor(
      () => api("GET", `/messages/${id}`),
      (r) => r.body.status === "completed",
      30_000,
    );
    expect(done.body.channels.email).toMatchObject({ state: "done", targeted: 4, sent: 3, delivered: 1, unreachable: 1 });
    expect(done.body.channels.sms).toMatchObject({ state: "done", targeted: 3, sent: 2, unreachable: 1 });

    // Exactly once per (user, channel); the 429 was retried.
    expect(providers.received.filter((r) => r.provider === "sendgrid").map((r) => r.to).sort()).toEqual(["ada@example.com", "early-eve@example.com", "limited-bob@example.com"]);
    expect(providers.received.filter((r) => r.provider === "twilio").map((r) => r.to).sort()).toEqual(["+14155550101", "+14155550104"]);
    const mail = JSON.parse(providers.received.find((r) => r.to === "ada@example.com")!.body);
    expect(mail).toMatchObject({ subject: "Your order shipped", from: { email: "news@acme.example.com" } });

    // The invalid addresses are recorded with the provider's code and marked unreachable.
    const failed = await api("GET", `/messages/${id}/recipients?status=pruned`);
    expect(failed.body.data.map((r: { channel: string; external_id: string }) => `${r.channel}:${r.external_id}`).sort()).toEqual(["email:cyd", "sms:cyd"]);
    expect(failed.body.data.find((r: { channel: string }) => r.channel === "sms").provider_code).toBe("21211");
    const cyd = await api("GET", "/users/cyd");
    expect(Object.keys(cyd.body.unreachable).sort()).toEqual(["email", "sms"]);

    // Status reports: Ada's email delivered, Bob's bounced (his address is marked too).
    const integrations = (await api("GET", "/integrations")).body.data as Array<{ id: string; channel: string }>;
    const emailIntegration = integrations.find((i) => i.channel === "email")!.id;
    const report = (to: string, status: "delivered" | "bounced") =>
      recordProviderStatus(deps, { siteId: site.id, integrationId: emailIntegration, channel: "email", providerMessageId: `sg-${to}`, status });
    expect(await report("ada@example.com", "delivered")).toBe(true);
    expect(await report("limited-bob@example.com", "bounced")).toBe(true);
    expect(await report("limited-bob@example.com", "bounced")).toBe(true); // repeated: no change
    expect(await report("nobody@example.com", "delivered")).toBe(false); // held: no such delivery (yet)
    const after = await api("GET", `/messages/${id}`);
    expect(after.body.channels.email).toMatchObject({ sent: 2, delivered: 2, failed: 1, failed_by_reason: { bounced: { count: 1 } } });
    expect(Object.keys((await api("GET", "/users/bob")).body.unreachable)).toEqual(["email"]);

    // The site's webhook receiver heard the same story, each event once, every signature valid.
    const expected = [
      "message.sent email ada",
      "message.sent email bob",
      "message.sent email eve",
      "message.delivered email eve",
      "message.failed email cyd",
      "message.sent sms ada",
      "message.sent sms dan",
      "message.failed sms cyd",
      "message.delivered email ada",
      "message.failed email bob",
    ].sort();
    const heard = await waitFor(
      async () => providers.received.filter((r) => r.provider === "webhook"),
      (h) => h.length >= expected.length,
      30_000,
    );
    const verifier = new Webhook(hook.body.secret);
    const events = heard.map((h) => {
      const { headers, body } = JSON.parse(h.body);
      return verifier.verify(body, headers) as { type: string; data: { channel: string; external_id: string; message_id: string; reason?: string; provider_code?: string | null } };
    });
    expect(events.map((e) => `${e.type} ${e.data.channel} ${e.data.external_id}`).sort()).toEqual(expected);
    expect(events.every((e) => e.data.message_id === id)).toBe(true);
    expect(events.find((e) => e.type === "message.failed" && e.data.channel === "sms")!.data.provider_code).toBe("21211");
    expect(events.find((e) => e.type === "message.failed" && e.data.external_id === "bob")!.data.reason).toBe("bounced");

    // A second message skips the unreachable addresses; a changed address is tried again.
    await api("PATCH", "/users/cyd", { email: "cyd@example.com" });
    const second = await api("POST", "/messages", { to: { external_ids: ["bob", "cyd"] }, content: { email: { subject: "Again", text: "x" } } });
    const secondDone = await waitFor(
      () => api("GET", `/messages/${second.body.id}`),
      (r) => r.body.status === "completed",
      30_000,
    );
    expect(secondDone.body.channels.email).toMatchObject({ targeted: 1, sent: 1 });
    expect(providers.received.filter((r) => r.provider === "sendgrid" && JSON.parse(r.body).subject === "Again").map((r) => r.to)).toEqual(["cyd@example.com"]);

    // What each user received, across channels.
    const adaMessages = await api("GET", "/users/ada/messages");
    expect(adaMessages.body.data.map((m: { channel: string; status: string }) => `${m.channel}:${m.status}`).sort()).toEqual(["email:delivered", "sms:sent"]);
  });

  it("does not send on a channel the site removed its provider from: recipients fail with a clear reason", async () => {
    const { owner, site } = await tenant("nochan");
    const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${site.id}${path}`, { token: owner.token, body });
    const integration = await api("POST", "/integrations", SENDGRID);
    await api("POST", "/users", { external_id: "ada", email: "ada@example.com" });
    const created = await api("POST", "/messages", { to: { all: true }, content: { email: { subject: "Hi", text: "x" } } });
    expect(created.status).toBe(202);
    // Removed before the queue ran (a race a real site can hit).
    await api("DELETE", `/integrations/${integration.body.id}`);
    const done = await waitFor(
      () => api("GET", `/messages/${created.body.id}`),
      (r) => r.body.status === "completed",
      30_000,
    );
    expect(done.body.channels.email.failed_by_reason).toMatchObject({ channel_not_configured: { count: 1 } });
  });

  it("renders a published template per recipient: their language with fallback, their profile, the message's data; a missing variable fails that recipient only", async () => {
    const { owner, site } = await tenant("tplmsg");
    const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(method, `/api/sites/${site.id}${path}`, { token: owner.token, body, headers });
    await api("POST", "/integrations", SENDGRID);
    await api("POST", "/integrations", TWILIO);
    const tpl = await api("POST", "/templates", {
      key: "order-shipped",
      name: "Order shipped",
      default_locale: "en",
      locales: {
        en: { web_push: { title: "Order {{ data.order }} shipped" }, email: { subject: "Order {{ data.order }} shipped", html: "<p>Hi {{ user.name | default: 'there' }}</p>", text: "Hi {{ user.name | default: 'there' }}" }, sms: { text: "Order {{ data.order }} for {{ user.code }}" } },
        fr: { email: { subject: "Commande {{ data.order }} expédiée", text: "Bonjour {{ user.name | default: 'vous' }}" } },
      },
    });
    expect(tpl.status, JSON.stringify(tpl.body)).toBe(201);
    // Not published yet: refused with the field.
    const early = await api("POST", "/messages", { to: { all: true }, template: "order-shipped", data: { order: 7 } });
    expect(early.status).toBe(404);
    expect(early.body.error.fields[0].path).toBe("template");
    expect((await api("POST", "/templates/order-shipped/publish")).status).toBe(201);
    // The draft changes after publishing; the send still uses version 1.
    await api("PATCH", "/templates/order-shipped", { locales: { en: { email: { subject: "DRAFT", text: "draft" } } } });

    await api("POST", "/users", { external_id: "ana", email: "ana@example.com", locale: "fr-CA", attributes: { name: "Ana <b>" }, phone: "+14155550111" });
    await api("POST", "/users", { external_id: "ben", email: "ben@example.com", locale: "de", phone: "+14155550112", attributes: { code: "B-1" } });
    const m = await api("POST", "/messages", { to: { all: true }, template: "order-shipped", data: { order: 7 } });
    expect(m.status, JSON.stringify(m.body)).toBe(202);
    expect(m.body.template).toEqual({ key: "order-shipped", version: 1 });
    const done = await waitFor(
      () => api("GET", `/messages/${m.body.id}`),
      (r) => r.body.status === "completed",
      30_000,
    );
    expect(done.body.channels.email).toMatchObject({ sent: 2, failed: 0 });
    expect(done.body.channels.web_push).toMatchObject({ state: "no_recipients" }); // nobody has a browser here
    // Ana has no user.code: her SMS fails with the reason; Ben's goes out.
    expect(done.body.channels.sms).toMatchObject({ sent: 1, failed: 1, failed_by_reason: { template_missing_variable: { count: 1 } } });

    const mails = Object.fromEntries(providers.received.filter((r) => r.provider === "sendgrid").map((r) => [r.to, JSON.parse(r.body)]));
    expect(mails["ana@example.com"].subject).toBe("Commande 7 expédiée"); // fr-CA → fr
    expect(mails["ana@example.com"].content).toEqual([{ type: "text/plain", value: "Bonjour Ana <b>" }]);
    expect(mails["ben@example.com"].subject).toBe("Order 7 shipped"); // de → en (default)
    expect(mails["ben@example.com"].content.find((c: { type: string }) => c.type === "text/html").value).toBe("<p>Hi there</p>");
    const sms = providers.received.filter((r) => r.provider === "twilio").map((r) => new URLSearchParams(r.body).get("Body"));
    expect(sms).toEqual(["Order 7 for B-1"]);
  });
});
