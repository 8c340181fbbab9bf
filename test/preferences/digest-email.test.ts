// A digest by email through the real provider path (a fake SendGrid API in the test isolate):
// two events of a digest category become one email listing both, in HTML and text; and a digest
// is itself subject to the decision — a user who switched email off before it went out gets none.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushDigests } from "../../workers/services/preferences/digests";
import { createMessage, getMessage } from "../../workers/services/messages";
import { call, tenant } from "../helpers";
import { manualSender } from "./helpers";

const SENDGRID = { channel: "email", provider: "sendgrid", name: "SendGrid", credentials: { api_key: "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" }, settings: { from_email: "news@acme.example.com" } };
const T0 = Date.UTC(2026, 0, 14, 10, 0);

let emails: Array<{ to: string; subject: string; html: string; text: string }>;
let spy: { mockRestore(): void };
beforeEach(() => {
  emails = [];
  const realFetch = globalThis.fetch;
  spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    const url = new URL(req.url);
    if (url.hostname === "cloudflare-dns.com") return Response.json({ Status: 0, Answer: url.searchParams.get("type") === "A" ? [{ name: url.searchParams.get("name"), type: 1, TTL: 300, data: "93.184.215.14" }] : [] });
    if (url.origin === "https://api.sendgrid.com") {
      const body = JSON.parse(await req.text());
      const part = (type: string) => body.content.find((c: { type: string }) => c.type === type)?.value ?? "";
      emails.push({ to: body.personalizations[0].to[0].email, subject: body.subject, html: part("text/html"), text: part("text/plain") });
      return new Response(null, { status: 202, headers: { "X-Message-Id": `sg-${emails.length}` } });
    }
    return realFetch(input as RequestInfo, init);
  });
});
afterEach(() => spy.mockRestore());

async function setup(label: string) {
  const t = await tenant(label);
  const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${t.site.id}${path}`, { token: t.owner.token, body });
  expect((await api("POST", "/integrations", SENDGRID)).status).toBe(201);
  await api("POST", "/categories", { key: "comments", name: "Comments", digest: { window_minutes: 15 } });
  await api("POST", "/users", { external_id: "ada", email: "ada@example.com" });
  return { ...t, api, sender: manualSender(T0) };
}
const comment = (i: number) => ({ email: { subject: `Reply #${i} <b>`, text: `Reply ${i}` } });

describe("email digests", () => {
  it("sends two events of a digest category as one email listing both", async () => {
    const { site, sender } = await setup("digest-email");
    const { deps, clock, drain } = sender;
    for (const i of [1, 2]) {
      clock.t = T0 + i * 60_000;
      await createMessage(deps, site.id, null, { to: { external_ids: ["ada"] }, content: comment(i), category: "comments" });
      await drain();
    }
    expect(emails).toHaveLength(0);
    clock.t = T0 + 17 * 60_000;
    const flushed = await flushDigests(deps, 10);
    expect(flushed.sent).toHaveLength(1);
    await drain();
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ to: "ada@example.com", subject: "Comments: 2 new" });
    expect(emails[0]!.html).toContain("<li>Reply #1 &#60;b&#62;</li>");
    expect(emails[0]!.text).toContain("- Reply #2 <b>");
    expect((await getMessage(deps, site.id, flushed.sent[0]!.messageId)).channels.email).toMatchObject({ sent: 1 });
  });

  it("puts the digest itself through the decision: switched off before it went out, it is skipped", async () => {
    const { site, api, sender } = await setup("digest-email-off");
    const { deps, clock, drain } = sender;
    await createMessage(deps, site.id, null, { to: { external_ids: ["ada"] }, content: comment(1), category: "comments" });
    await drain();
    await api("PUT", "/users/ada/preferences", { channels: { email: false } });
    clock.t = T0 + 16 * 60_000;
    const flushed = await flushDigests(deps, 10);
    await drain();
    expect(emails).toHaveLength(0);
    expect((await getMessage(deps, site.id, flushed.sent[0]!.messageId)).channels.email).toMatchObject({ sent: 0, skipped: 1 });
  });
});
