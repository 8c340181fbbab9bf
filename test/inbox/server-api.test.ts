// The server inbox API (…/users/{externalId}/inbox…): the same operations for the site's backend
// and dashboard, scoped by site, permissioned by users:read / users:write.
import { describe, expect, it } from "vitest";
import { call, tenant } from "../helpers";
import { asUser, item, seed } from "./helpers";

describe("server inbox API", () => {
  it("lists, counts, acts, batches, reads all and deletes a user's items; the end user sees the same state", async () => {
    const { owner, site } = await tenant("srv-inbox");
    await call("POST", `/api/sites/${site.id}/users`, { token: owner.token, body: { external_id: "ada" } });
    const [a, b, c] = await seed(site.id, "ada", [item({ category: "billing" }), item(), item()]);
    const base = `/api/sites/${site.id}/users/ada/inbox`;
    const list = await call("GET", `${base}?limit=2`, { token: owner.token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([c!.id, b!.id]);
    expect((await call("GET", `${base}?cursor=${encodeURIComponent(list.body.next_cursor)}`, { token: owner.token })).body.items.map((i: { id: string }) => i.id)).toEqual([a!.id]);
    expect((await call("GET", `${base}/counts`, { token: owner.token })).body).toEqual({ total: 3, unread: 3, unseen: 3 });
    expect((await call("POST", `${base}/${a!.id}/read`, { token: owner.token })).body.counts).toEqual({ total: 3, unread: 2, unseen: 2 });
    expect((await call("POST", `${base}/batch`, { token: owner.token, body: { ids: [b!.id], action: "archive" } })).body.counts).toEqual({ total: 2, unread: 1, unseen: 1 });
    expect((await call("POST", `${base}/read-all`, { token: owner.token })).body).toEqual({ updated: 1, counts: { total: 2, unread: 0, unseen: 0 } });
    expect((await call("DELETE", `${base}/${c!.id}`, { token: owner.token })).body).toEqual({ item: null, counts: { total: 1, unread: 0, unseen: 0 } });
    expect((await call("DELETE", `${base}/${c!.id}`, { token: owner.token })).status).toBe(404);
    expect((await asUser(site, "ada", "GET", "/api/inbox/counts")).body).toEqual({ total: 1, unread: 0, unseen: 0 });
    expect((await call("GET", `/api/sites/${site.id}/users/nobody/inbox`, { token: owner.token })).status).toBe(404);
  });

  it("keeps tenants apart and needs users:read to read, users:write to change", async () => {
    const a = await tenant("srv-inbox-a");
    const b = await tenant("srv-inbox-b");
    for (const t of [a, b]) await call("POST", `/api/sites/${t.site.id}/users`, { token: t.owner.token, body: { external_id: "ada" } });
    const [mine] = await seed(a.site.id, "ada", [item()]);
    const keyB = (await call("POST", `/api/sites/${b.site.id}/api-keys`, { token: b.owner.token, body: { name: "b", scopes: ["users:read", "users:write"] } })).body.key;
    // B's key on A's site: 404 whatever the path.
    for (const [method, path] of [
      ["GET", `/api/sites/${a.site.id}/users/ada/inbox`],
      ["GET", `/api/sites/${a.site.id}/users/ada/inbox/counts`],
      ["POST", `/api/sites/${a.site.id}/users/ada/inbox/${mine!.id}/read`],
      ["DELETE", `/api/sites/${a.site.id}/users/ada/inbox/${mine!.id}`],
    ] as const) {
      expect((await call(method, path, { token: keyB })).status, path).toBe(404);
    }
    // A's item id on B's site (same external id): not there.
    expect((await call("POST", `/api/sites/${b.site.id}/users/ada/inbox/${mine!.id}/read`, { token: keyB })).status).toBe(404);
    const batch = await call("POST", `/api/sites/${b.site.id}/users/ada/inbox/batch`, { token: keyB, body: { ids: [mine!.id], action: "delete" } });
    expect(batch.body.not_found).toEqual([mine!.id]);
    expect((await call("GET", `/api/sites/${a.site.id}/users/ada/inbox/counts`, { token: a.owner.token })).body.total).toBe(1);

    const reader = (await call("POST", `/api/sites/${a.site.id}/api-keys`, { token: a.owner.token, body: { name: "r", scopes: ["users:read"] } })).body.key;
    expect((await call("GET", `/api/sites/${a.site.id}/users/ada/inbox`, { token: reader })).status).toBe(200);
    expect((await call("POST", `/api/sites/${a.site.id}/users/ada/inbox/${mine!.id}/read`, { token: reader })).status).toBe(403);
    const sender = (await call("POST", `/api/sites/${a.site.id}/api-keys`, { token: a.owner.token, body: { name: "s", scopes: ["send"] } })).body.key;
    expect((await call("GET", `/api/sites/${a.site.id}/users/ada/inbox`, { token: sender })).status).toBe(403);
  });
});
