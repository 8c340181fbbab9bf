// Inbox features around the core: exact counts under 1,000 concurrent changes, presence,
// broadcasts through the queue, a push click reading the inbox item (one read state), retention
// by alarm, GDPR erasure and export, and the end user's preferences.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import type { UserInbox } from "../../durable-objects/user-inbox";
import { INBOX_ACTIONS } from "../../workers/contracts/inbox";
import { installFakePush } from "../fixtures/fake-push";
import { call, tenant } from "../helpers";
import { subscribeAs, waitFor } from "../messages/helpers";
import { asUser, inboxOf, item, openSocket, seed } from "./helpers";

const DAY = 24 * 3600 * 1000;
let push: ReturnType<typeof installFakePush> | undefined;
afterEach(() => {
  push?.restore();
  push = undefined;
});

const completed = (token: string, siteId: string, id: string) =>
  waitFor(
    () => call("GET", `/api/sites/${siteId}/messages/${id}`, { token }),
    (r) => r.body.status === "completed",
    30_000,
  );

describe("inbox features", () => {
  it("keeps counts exact under 1,000 concurrent marks and arrivals", async () => {
    const { site } = await tenant("inbox-load");
    const stub = inboxOf(site.id, "load");
    const existing = await seed(site.id, "load", Array.from({ length: 200 }, () => item()));
    let seed32 = 42;
    const rand = (n: number) => ((seed32 = (seed32 * 1103515245 + 12345) >>> 0) % n);
    const ops: Array<Promise<unknown>> = [];
    for (let i = 0; i < 1000; i++) {
      if (i % 5 === 0) {
        // Arrivals, some of them redelivered: 200 deliveries of 120 distinct new items.
        const fresh = item({ tags: ["x"] });
        ops.push(stub.deliver(fresh, 90), ...(i % 3 === 0 ? [stub.deliver(fresh, 90)] : []));
      } else {
        const ids = Array.from({ length: 1 + rand(3) }, () => existing[rand(existing.length)]!.id);
        ops.push(stub.act(ids, INBOX_ACTIONS[rand(INBOX_ACTIONS.length)]!));
      }
    }
    ops.push(stub.readAll(), stub.readAll(undefined));
    await Promise.all(ops);
    const [kept, counted] = [await stub.counts(), await stub.recount()];
    expect(kept).toEqual(counted);
    expect(kept.total).toBeGreaterThan(0);
    // And over HTTP the end user sees the same numbers.
    expect((await asUser(site, "load", "GET", "/api/inbox/counts")).body).toEqual(counted);
  });

  it("reports presence: online with the sockets open now, then offline with when last seen", async () => {
    const { owner, site } = await tenant("inbox-presence");
    await call("POST", `/api/sites/${site.id}/users`, { token: owner.token, body: { external_id: "ada" } });
    const user = () => call("GET", `/api/sites/${site.id}/users/ada`, { token: owner.token });
    expect((await user()).body.presence).toEqual({ online: false, connections: 0, last_seen_at: null });
    const a = (await openSocket(site, "ada")).socket!;
    const b = (await openSocket(site, "ada")).socket!;
    expect((await user()).body.presence).toMatchObject({ online: true, connections: 2 });
    a.close();
    b.close();
    const after = await waitFor(user, (r) => r.body.presence.online === false, 5_000);
    expect(after.body.presence).toMatchObject({ online: false, connections: 0 });
    expect(after.body.presence.last_seen_at).toBeGreaterThan(Date.now() - 60_000);
  });

  it("broadcasts to N users through the queue: one item each, live to a connected one, replayed by Idempotency-Key", async () => {
    const { owner, site } = await tenant("inbox-broadcast");
    const N = 40;
    for (let i = 0; i < N; i++) await call("POST", `/api/sites/${site.id}/users`, { token: owner.token, body: { external_id: `u${i}` } });
    const live = (await openSocket(site, "u7")).socket!;
    await live.next((e) => e.type === "counts");
    const body = { content: { title: "Maintenance tonight", url: "https://status.example.com" }, data: { window: "22:00" } };
    const headers = { "Idempotency-Key": "maint-1" };
    const b = await call("POST", `/api/sites/${site.id}/broadcasts`, { token: owner.token, body, headers });
    expect(b.status).toBe(202);
    expect(Object.keys(b.body.channels)).toEqual(["in_app"]);
    expect((await call("POST", `/api/sites/${site.id}/broadcasts`, { token: owner.token, body, headers })).body.id).toBe(b.body.id);
    expect(await live.next((e) => e.type === "item.created", 20_000)).toMatchObject({ item: { id: b.body.id, title: "Maintenance tonight", data: { window: "22:00" } } });
    const done = await completed(owner.token, site.id, b.body.id);
    expect(done.body.channels.in_app).toMatchObject({ targeted: N, sent: N, failed: 0 });
    for (let i = 0; i < N; i++) expect(await inboxOf(site.id, `u${i}`).recount(), `u${i}`).toEqual({ total: 1, unread: 1, unseen: 1 });
    live.close();

    const some = await call("POST", `/api/sites/${site.id}/broadcasts`, { token: owner.token, body: { content: { title: "Only two" }, audience: { external_ids: ["u1", "u2"] } } });
    await completed(owner.token, site.id, some.body.id);
    expect((await inboxOf(site.id, "u1").counts()).total).toBe(2);
    expect((await inboxOf(site.id, "u3").counts()).total).toBe(1);
    const bad = await call("POST", `/api/sites/${site.id}/broadcasts`, { token: owner.token, body: { content: { title: "x" }, audience: { tags: { any: ["vip"] } } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe("audience");
  });

  it("marks the inbox item read when the user clicks the push notification of the same message", async () => {
    const { owner, site } = await tenant("inbox-click");
    push = installFakePush();
    await subscribeAs(push, site, "ada");
    const m = await call("POST", `/api/sites/${site.id}/messages`, {
      token: owner.token,
      body: { to: { external_ids: ["ada"] }, content: { web_push: { title: "Sale" }, in_app: { title: "Sale" } } },
    });
    expect(m.status).toBe(202);
    await completed(owner.token, site.id, m.body.id);
    expect((await asUser(site, "ada", "GET", "/api/inbox/counts")).body.unread).toBe(1);
    const socket = (await openSocket(site, "ada")).socket!;
    await socket.next((e) => e.type === "counts");
    const token = push.received[0]!.payload.token as string;
    expect((await call("POST", "/api/events", { body: { token, type: "click" } })).status).toBe(204);
    expect(await socket.next((e) => e.type === "item.updated")).toMatchObject({ item: { id: m.body.id }, counts: { unread: 0 } });
    const items = (await asUser(site, "ada", "GET", "/api/inbox")).body.items;
    expect(items[0]).toMatchObject({ id: m.body.id });
    expect(items[0].read_at).toBeTypeOf("number");
    socket.close();

    // A push-only message: the click changes no inbox.
    const pushOnly = await call("POST", `/api/sites/${site.id}/messages`, { token: owner.token, body: { to: { external_ids: ["ada"] }, content: { web_push: { title: "Only push" } } } });
    await completed(owner.token, site.id, pushOnly.body.id);
    const token2 = push.received.find((r) => r.payload.id === pushOnly.body.id)!.payload.token as string;
    expect((await call("POST", "/api/events", { body: { token: token2, type: "click" } })).status).toBe(204);
    expect((await asUser(site, "ada", "GET", "/api/inbox/counts")).body).toEqual({ total: 1, unread: 0, unseen: 0 });
  });

  it("deletes items past the site's retention in the daily alarm, telling sockets, and takes the setting from each send", async () => {
    const { owner, site } = await tenant("inbox-retention");
    const stub = inboxOf(site.id, "ada");
    const now = Date.now();
    const [old, recent] = await seed(site.id, "ada", [item({ created_at: now - 100 * DAY }), item({ created_at: now - 10 * DAY })]);
    const socket = (await openSocket(site, "ada")).socket!;
    await socket.next((e) => e.type === "counts");
    expect(await runDurableObjectAlarm(stub as unknown as DurableObjectStub<UserInbox>)).toBe(true);
    expect(await socket.next((e) => e.type === "item.deleted")).toMatchObject({ id: old!.id, counts: { total: 1 } });
    expect(await stub.counts()).toEqual({ total: 1, unread: 1, unseen: 1 });
    expect(await stub.recount()).toEqual(await stub.counts());
    expect((await stub.get(recent!.id))?.id).toBe(recent!.id);
    // The next sweep is scheduled about a day out.
    const next = await runInDurableObject(stub as unknown as DurableObjectStub<UserInbox>, (_i, state) => state.storage.getAlarm());
    expect(next).toBeGreaterThan(now + DAY - 60_000);
    socket.close();

    // The site's setting arrives with the next send; the next sweep uses it.
    for (const bad of [0, 3651, 1.5]) {
      expect((await call("PATCH", `/api/sites/${site.id}`, { token: owner.token, body: { settings: { inbox_retention_days: bad } } })).status).toBe(400);
    }
    expect((await call("PATCH", `/api/sites/${site.id}`, { token: owner.token, body: { settings: { inbox_retention_days: 5 } } })).status).toBe(200);
    await call("POST", `/api/sites/${site.id}/users`, { token: owner.token, body: { external_id: "ada" } });
    const m = await call("POST", `/api/sites/${site.id}/messages`, { token: owner.token, body: { to: { external_ids: ["ada"] }, content: { in_app: { title: "New" } } } });
    await completed(owner.token, site.id, m.body.id);
    await runDurableObjectAlarm(stub as unknown as DurableObjectStub<UserInbox>);
    const left = (await asUser(site, "ada", "GET", "/api/inbox")).body.items.map((i: { id: string }) => i.id);
    expect(left).toEqual([m.body.id]); // the 10-day-old item went with a 5-day retention
  });

  it("erases a user's inbox with the user, and exports it with their data", async () => {
    const { owner, site } = await tenant("inbox-gdpr");
    await call("POST", `/api/sites/${site.id}/users`, { token: owner.token, body: { external_id: "ada" } });
    const [one] = await seed(site.id, "ada", [item({ title: "Mine" })]);
    const exported = await call("GET", `/api/sites/${site.id}/users/ada/export`, { token: owner.token });
    expect(exported.body.inbox_items).toEqual([expect.objectContaining({ id: one!.id, title: "Mine" })]);
    expect((await call("DELETE", `/api/sites/${site.id}/users/ada`, { token: owner.token })).status).toBe(204);
    expect(await inboxOf(site.id, "ada").counts()).toEqual({ total: 0, unread: 0, unseen: 0 });
    expect(await inboxOf(site.id, "ada").get(one!.id)).toBeNull();
  });

  it("lets the end user read and change their own preferences", async () => {
    const { owner, site } = await tenant("inbox-prefs");
    const got = await asUser(site, "newcomer", "GET", "/api/inbox/preferences");
    expect(got.status).toBe(200);
    expect(got.body.channels.in_app).toBe(true);
    const put = await asUser(site, "newcomer", "PUT", "/api/inbox/preferences", { body: { channels: { email: false } } });
    expect(put.status).toBe(200);
    expect(put.body.channels).toMatchObject({ email: false, in_app: true });
    expect((await asUser(site, "newcomer", "GET", "/api/inbox/preferences")).body.channels.email).toBe(false);
    // A required category stays on whatever the end user asks.
    expect((await call("POST", `/api/sites/${site.id}/categories`, { token: owner.token, body: { key: "security", name: "Security", required: true } })).status).toBe(201);
    const off = await asUser(site, "newcomer", "PUT", "/api/inbox/preferences", { body: { categories: { security: { enabled: false } } } });
    expect(off.status).toBe(403);
    expect(off.body.error).toMatchObject({ code: "category_required", fields: [{ path: "categories.security.enabled" }] });
  });
});
