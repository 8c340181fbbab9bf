// GET /api/inbox/ws: the user's object pushes every change to every socket of theirs; a client
// that reconnects resumes from its last seq; only a verified user connects.
import { describe, expect, it } from "vitest";
import { INBOX_CLOSE_TOO_MANY, INBOX_MAX_SOCKETS_PER_USER, INBOX_TOMBSTONES_KEPT } from "../../workers/config";
import { identityHash } from "../../workers/lib/identity";
import { call, tenant } from "../helpers";
import { asUser, inboxOf, item, openSocket, seed } from "./helpers";

describe("inbox WebSocket", () => {
  it("sends counts on connect, then item.created, and item.updated to both tabs after a read over HTTP", async () => {
    const { owner, site } = await tenant("inbox-ws");
    const [old] = await seed(site.id, "ada", [item()]);
    const a = (await openSocket(site, "ada")).socket!;
    const b = (await openSocket(site, "ada")).socket!;
    const hello = await a.next((e) => e.type === "counts");
    expect(hello).toMatchObject({ type: "counts", counts: { total: 1, unread: 1, unseen: 1 }, seq: 1 });

    const [fresh] = await seed(site.id, "ada", [item({ title: "Live" })]);
    for (const s of [a, b]) expect(await s.next((e) => e.type === "item.created")).toMatchObject({ item: { id: fresh!.id, title: "Live" }, counts: { total: 2, unread: 2 } });

    await asUser(site, "ada", "POST", `/api/inbox/${old!.id}/read`);
    for (const s of [a, b]) {
      const e = await s.next((x) => x.type === "item.updated");
      expect(e).toMatchObject({ item: { id: old!.id }, counts: { total: 2, unread: 1, unseen: 1 }, seq: 3 });
    }
    // A no-op pushes nothing: the next event either socket sees is the delete, not another update.
    await asUser(site, "ada", "POST", `/api/inbox/${old!.id}/read`);
    await asUser(site, "ada", "DELETE", `/api/inbox/${old!.id}`);
    expect(await a.next(() => true)).toMatchObject({ type: "item.deleted", id: old!.id, seq: 4 });

    // Presence: two connections now.
    const user = await call("GET", `/api/sites/${site.id}/users/ada`, { token: owner.token });
    expect(user.status).toBe(200); // connecting created the site user
    a.close();
    b.close();
  });

  it("answers resume with what a client missed (items changed and deleted, oldest first), and says when it is too far behind", async () => {
    const { site } = await tenant("inbox-resume");
    const [x, y, z] = await seed(site.id, "ada", [item(), item(), item()]);
    const first = (await openSocket(site, "ada")).socket!;
    const { seq } = (await first.next((e) => e.type === "counts")) as { seq: number };
    first.close();
    // While away: y read, z deleted, a new one.
    await asUser(site, "ada", "POST", `/api/inbox/${y!.id}/read`);
    await asUser(site, "ada", "DELETE", `/api/inbox/${z!.id}`);
    const [w] = await seed(site.id, "ada", [item()]);

    const back = (await openSocket(site, "ada")).socket!;
    await back.next((e) => e.type === "counts");
    back.send({ type: "resume", seq });
    const r = await back.next((e) => e.type === "resumed");
    if (r.type !== "resumed") throw new Error("unreachable");
    expect(r.complete).toBe(true);
    expect(r.changes).toEqual([{ item: expect.objectContaining({ id: y!.id }) }, { deleted: z!.id, seq: seq + 2 }, { item: expect.objectContaining({ id: w!.id }) }]);
    expect(r.counts).toEqual({ total: 3, unread: 2, unseen: 2 });
    expect(r.seq).toBe(seq + 3);
    back.send({ type: "resume", seq: r.seq });
    expect(await back.next((e) => e.type === "resumed")).toMatchObject({ changes: [], complete: true });
    back.send({ type: "resume", seq: 999_999 });
    expect(await back.next((e) => e.type === "resumed")).toMatchObject({ complete: false });
    back.send({ type: "ping" });
    expect(await back.next(() => true)).toEqual({ type: "pong" });
    expect(x).toBeDefined();
    back.close();
  });

  it("says a resume is incomplete once the tombstones it needs were pruned", async () => {
    const { site } = await tenant("inbox-tombstones");
    const stub = inboxOf(site.id, "ada");
    const items = await Promise.all(Array.from({ length: INBOX_TOMBSTONES_KEPT + 5 }, () => item()).map(async (i) => (await stub.deliver(i, 90)).item!));
    const afterDelivery = Math.max(...items.map((i) => i.seq));
    for (let k = 0; k < items.length; k += 100) await stub.act(items.slice(k, k + 100).map((i) => i.id), "delete");
    expect(await stub.resume(afterDelivery)).toMatchObject({ complete: false, changes: [] }); // 1,005 deletions since: the oldest are gone
    const recent = await stub.resume(afterDelivery + 10);
    expect(recent.complete).toBe(false); // still more than INBOX_RESUME_MAX_CHANGES
    const last = await stub.resume(afterDelivery + items.length - 3);
    expect(last).toMatchObject({ complete: true, changes: items.slice(-3).map((i) => ({ deleted: i.id })) });
    expect(await stub.counts()).toEqual({ total: 0, unread: 0, unseen: 0 });
  });

  it("refuses an unverified or other site's signature and a plain GET; closes the oldest socket beyond the cap", async () => {
    const { site } = await tenant("inbox-ws-auth");
    const other = await tenant("inbox-ws-other");
    expect((await openSocket(site, "ada", await identityHash(other.site.identity_secret, "ada"))).status).toBe(403);
    expect((await openSocket(site, "ada", "nope")).status).toBe(403);
    const plain = await asUser(site, "ada", "GET", "/api/inbox/ws");
    expect(plain.status).toBe(426);
    expect(plain.body.error.code).toBe("upgrade_required");

    const sockets = [];
    for (let i = 0; i < INBOX_MAX_SOCKETS_PER_USER; i++) sockets.push((await openSocket(site, "cap")).socket!);
    let closed: { code: number; reason: string } | null = null;
    sockets[0]!.ws.addEventListener("close", (e) => {
      closed = { code: e.code, reason: e.reason };
    });
    const extra = (await openSocket(site, "cap")).socket!;
    for (let i = 0; i < 100 && !closed; i++) await new Promise((r) => setTimeout(r, 20));
    expect(closed).toMatchObject({ code: INBOX_CLOSE_TOO_MANY });
    expect((await inboxOf(site.id, "cap").presence()).connections).toBe(INBOX_MAX_SOCKETS_PER_USER);
    for (const s of [...sockets.slice(1), extra]) s.close();
  });
});
