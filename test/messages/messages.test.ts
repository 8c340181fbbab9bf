// Messages (issue #8 §5): POST …/messages fans out per recipient and channel through the same
// planner, batches and queue as campaigns; GET …/messages/{id} and …/recipients report it.
// Provider-backed channels are driven against a fake provider in test/messages/channels.test.ts.
import { afterEach, describe, expect, it } from "vitest";
import { installFakePush } from "../fixtures/fake-push";
import { call, tenant } from "../helpers";
import { subscribeAs as subscribe, waitFor } from "./helpers";

let push: ReturnType<typeof installFakePush> | undefined;
afterEach(() => {
  push?.restore();
  push = undefined;
});
const subscribeAs = (site: { site_key: string; identity_secret: string }, externalId: string | null) => subscribe((push ??= installFakePush()), site, externalId);

describe("messages", () => {
  it("sends web push to every browser of the named users only, once each, and reports it per channel and recipient", async () => {
    const { owner, site } = await tenant("msgpush");
    await subscribeAs(site, "ada");
    await subscribeAs(site, "ada"); // a second browser of Ada's
    await subscribeAs(site, "bob");
    await subscribeAs(site, null); // an anonymous visitor
    const path = `/api/sites/${site.id}/messages`;
    const body = { to: { external_ids: ["ada", "bob", "nobody"] }, content: { web_push: { title: "Your order shipped", url: "https://shop.example.com/o/1" } }, data: { order: 1 } };
    const created = await call("POST", path, { token: owner.token, body, headers: { "Idempotency-Key": "order-1-shipped" } });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ status: "sending", channels: { web_push: { state: "queued" } } });
    const replay = await call("POST", path, { token: owner.token, body, headers: { "Idempotency-Key": "order-1-shipped" } });
    expect(replay.body.id).toBe(created.body.id);

    const done = await waitFor(
      () => call("GET", `${path}/${created.body.id}`, { token: owner.token }),
      (r) => r.body.status === "completed",
    );
    expect(done.body.channels.web_push).toMatchObject({ state: "done", targeted: 3, sent: 3, failed: 0 });
    expect(push!.received).toHaveLength(3);
    expect(push!.received[0]!.payload).toMatchObject({ title: "Your order shipped", id: created.body.id });

    const recipients = await call("GET", `${path}/${created.body.id}/recipients?limit=2`, { token: owner.token });
    expect(recipients.body.data).toHaveLength(2);
    const rest = await call("GET", `${path}/${created.body.id}/recipients?limit=2&cursor=${encodeURIComponent(recipients.body.next_cursor)}`, { token: owner.token });
    const all = [...recipients.body.data, ...rest.body.data];
    expect(all.map((r: { external_id: string }) => r.external_id).sort()).toEqual(["ada", "ada", "bob"]);
    expect(all.every((r: { channel: string; status: string }) => r.channel === "web_push" && r.status === "sent")).toBe(true);

    // Messages have their own list; the campaigns list does not show them.
    expect((await call("GET", path, { token: owner.token })).body.data.map((m: { id: string }) => m.id)).toEqual([created.body.id]);
    expect((await call("GET", `/api/sites/${site.id}/notifications`, { token: owner.token })).body.data).toHaveLength(0);
  });

  it("refuses what it cannot send, naming the field", async () => {
    const { owner, site } = await tenant("msgbad");
    const path = `/api/sites/${site.id}/messages`;
    const cases: Array<[Record<string, unknown>, number, string, string?]> = [
      [{ to: { external_ids: ["a"] }, content: {} }, 400, "content"],
      [{ to: { external_ids: ["a"] }, content: { web_push: { title: "x" } }, channels: ["email"] }, 400, "channels.0"],
      [{ to: { tags: { any: ["vip"] } }, content: { email: { subject: "Hi", text: "x" } } }, 400, "to"],
      [{ to: { external_ids: ["a"] }, content: { sms: { text: "Hi" } } }, 409, "channels.0", "channel_not_configured"],
      [{ to: { external_ids: ["a"] }, content: { email: { subject: "Hi" } } }, 400, "content.email.text"],
      [{ to: { external_ids: ["a"] }, content: { whatsapp: { content_sid: "HX123" } } }, 400, "content.whatsapp.content_sid"],
      [{ to: { external_ids: ["a"] }, content: { web_push: { title: "x".repeat(150), body: "y".repeat(1000), data: { big: "z".repeat(3000) } } } }, 400, ""],
    ];
    for (const [body, status, field, code] of cases) {
      const r = await call("POST", path, { token: owner.token, body });
      expect(r.status, JSON.stringify(body)).toBe(status);
      if (code) expect(r.body.error.code).toBe(code);
      if (field) expect(r.body.error.fields?.[0]?.path, JSON.stringify(r.body)).toBe(field);
    }
    expect((await call("GET", path, { token: owner.token })).body.data).toHaveLength(0);
  });

  it("keeps tenants apart, and sending needs the send scope", async () => {
    const a = await tenant("msga");
    const b = await tenant("msgb");
    await subscribeAs(a.site, "ada");
    const m = await call("POST", `/api/sites/${a.site.id}/messages`, { token: a.owner.token, body: { to: { external_ids: ["ada"] }, content: { web_push: { title: "Hi" } } } });
    expect(m.status).toBe(202);
    for (const p of [`/api/sites/${b.site.id}/messages/${m.body.id}`, `/api/sites/${b.site.id}/messages/${m.body.id}/recipients`, `/api/sites/${a.site.id}/messages/${m.body.id}`]) {
      expect((await call("GET", p, { token: b.owner.token })).status, p).toBe(404);
    }
    // A campaign id is not a message.
    const n = await call("POST", `/api/sites/${a.site.id}/notifications`, { token: a.owner.token, body: { title: "Draft", target: { all: true } } });
    expect((await call("GET", `/api/sites/${a.site.id}/messages/${n.body.id}`, { token: a.owner.token })).status).toBe(404);

    const readOnly = await call("POST", `/api/sites/${a.site.id}/api-keys`, { token: a.owner.token, body: { name: "reader", scopes: ["notifications:read"] } });
    const refused = await call("POST", `/api/sites/${a.site.id}/messages`, { token: readOnly.body.key, body: { to: { all: true }, content: { web_push: { title: "Hi" } } } });
    expect(refused.status).toBe(403);
    expect((await call("GET", `/api/sites/${a.site.id}/messages/${m.body.id}`, { token: readOnly.body.key })).status).toBe(200);
    await waitFor(
      () => call("GET", `/api/sites/${a.site.id}/messages/${m.body.id}`, { token: a.owner.token }),
      (r) => r.body.status === "completed",
    );
  });
});
