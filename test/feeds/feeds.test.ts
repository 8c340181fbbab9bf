// RSS-to-push (issue #10 §5): feeds served by a fake internet (the Worker's fetch; DNS answered
// over the DoH endpoint as public): the first poll is a baseline, new items go out once (a cron
// fired twice polls once), ETag / Last-Modified make unchanged feeds cost a 304, redirects are
// followed, malformed / huge / hanging feeds leave a sentence in last_error, digest and approve
// modes, the per-poll cap, private URLs refused, another site's feed a 404.
import { afterEach, describe, expect, it, vi } from "vitest";
import { findFeed } from "../../workers/db/queries/feeds";
import { pollDueFeeds, pollFeed } from "../../workers/services/feeds";
import { installFakePush } from "../fixtures/fake-push";
import { call, tenant } from "../helpers";
import { subscribeAs, waitFor } from "../messages/helpers";
import { manualSender } from "../preferences/helpers";

const FEED = "https://blog.example.com/feed.xml";
const rss = (items: Array<{ id: string; title: string; image?: string }>) => `<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Acme blog</title><link>https://blog.example.com</link>
${items.map((i) => `<item><title>${i.title}</title><link>https://blog.example.com/${i.id}</link><guid>${i.id}</guid>${i.image ? `<media:content url="${i.image}" medium="image"/>` : ""}<description>&lt;p&gt;About ${i.title}&lt;/p&gt;</description></item>`).join("\n")}
</channel></rss>`;

let push: ReturnType<typeof installFakePush>;
afterEach(() => {
  push?.restore();
  vi.restoreAllMocks();
});

/** The internet for the Worker's fetch: `routes` by URL, DoH answering a public address, the rest to the push fake. */
function fakeInternet(routes: Record<string, (req: Request) => Response | Promise<Response>>) {
  const previous = vi.mocked(globalThis.fetch).getMockImplementation?.() ?? globalThis.fetch;
  const fetched: Request[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    const url = new URL(req.url);
    if (url.origin + url.pathname === "https://cloudflare-dns.com/dns-query") {
      const type = url.searchParams.get("type") === "AAAA" ? 28 : 1;
      return Response.json({ Status: 0, Answer: type === 1 ? [{ name: url.searchParams.get("name"), type, TTL: 60, data: "93.184.215.14" }] : [] });
    }
    const route = routes[req.url];
    if (route) {
      fetched.push(req);
      return route(req);
    }
    return previous(input as RequestInfo, init);
  });
  return fetched;
}

async function setup(label: string, feed: Record<string, unknown> = {}) {
  push = installFakePush();
  const t = await tenant(label);
  const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${t.site.id}${path}`, { token: t.owner.token, body });
  await subscribeAs(push, t.site, null);
  let body = rss([{ id: "p1", title: "First post" }, { id: "p2", title: "Second post" }]);
  let etag = '"v1"';
  const fetched = fakeInternet({
    [FEED]: (req) => (req.headers.get("if-none-match") === etag ? new Response(null, { status: 304 }) : new Response(body, { headers: { "content-type": "application/rss+xml", etag } })),
  });
  const created = await api("POST", "/feeds", { name: "Blog", url: FEED, ...feed });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const sender = manualSender(Date.now());
  const poll = async () => {
    sender.clock.t += 16 * 60_000;
    const runs = [await pollDueFeeds(sender.deps), await pollDueFeeds(sender.deps)];
    await sender.drain();
    return runs;
  };
  const publish = (items: Parameters<typeof rss>[0], tag: string) => {
    body = rss(items);
    etag = tag;
  };
  return { ...t, api, feed: created.body, poll, publish, fetched, sender };
}
const titles = () => push.received.map((r) => r.payload.title as string);

describe("RSS-to-push", () => {
  it("takes a baseline first, then sends each new item once; an unchanged feed costs a 304", async () => {
    const { api, feed, poll, publish, fetched } = await setup("feed");
    const [first, twice] = await poll();
    expect(first).toEqual([expect.objectContaining({ status: "baseline", sent: 0 })]);
    expect(twice).toEqual([]); // the cron fired twice: the feed was polled once
    expect(push.received).toHaveLength(0);
    publish([{ id: "p3", title: "Third post", image: "https://blog.example.com/p3.jpg" }, { id: "p1", title: "First post" }, { id: "p2", title: "Second post" }], '"v2"');
    const [second] = await poll();
    expect(second).toEqual([expect.objectContaining({ status: "new", newItems: 1, sent: 1 })]);
    expect(push.received.map((r) => r.payload)).toEqual([expect.objectContaining({ title: "Third post", body: "About Third post", url: "https://blog.example.com/p3", image: "https://blog.example.com/p3.jpg" })]);
    const [third] = await poll();
    expect(third).toEqual([expect.objectContaining({ status: "unchanged" })]);
    expect(fetched.at(-1)!.headers.get("if-none-match")).toBe('"v2"');
    const items = await api("GET", `/feeds/${feed.id}/items`);
    expect(items.body.data.map((i: { state: string }) => i.state).sort()).toEqual(["seen", "seen", "sent"]);
    expect((await api("GET", `/feeds/${feed.id}`)).body).toMatchObject({ items_sent: 1, last_error: null });
  });

  it("sends a digest of the new items, never more than the cap, and skips the rest (a feed of 60 items: past D1's 100 parameters)", async () => {
    const { poll, publish } = await setup("feed-digest", { mode: "digest", max_items_per_poll: 3 });
    await poll();
    publish(Array.from({ length: 60 }, (_, i) => ({ id: `n${i}`, title: `News ${i}` })), '"v2"');
    await poll();
    expect(titles()).toEqual(["Acme blog: 3 new"]);
  });

  it("holds items for approval: approve sends once, skip never", async () => {
    const { api, feed, poll, publish } = await setup("feed-approve", { mode: "approve" });
    await poll();
    publish([{ id: "a1", title: "Needs a look" }, { id: "a2", title: "Not this one" }], '"v2"');
    await poll();
    expect(push.received).toHaveLength(0);
    const items = (await api("GET", `/feeds/${feed.id}/items`)).body.data as Array<{ key: string; title: string; state: string }>;
    const [a1, a2] = [items.find((i) => i.title === "Needs a look")!, items.find((i) => i.title === "Not this one")!];
    expect(a1.state).toBe("pending_approval");
    expect((await api("POST", `/feeds/${feed.id}/items/${a1.key}/approve`)).body.state).toBe("sent");
    expect((await api("POST", `/feeds/${feed.id}/items/${a1.key}/approve`)).status).toBe(409);
    expect((await api("POST", `/feeds/${feed.id}/items/${a2.key}/skip`)).body.state).toBe("skipped");
    await waitFor(async () => push.received.length, (n) => n >= 1);
    expect(titles()).toEqual(["Needs a look"]);
  });

  it("survives malformed, huge, hanging and moved feeds, saying why in last_error", async () => {
    const { api, site, sender } = await setup("feed-bad");
    const MOVED = "https://blog.example.com/old.xml";
    const routes: Record<string, () => Response | Promise<Response>> = {
      "https://bad.example.com/broken.xml": () => new Response("<rss><channel><item><title>oops", { headers: { "content-type": "application/xml" } }),
      "https://bad.example.com/huge.xml": () => new Response(new Uint8Array(20 * 1024 * 1024).fill(32)),
      "https://bad.example.com/hang.xml": () => new Promise<Response>(() => {}),
      [MOVED]: () => new Response(null, { status: 301, headers: { location: FEED } }),
    };
    fakeInternet(routes);
    const follow = async (url: string) => {
      const f = await api("POST", "/feeds", { name: url, url });
      return (await findFeed(sender.deps.db, site.id, f.body.id))!;
    };
    const broken = await pollFeed(sender.deps, await follow("https://bad.example.com/broken.xml"));
    expect(broken).toMatchObject({ status: "failed", error: expect.stringMatching(/^It is not a valid RSS, Atom or JSON feed/) });
    const huge = await pollFeed(sender.deps, await follow("https://bad.example.com/huge.xml"));
    expect(huge.error).toMatch(/larger than/);
    const hang = await pollFeed(sender.deps, await follow("https://bad.example.com/hang.xml"), { timeoutMs: 300 });
    expect(hang.error).toMatch(/did not answer|in time|seconds/);
    const moved = await pollFeed(sender.deps, await follow(MOVED));
    expect(moved.status).toBe("baseline");
    const list = (await api("GET", "/feeds")).body.data as Array<{ url: string; last_error: string | null }>;
    expect(list.find((f) => f.url.endsWith("broken.xml"))!.last_error).toMatch(/not a valid/);
  });

  it("refuses private, local and plain-http addresses with a sentence; another site's feed is a 404", async () => {
    const { api, feed } = await setup("feed-ssrf");
    for (const url of ["http://10.0.0.1/feed", "https://localhost/feed.xml", "http://blog.example.com/feed.xml", "https://192.168.1.1/rss"]) {
      const r = await api("POST", "/feeds", { name: "x", url });
      expect(r.status, url).toBe(400);
      expect(r.body.error.fields[0]).toMatchObject({ path: "url", message: expect.stringMatching(/https|private|local/) });
    }
    const other = await tenant("feed-ssrf-other");
    for (const [method, path] of [["GET", ""], ["PATCH", ""], ["DELETE", ""], ["POST", "/poll"], ["GET", "/items"]] as const) {
      const r = await call(method, `/api/sites/${other.site.id}/feeds/${feed.id}${path}`, { token: other.owner.token, body: method === "PATCH" ? { name: "x" } : undefined });
      expect(r.status, `${method} ${path}`).toBe(404);
    }
  });
});
