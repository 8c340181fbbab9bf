// The end-user inbox API (/api/inbox…): every operation and filter, cursor pages, exact counts,
// the signed identity (a user reaches only their own inbox, on this site only), CORS.
import { describe, expect, it } from "vitest";
import { INBOX_LIMIT_PER_USER } from "../../workers/config";
import { identityHash } from "../../workers/lib/identity";
import { call, freshIp, tenant } from "../helpers";
import { asUser, inboxOf, item, seed, userHeaders } from "./helpers";

describe("end-user inbox API", () => {
  it("lists newest first with cursor pages, and filters by category, tag, unread and archived", async () => {
    const { site } = await tenant("inbox-list");
    const items = await seed(site.id, "ada", [
      item({ title: "one", category: "billing", tags: ["a"] }),
      item({ title: "two", category: "social", tags: ["a", "b"] }),
      item({ title: "three", category: "billing" }),
      item({ title: "four", data: { order: 4 }, url: "https://acme.example.com/o/4" }),
      item({ title: "five", category: "social", tags: ["b"] }),
    ]);
    const page1 = await asUser(site, "ada", "GET", "/api/inbox?limit=2");
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((i: { title: string }) => i.title)).toEqual(["five", "four"]);
    expect(page1.body.counts).toEqual({ total: 5, unread: 5, unseen: 5 });
    const page2 = await asUser(site, "ada", "GET", `/api/inbox?limit=2&cursor=${encodeURIComponent(page1.body.next_cursor)}`);
    expect(page2.body.items.map((i: { title: string }) => i.title)).toEqual(["three", "two"]);
    const page3 = await asUser(site, "ada", "GET", `/api/inbox?limit=2&cursor=${encodeURIComponent(page2.body.next_cursor)}`);
    expect(page3.body.items.map((i: { title: string }) => i.title)).toEqual(["one"]);
    expect(page3.body.next_cursor).toBeNull();
    expect(page2.body.items[0]).toMatchObject({ id: items[2]!.id, category: "billing", tags: [], read_at: null, seen_at: null, archived_at: null });
    expect(page1.body.items[1]).toMatchObject({ data: { order: 4 }, url: "https://acme.example.com/o/4" });

    const titles = async (q: string) => (await asUser(site, "ada", "GET", `/api/inbox?${q}`)).body.items.map((i: { title: string }) => i.title);
    expect(await titles("category=billing")).toEqual(["three", "one"]);
    expect(await titles("tag=b")).toEqual(["five", "two"]);
    expect(await titles("tag=a&category=social")).toEqual(["two"]);
    await asUser(site, "ada", "POST", `/api/inbox/${items[4]!.id}/read`);
    await asUser(site, "ada", "POST", `/api/inbox/${items[0]!.id}/archive`);
    expect(await titles("unread=true")).toEqual(["four", "three", "two"]);
    expect(await titles("unread=false")).toEqual(["five"]);
    expect(await titles("archived=true")).toEqual(["one"]);
    expect(await titles("")).toEqual(["five", "four", "three", "two"]);

    const bad = await asUser(site, "ada", "GET", "/api/inbox?cursor=nonsense");
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe("cursor");
    expect((await asUser(site, "ada", "GET", "/api/inbox?limit=101")).status).toBe(400);
  });

  it("reads, unreads, sees, archives, unarchives and deletes one item, keeping counts exact; a no-op changes nothing", async () => {
    const { site } = await tenant("inbox-act");
    const [a, b] = await seed(site.id, "ada", [item(), item()]);
    const counts = async () => (await asUser(site, "ada", "GET", "/api/inbox/counts")).body;
    expect(await counts()).toEqual({ total: 2, unread: 2, unseen: 2 });

    const read = await asUser(site, "ada", "POST", `/api/inbox/${a!.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body.item.read_at).toBeTypeOf("number");
    expect(read.body.item.seen_at).toBe(read.body.item.read_at); // reading is seeing
    expect(read.body.counts).toEqual({ total: 2, unread: 1, unseen: 1 });
    const again = await asUser(site, "ada", "POST", `/api/inbox/${a!.id}/read`);
    expect(again.body.item.seq).toBe(read.body.item.seq); // nothing changed: no new seq
    expect((await asUser(site, "ada", "POST", `/api/inbox/${a!.id}/unread`)).body.counts).toEqual({ total: 2, unread: 2, unseen: 1 });
    expect((await asUser(site, "ada", "POST", `/api/inbox/${b!.id}/seen`)).body.counts).toEqual({ total: 2, unread: 2, unseen: 0 });
    expect((await asUser(site, "ada", "POST", `/api/inbox/${b!.id}/archive`)).body.counts).toEqual({ total: 1, unread: 1, unseen: 0 });
    expect((await asUser(site, "ada", "POST", `/api/inbox/${b!.id}/unarchive`)).body.counts).toEqual({ total: 2, unread: 2, unseen: 0 });
    const del = await asUser(site, "ada", "DELETE", `/api/inbox/${b!.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ item: null, counts: { total: 1, unread: 1, unseen: 0 } });
    const gone = await asUser(site, "ada", "DELETE", `/api/inbox/${b!.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({ code: "not_found", fields: [{ path: "itemId" }] });
    expect((await asUser(site, "ada", "POST", `/api/inbox/ntf_nothere/read`)).status).toBe(404);
    expect((await asUser(site, "ada", "POST", `/api/inbox/${a!.id}/explode`)).status).toBe(400);
    expect((await asUser(site, "ada", "POST", `/api/inbox/not-an-id/read`)).status).toBe(400);
    expect(await inboxOf(site.id, "ada").recount()).toEqual(await counts());
  });

  it("applies one action to a batch, reporting ids it does not have, and reads all (per category)", async () => {
    const { site } = await tenant("inbox-batch");
    const items = await seed(site.id, "ada", [item({ category: "billing" }), item({ category: "billing" }), item({ category: "social" }), item()]);
    const batch = await asUser(site, "ada", "POST", "/api/inbox/batch", { body: { ids: [items[0]!.id, items[1]!.id, "ntf_missing"], action: "archive" } });
    expect(batch.status).toBe(200);
    expect(batch.body.items).toHaveLength(2);
    expect(batch.body.not_found).toEqual(["ntf_missing"]);
    expect(batch.body.counts).toEqual({ total: 2, unread: 2, unseen: 2 });
    const tooMany = await asUser(site, "ada", "POST", "/api/inbox/batch", { body: { ids: Array.from({ length: 101 }, (_, i) => `ntf_${i}`), action: "read" } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.fields[0].path).toBe("ids");
    expect((await asUser(site, "ada", "POST", "/api/inbox/batch", { body: { ids: [items[0]!.id], action: "burn" } })).status).toBe(400);

    await asUser(site, "ada", "POST", "/api/inbox/batch", { body: { ids: [items[0]!.id, items[1]!.id], action: "unarchive" } });
    const billing = await asUser(site, "ada", "POST", "/api/inbox/read-all", { body: { category: "billing" } });
    expect(billing.body).toEqual({ updated: 2, counts: { total: 4, unread: 2, unseen: 2 } });
    const all = await asUser(site, "ada", "POST", "/api/inbox/read-all");
    expect(all.body).toEqual({ updated: 2, counts: { total: 4, unread: 0, unseen: 0 } });
    expect((await asUser(site, "ada", "POST", "/api/inbox/read-all", { body: {} })).body.updated).toBe(0);
    const batchDelete = await asUser(site, "ada", "POST", "/api/inbox/batch", { body: { ids: [items[2]!.id, items[3]!.id], action: "delete" } });
    expect(batchDelete.body).toMatchObject({ items: [], not_found: [], counts: { total: 2, unread: 0, unseen: 0 } });
  });

  it("authenticates and charges the rate limit once per request, on the list's own path too", async () => {
    // "/api/inbox/*" also matches "/api/inbox": registered for both, the gate ran twice and a
    // page got half its requests (found by bench/inbox: 429 after ~60 list calls in a burst).
    const { site } = await tenant("inbox-once");
    const burst = Math.floor(INBOX_LIMIT_PER_USER.capacity * 0.8);
    for (let i = 0; i < burst; i++) expect((await asUser(site, "ada", "GET", "/api/inbox?limit=1")).status, `request ${i + 1}`).toBe(200);
  });

  it("refuses a missing or wrong signature, another user's hash, and the same external id signed for another site", async () => {
    const { site } = await tenant("inbox-auth");
    const other = await tenant("inbox-auth-other");
    const [mine] = await seed(site.id, "ada", [item()]);
    await seed(other.site.id, "ada", [item()]);

    const noHeaders = await call("GET", "/api/inbox", { headers: { "CF-Connecting-IP": freshIp() } });
    expect(noHeaders.status).toBe(401);
    const h = await userHeaders(site, "ada");
    const noHash = await call("GET", "/api/inbox", { headers: { ...h, "X-Herald-User-Hash": "" } });
    expect(noHash.status).toBe(403);
    expect(noHash.body.error.code).toBe("identity_unverified");
    // Bob's valid hash does not open Ada's inbox.
    const bobs = await call("GET", "/api/inbox", { headers: { ...h, "X-Herald-User-Hash": await identityHash(site.identity_secret, "bob") } });
    expect(bobs.status).toBe(403);
    // Ada's correct hash on the other site, presented with this site's key: refused.
    const crossSite = await call("GET", "/api/inbox", { headers: { ...h, "X-Herald-User-Hash": await identityHash(other.site.identity_secret, "ada") } });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.error.code).toBe("identity_unverified");
    const unknownKey = await call("GET", "/api/inbox", { headers: { ...h, "X-Herald-Site-Key": "pk_nope" } });
    expect(unknownKey.status).toBe(404);

    // With the other site's own credentials, Ada there sees only that site's item, and cannot touch this one.
    const there = await asUser(other.site, "ada", "GET", "/api/inbox");
    expect(there.body.items).toHaveLength(1);
    expect(there.body.items[0].id).not.toBe(mine!.id);
    expect((await asUser(other.site, "ada", "POST", `/api/inbox/${mine!.id}/read`)).status).toBe(404);
    expect((await asUser(other.site, "ada", "DELETE", `/api/inbox/${mine!.id}`)).status).toBe(404);
    // Nor can another user of the same site.
    expect((await asUser(site, "bob", "POST", `/api/inbox/${mine!.id}/read`)).status).toBe(404);
    expect((await asUser(site, "bob", "GET", "/api/inbox")).body.items).toEqual([]);
    expect((await asUser(site, "ada", "GET", "/api/inbox/counts")).body).toEqual({ total: 1, unread: 1, unseen: 1 });
  });

  it("answers CORS preflights with its headers and methods, and serves only the site's allowed origins", async () => {
    const { site } = await tenant("inbox-cors");
    const pre = await call("OPTIONS", "/api/inbox/batch", { headers: { Origin: "https://acme.example.com", "Access-Control-Request-Method": "POST" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("Access-Control-Allow-Methods")).toBe("GET, POST, PUT, DELETE");
    expect(pre.headers.get("Access-Control-Allow-Headers")).toContain("X-Herald-User-Hash");
    const ok = await asUser(site, "ada", "GET", "/api/inbox/counts", { headers: { Origin: "https://acme.example.com" } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("Access-Control-Allow-Origin")).toBe("https://acme.example.com");
    const refused = await asUser(site, "ada", "GET", "/api/inbox/counts", { headers: { Origin: "https://evil.example.net" } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("origin_not_allowed");
    // A refusal the page may read: an allowed origin sees why.
    const unverified = await call("GET", "/api/inbox/counts", {
      headers: { ...(await userHeaders(site, "ada")), "X-Herald-User-Hash": "0".repeat(64), Origin: "https://acme.example.com" },
    });
    expect(unverified.status).toBe(403);
    expect(unverified.body.error.code).toBe("identity_unverified");
    expect(unverified.headers.get("Access-Control-Allow-Origin")).toBe("https://acme.example.com");
  });
});
