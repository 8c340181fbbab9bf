// The in_app channel: POST …/messages with in_app content (or a template's in_app part) writes
// one item into each targeted user's inbox through the queue, live to their sockets — exactly
// once however often the queue delivers the batch.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inApp } from "../../workers/channels/inapp";
import type { NotificationRow } from "../../workers/db/queries/notifications";
import { sendMessage } from "../../workers/queues/messages";
import { makeDeps } from "../../workers/services/deps";
import { deliverBatch } from "../../workers/services/sending/deliver";
import { call, tenant } from "../helpers";
import { waitFor } from "../messages/helpers";
import { asUser, inboxOf, openSocket } from "./helpers";

async function createUsers(token: string, siteId: string, ids: string[], attributes: Record<string, unknown> = {}) {
  for (const external_id of ids) expect((await call("POST", `/api/sites/${siteId}/users`, { token, body: { external_id, attributes } })).status).toBe(201);
}

const completed = (token: string, siteId: string, id: string) =>
  waitFor(
    () => call("GET", `/api/sites/${siteId}/messages/${id}`, { token }),
    (r) => r.body.status === "completed",
  );

describe("in_app channel", () => {
  it("writes a message into each named user's inbox through the queue, live to a connected socket, with category and data", async () => {
    const { owner, site } = await tenant("inapp-send");
    await createUsers(owner.token, site.id, ["ada", "bob", "cyd"]);
    const socket = (await openSocket(site, "ada")).socket!;
    await socket.next((e) => e.type === "counts");

    const body = {
      to: { external_ids: ["ada", "bob", "nobody"] },
      content: { in_app: { title: "Your order shipped", body: "It is on its way.", url: "https://acme.example.com/o/1", tags: ["orders"] } },
      data: { order: 1 },
    };
    const m = await call("POST", `/api/sites/${site.id}/messages`, { token: owner.token, body });
    expect(m.status).toBe(202); // no provider needed
    const created = await socket.next((e) => e.type === "item.created", 20_000);
    expect(created).toMatchObject({
      item: { id: m.body.id, title: "Your order shipped", body: "It is on its way.", url: "https://acme.example.com/o/1", tags: ["orders"], data: { order: 1 }, read_at: null },
      counts: { total: 1, unread: 1, unseen: 1 },
    });
    const done = await completed(owner.token, site.id, m.body.id);
    expect(done.body.channels.in_app).toMatchObject({ state: "done", targeted: 2, sent: 2, failed: 0 });
    expect((await asUser(site, "bob", "GET", "/api/inbox")).body.items.map((i: { id: string }) => i.id)).toEqual([m.body.id]);
    expect((await asUser(site, "cyd", "GET", "/api/inbox/counts")).body.total).toBe(0);
    socket.close();
  });

  it("creates exactly one item when the same batch is delivered again, twice at once, or after its rows were lost", async () => {
    const { owner, site } = await tenant("inapp-once");
    await createUsers(owner.token, site.id, ["ada", "bob"]);
    const m = await call("POST", `/api/sites/${site.id}/messages`, { token: owner.token, body: { to: { all: true }, content: { in_app: { title: "Once" } } } });
    await completed(owner.token, site.id, m.body.id);
    const batch = await env.DB.prepare("select batch, from_id, to_id from notification_batches where notification_id = ? and channel = 'in_app'").bind(m.body.id).first<{ batch: number; from_id: string; to_id: string }>();
    // The worst case of at-least-once: the items were written, the delivery rows lost (a crash
    // before the chunk was recorded), and the batch's message arrives again — twice, at once.
    await env.DB.prepare("delete from deliveries where notification_id = ?").bind(m.body.id).run();
    await env.DB.prepare("update notifications set status = 'sending' where id = ?").bind(m.body.id).run();
    await env.DB.prepare("update notification_batches set done_at = null, leased_by = null, lease_until = null where notification_id = ?").bind(m.body.id).run();
    const msg = () => sendMessage.deliver("in_app", site.id, m.body.id, batch!.batch, batch!.from_id, batch!.to_id);
    const runs = await Promise.all([deliverBatch(makeDeps(env), msg(), 2), deliverBatch(makeDeps(env), msg(), 2)]);
    expect(runs.map((r) => r.status).sort()).toEqual(["done", "skipped"]);
    await deliverBatch(makeDeps(env), msg(), 3); // and once more after it finished
    for (const user of ["ada", "bob"]) {
      expect(await inboxOf(site.id, user).counts()).toEqual({ total: 1, unread: 1, unseen: 1 });
      expect(await inboxOf(site.id, user).recount()).toEqual({ total: 1, unread: 1, unseen: 1 });
    }
    const rows = await env.DB.prepare("select count(*) as n from deliveries where notification_id = ? and channel = 'in_app'").bind(m.body.id).first<{ n: number }>();
    expect(rows!.n).toBe(2);
  });

  it("renders a template's in_app part per user", async () => {
    const { owner, site } = await tenant("inapp-tpl");
    await createUsers(owner.token, site.id, ["ada"], { name: "Ada" });
    const api = (path: string, body: unknown) => call("POST", `/api/sites/${site.id}${path}`, { token: owner.token, body });
    expect((await api("/templates", { key: "welcome", name: "Welcome", locales: { en: { in_app: { title: "Hi {{ user.name }}", body: "Order {{ data.order }}" } } } })).status).toBe(201);
    expect([200, 201]).toContain((await api("/templates/welcome/publish", {})).status);
    const m = await api("/messages", { to: { external_ids: ["ada"] }, template: "welcome", data: { order: 7 } });
    expect(m.status).toBe(202);
    expect(m.body.channels).toHaveProperty("in_app");
    await completed(owner.token, site.id, m.body.id);
    expect((await asUser(site, "ada", "GET", "/api/inbox")).body.items[0]).toMatchObject({ id: m.body.id, title: "Hi Ada", body: "Order 7" });
  });

  it("refuses push-only targets for in_app", async () => {
    const { owner, site } = await tenant("inapp-bad");
    const r = await call("POST", `/api/sites/${site.id}/messages`, { token: owner.token, body: { to: { tags: { any: ["vip"] } }, content: { in_app: { title: "x" } } } });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0].path).toBe("to");
  });

  it("turns an unreachable inbox into a retry with backoff, never a throw", async () => {
    const broken = { ...env, USER_INBOX: { idFromName: () => { throw new Error("object unavailable"); } } } as unknown as Env;
    const n = { id: "ntf_x", siteId: "site_x", category: null, data: null, createdAt: Date.now() } as unknown as NotificationRow;
    const content = { static: true, render: async () => ({ ok: true as const, content: { title: "Hi" } }) };
    const r = await inApp.send({ env: broken, notification: n, content, retentionDays: 90 }, { id: "eu_x", externalId: "ada", user: {} as never }, 1);
    expect(r.outcome).toMatchObject({ kind: "retry", reason: "inbox_unavailable" });
    expect((r.outcome as { delayS: number }).delayS).toBeGreaterThan(0);
  });
});
