// Campaigns on several channels (issue #8 §5: "notifications sent from the dashboard are
// messages too"): a campaign goes out by web push unless it names more channels, each with its
// content and the site's provider; it goes through the same planner, queue and sender as a
// message (fake SendGrid and Twilio APIs in the test isolate, the fake push service decrypting
// every push), is checked again when sent, and reports its status per channel beside the web
// push funnel it always had.
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runScheduledSends } from "../../workers/cron/scheduled-sends";
import { makeDeps } from "../../workers/services/deps";
import { installFakePush } from "../fixtures/fake-push";
import { type CallResult, call, tenant } from "../helpers";
import { subscribeAs, waitFor } from "../messages/helpers";

const SENDGRID = { channel: "email", provider: "sendgrid", name: "SendGrid", credentials: { api_key: "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" }, settings: { from_email: "news@acme.example.com" } };
const TWILIO = { channel: "sms", provider: "twilio", name: "Twilio", credentials: { auth_token: "0123456789abcdef0123456789abcdef" }, settings: { account_sid: `AC${"a".repeat(32)}`, from: "+15005550006" } };

interface Sent {
  provider: "sendgrid" | "twilio";
  to: string;
  body: string;
}

/** The fake push service, with SendGrid and Twilio answering beside it in the same fetch mock:
 *  per address, as the real APIs do (invalid address, a refused large mail, invalid number). */
function installServices() {
  const push = installFakePush();
  const fetchMock = vi.mocked(globalThis.fetch);
  const pushAnswer = fetchMock.getMockImplementation()!;
  const sent: Sent[] = [];
  fetchMock.mockImplementation(async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    const url = new URL(req.url);
    if (url.hostname === "cloudflare-dns.com") {
      const answer = url.searchParams.get("type") === "A" ? [{ name: url.searchParams.get("name"), type: 1, TTL: 300, data: "93.184.215.14" }] : [];
      return Response.json({ Status: 0, Answer: answer });
    }
    if (url.origin === "https://api.sendgrid.com") {
      const body = await req.text();
      const to = JSON.parse(body).personalizations[0].to[0].email as string;
      if (to.startsWith("invalid")) return Response.json({ errors: [{ message: "Does not contain a valid address.", field: "personalizations.0.to.0.email" }] }, { status: 400 });
      if (to.startsWith("huge")) return Response.json({ errors: [{ message: "Request entity too large." }] }, { status: 413 });
      sent.push({ provider: "sendgrid", to, body });
      return new Response(null, { status: 202, headers: { "X-Message-Id": `sg-${to}` } });
    }
    if (url.origin === "https://api.twilio.com") {
      const body = new TextDecoder().decode(await req.arrayBuffer());
      const to = new URLSearchParams(body).get("To")!;
      if (to === "+15005550001") return Response.json({ code: 21211, message: "The 'To' number +15005550001 is not a valid phone number.", status: 400 }, { status: 400 });
      sent.push({ provider: "twilio", to, body });
      return Response.json({ sid: `SM${to.slice(1).padEnd(32, "0")}`, status: "queued" }, { status: 201 });
    }
    return pushAnswer(input, init);
  });
  return { push, sent, restore: push.restore };
}

let services: ReturnType<typeof installServices>;
beforeEach(() => {
  services = installServices();
});
afterEach(() => services.restore());

type Api = (method: string, path: string, body?: unknown) => Promise<CallResult>;
async function site(label: string) {
  const t = await tenant(label);
  const api: Api = (method, path, body) => call(method, `/api/sites/${t.site.id}${path}`, { token: t.owner.token, body });
  return { ...t, api };
}
const finished = (api: Api, id: string) => waitFor(() => api("GET", `/notifications/${id}`), (r) => r.body.status === "completed", 30_000);

describe("campaigns on several channels", () => {
  it("sends by web push and email to everyone: each browser gets the push and each user the email, once; stats stay the web push funnel, channels count each", async () => {
    const { site: s, api } = await site("campboth");
    expect((await api("POST", "/integrations", SENDGRID)).status).toBe(201);
    for (const u of [
      { external_id: "ada", email: "ada@example.com" },
      { external_id: "bob", email: "bob@example.com" },
      { external_id: "cyd", email: "invalid-cyd@example.com" },
      { external_id: "dan", email: "huge-dan@example.com" },
      { external_id: "eve" }, // no email: not an email recipient
    ]) expect((await api("POST", "/users", u)).status).toBe(201);
    await subscribeAs(services.push, s, "ada");
    await subscribeAs(services.push, s, null);
    await subscribeAs(services.push, s, null, [410]); // a browser that unsubscribed

    const created = await api("POST", "/notifications", {
      title: "Summer sale",
      body: "30% off this weekend.",
      target: { all: true },
      channels: ["web_push", "email"],
      channel_content: { email: { subject: "Summer sale: 30% off", text: "Only this weekend.", html: "<p>Only this weekend.</p>" } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      status: "draft",
      channel_content: { email: { subject: "Summer sale: 30% off" } },
      channels: { web_push: { state: "queued", sent: 0 }, email: { state: "queued", sent: 0 } },
    });

    expect((await api("POST", `/notifications/${created.body.id}/send`)).status).toBe(202);
    const done = await finished(api, created.body.id);
    expect(done.body.status).toBe("completed");

    // Web push: the two live browsers, once each; the gone one pruned.
    expect(services.push.received.map((r) => r.payload.title)).toEqual(["Summer sale", "Summer sale"]);
    expect(done.body.stats).toMatchObject({ targeted: 3, sent: 2, failed: 0, pruned: 1, failed_by_reason: {} });
    expect(done.body.channels.web_push).toMatchObject({ state: "done", targeted: 3, sent: 2, unreachable: 1 });
    // Email: every user with an address, once; the invalid one unreachable, the refused one failed with its reason.
    const mails = services.sent.filter((m) => m.provider === "sendgrid");
    expect(mails.map((m) => m.to).sort()).toEqual(["ada@example.com", "bob@example.com"]);
    expect(JSON.parse(mails[0]!.body)).toMatchObject({ subject: "Summer sale: 30% off", from: { email: "news@acme.example.com" } });
    expect(done.body.channels.email).toMatchObject({
      state: "done",
      targeted: 4,
      sent: 2,
      failed: 1,
      unreachable: 1,
      failed_by_reason: { payload_too_large: { count: 1 } },
    });

    // The list and the stats endpoint say the same.
    const list = await api("GET", "/notifications");
    expect(list.body.data[0]).toMatchObject({ id: created.body.id, stats: { sent: 2 }, channels: { email: { sent: 2 }, web_push: { sent: 2 } } });
    expect((await api("GET", `/notifications/${created.body.id}/stats`)).body).toMatchObject({ targeted: 3, sent: 2, pruned: 1 });
    // Sent again: refused, nobody gets anything twice.
    expect((await api("POST", `/notifications/${created.body.id}/send`)).status).toBe(409);
    expect(services.sent).toHaveLength(2);
  });

  it("keeps a campaign without channels web push only, as before", async () => {
    const { site: s, api } = await site("camplegacy");
    await api("POST", "/integrations", SENDGRID);
    await api("POST", "/users", { external_id: "ada", email: "ada@example.com" });
    await subscribeAs(services.push, s, "ada");
    const n = await api("POST", "/notifications", { title: "Hello", target: { all: true } });
    expect(n.body).toMatchObject({ channel_content: {}, channels: { web_push: { state: "queued" } } });
    expect(Object.keys(n.body.channels)).toEqual(["web_push"]);
    await api("POST", `/notifications/${n.body.id}/send`);
    const done = await finished(api, n.body.id);
    expect(done.body.stats).toMatchObject({ targeted: 1, sent: 1 });
    expect(Object.keys(done.body.channels)).toEqual(["web_push"]);
    expect(services.push.received).toHaveLength(1);
    expect(services.sent).toHaveLength(0);
  });

  it("refuses a channel it cannot send on, naming the field", async () => {
    const { api } = await site("campbad");
    await api("POST", "/integrations", SENDGRID);
    const email = { subject: "Hi", text: "x" };
    const cases: Array<[Record<string, unknown>, number, string, string?]> = [
      [{ channels: ["web_push", "email"] }, 400, "channel_content.email"],
      [{ channel_content: { email } }, 400, "channel_content.email"],
      [{ channels: ["web_push", "email"], channel_content: { email }, target: { tags: { any: ["vip"] } } }, 400, "target"],
      [{ channels: ["email"], channel_content: { email }, target: { subscriber_ids: ["sub_x"] } }, 400, "target"],
      [{ channels: ["web_push", "sms"], channel_content: { sms: { text: "Hi" } } }, 409, "channels.1", "channel_not_configured"],
      [{ channels: ["web_push", "email"], channel_content: { email: { subject: "Hi" } } }, 400, "channel_content.email.text"],
      [{ channels: ["web_push", "web_push"] }, 400, "channels"],
      [{ channels: ["pigeon"] }, 400, "channels.0"],
      [{ channels: [] }, 400, "channels"],
      [{ channels: ["fcm"], channel_content: { fcm: { title: "" } } }, 400, "channel_content.fcm.title"],
    ];
    for (const [extra, status, field, code] of cases) {
      const body = { title: "Sale", target: { all: true }, ...extra };
      const r = await api("POST", "/notifications", body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error.code).toBe(code ?? "validation_failed");
      expect(r.body.error.fields?.[0]?.path, JSON.stringify(r.body)).toBe(field);
    }
    expect((await api("GET", "/notifications")).body.data).toHaveLength(0);
    // Email only is fine: the title names the campaign, nothing is pushed.
    const emailOnly = await api("POST", "/notifications", { title: "Sale", target: { external_ids: ["ada"] }, channels: ["email"], channel_content: { email } });
    expect(emailOnly.status, JSON.stringify(emailOnly.body)).toBe(201);
    expect(Object.keys(emailOnly.body.channels)).toEqual(["email"]);
  });

  it("edits a draft's channels and content (null clears), and refuses to send once the provider is gone, leaving it a draft", async () => {
    const { api } = await site("campedit");
    const integration = await api("POST", "/integrations", SENDGRID);
    const n = await api("POST", "/notifications", { title: "Sale", target: { all: true } });
    const id = n.body.id as string;
    const withEmail = await api("PATCH", `/notifications/${id}`, { channels: ["web_push", "email"], channel_content: { email: { subject: "Sale", text: "x" } } });
    expect(withEmail.status, JSON.stringify(withEmail.body)).toBe(200);
    expect(Object.keys(withEmail.body.channels)).toEqual(["web_push", "email"]);
    // A title-only edit keeps the channels and their content.
    const retitled = await api("PATCH", `/notifications/${id}`, { title: "Big sale" });
    expect(retitled.body).toMatchObject({ title: "Big sale", channel_content: { email: { subject: "Sale" } } });
    expect(Object.keys(retitled.body.channels)).toEqual(["web_push", "email"]);
    // Clearing the content of a channel still picked is refused; content for a channel not picked too.
    const cleared = await api("PATCH", `/notifications/${id}`, { channel_content: null });
    expect([cleared.status, cleared.body.error.fields[0].path]).toEqual([400, "channel_content.email"]);
    const stray = await api("PATCH", `/notifications/${id}`, { channel_content: { email: { subject: "Sale", text: "x" }, sms: { text: "x" } } });
    expect([stray.status, stray.body.error.fields[0].path]).toEqual([400, "channel_content.sms"]);
    const tags = await api("PATCH", `/notifications/${id}`, { target: { tags: { any: ["vip"] } } });
    expect([tags.status, tags.body.error.fields[0].path]).toEqual([400, "target"]);

    // The provider removed since the draft was saved: the send is refused, nothing changes.
    expect((await api("DELETE", `/integrations/${integration.body.id}`)).status).toBe(204);
    const refused = await api("POST", `/notifications/${id}/send`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "channel_not_configured", fields: [{ path: "channels.1" }] });
    const still = await api("GET", `/notifications/${id}`);
    expect(still.body).toMatchObject({ status: "draft", started_at: null });

    // channels: null goes back to web push only (the email part is dropped with it).
    const back = await api("PATCH", `/notifications/${id}`, { channels: null });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body.channel_content).toEqual({});
    expect(Object.keys(back.body.channels)).toEqual(["web_push"]);
    expect((await api("POST", `/notifications/${id}/send`)).status).toBe(202);
  });

  it("sends a scheduled campaign on web push and SMS when cron finds it due, once however often cron runs", async () => {
    const { site: s, api } = await site("campcron");
    await api("POST", "/integrations", TWILIO);
    await api("POST", "/users", { external_id: "ada", phone: "+14155550101" });
    await api("POST", "/users", { external_id: "bob", phone: "+15005550001" }); // Twilio: not a valid number
    await api("POST", "/users", { external_id: "cyd", phone: "+14155550103" }); // not in the audience
    await subscribeAs(services.push, s, "ada");
    const at = Date.now() + 60_000;
    const n = await api("POST", "/notifications", {
      title: "Doors open",
      target: { external_ids: ["ada", "bob"] },
      channels: ["web_push", "sms"],
      channel_content: { sms: { text: "Doors open at 9." } },
      scheduled_at: at,
    });
    expect(n.status, JSON.stringify(n.body)).toBe(201);
    expect(n.body.status).toBe("scheduled");

    expect((await runScheduledSends(makeDeps(env, () => at - 1))).claimed).toBe(0);
    const deps = makeDeps(env, () => at + 1);
    const [a, b] = await Promise.all([runScheduledSends(deps), runScheduledSends(deps)]);
    expect(a.claimed + b.claimed).toBe(1);
    const done = await finished(api, n.body.id);
    expect(done.body.status).toBe("completed");
    expect(services.sent.map((m) => `${m.provider} ${m.to} ${new URLSearchParams(m.body).get("Body")}`)).toEqual(["twilio +14155550101 Doors open at 9."]);
    expect(services.push.received.map((r) => r.payload.title)).toEqual(["Doors open"]);
    expect(done.body.channels.sms).toMatchObject({ state: "done", targeted: 2, sent: 1, unreachable: 1 });
    expect(done.body.channels.web_push).toMatchObject({ state: "done", targeted: 1, sent: 1 });
    expect(done.body.stats).toMatchObject({ targeted: 1, sent: 1 });
    // Cron again later: nothing more goes out.
    await runScheduledSends(makeDeps(env, () => at + 120_000));
    expect(services.sent).toHaveLength(1);
  });

  it("keeps tenants apart: another site's provider does not count, and another tenant cannot read, edit or send the campaign", async () => {
    const a = await site("campa");
    const b = await site("campb");
    await a.api("POST", "/integrations", SENDGRID);
    const body = { title: "Sale", target: { all: true }, channels: ["web_push", "email"], channel_content: { email: { subject: "Sale", text: "x" } } };
    const mine = await a.api("POST", "/notifications", body);
    expect(mine.status).toBe(201);
    const theirs = await b.api("POST", "/notifications", body);
    expect([theirs.status, theirs.body.error.code]).toEqual([409, "channel_not_configured"]);
    const other = (method: string, path: string, payload?: unknown) => call(method, `/api/sites/${b.site.id}${path}`, { token: b.owner.token, body: payload });
    for (const [method, path, payload] of [
      ["GET", `/notifications/${mine.body.id}`],
      ["PATCH", `/notifications/${mine.body.id}`, { channels: null }],
      ["POST", `/notifications/${mine.body.id}/send`],
      ["GET", `/notifications/${mine.body.id}/stats`],
    ] as const) {
      expect((await other(method, path, payload)).status, `${method} ${path}`).toBe(404);
    }
    const own = await a.api("GET", `/notifications/${mine.body.id}`);
    expect(own.body).toMatchObject({ status: "draft", channel_content: { email: { subject: "Sale" } } });
  });
});
