// Benchmark: the in-app inbox at the edge (issue #9 "Tests and figures"), in workerd, each figure
// beside a peer measured in the same run:
//
//   1. API call → item on a connected socket, with S users connected (default 1,000): one
//      POST …/messages on the in_app channel to a random connected user, timed from the POST to
//      that user's socket receiving item.created (median, p99 over --samples). Peer: the same
//      message on web push, from the POST to the push sink receiving it (the same queue, planner
//      and batch path; only the last hop differs). Sends alternate in_app / web push.
//   2. Broadcast to N users (default 10,000): POST …/broadcasts, timed to the message's
//      completed_at and to the last of the S connected sockets receiving it. Peer: one message
//      on web push to the same N users (completed_at; the sink must have N).
//   3. Inbox list with 10,000 items in one user's object: GET /api/inbox?limit=20 (and filtered by
//      category, and unread) as the SDK calls it, median and p99 over --samples. Peer: the same
//      request for a user whose inbox holds 20 items.
//
//   node_modules/.bin/node bench/inbox/run.ts [--users 10000] [--sockets 1000] [--samples 200] [--items 10000] [--write]
//
// Needs `npm run build`. Users (with a push-sink subscription each) are seeded straight into the
// local D1 with the edge stopped (bench/messages/seed.ts). The edge, the push sink and this
// process share the machine's cores; --write replaces this section of docs/benchmarks.md.
import { createHmac, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { applyMigrations, ROOT, startEdge, type Edge } from "../../scripts/lib/edge.ts";
import type { InboxServerEvent } from "../../workers/contracts/inbox.ts";
import { fmt, freePort, json, sleep, startNodeService, writeSection } from "../lib/local.ts";
import { benchUser, seedUsers, type SinkSubscription } from "../messages/seed.ts";

const args = process.argv.slice(2);
const num = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const USERS = num("users", 10_000);
const SOCKETS = num("sockets", 1_000);
const SAMPLES = num("samples", 200);
const ITEMS = num("items", 10_000);
const HEADING = "## In-app inbox (wrangler dev)";
const RESERVED_PORTS = new Set([8787, 8790, 8791]);
/** How many POSTs fill the big inbox at once (the API, then the queue, does the rest). */
const FILL_CONCURRENCY = 6;
/** One list request per user per this many ms while timing the list (see timeLists). */
const INBOX_PACE_MS = 250;
const log = (m: string) => console.error(`[bench] ${m}`);

async function port(): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (!RESERVED_PORTS.has(p)) return p;
  }
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const ms = (x: number) => (x < 10 ? x.toFixed(1) : fmt(x));

interface Site {
  id: string;
  site_key: string;
  identity_secret: string;
}

/** One user's socket: every item.created it got, with when. */
interface Client {
  externalId: string;
  ws: WebSocket;
  arrivals: Map<string, number>;
  waiters: Map<string, (t: number) => void>;
}

const userHash = (site: Site, externalId: string) => createHmac("sha256", site.identity_secret).update(externalId).digest("hex");

async function connect(edge: Edge, site: Site, externalId: string): Promise<Client> {
  const q = new URLSearchParams({ site_key: site.site_key, external_id: externalId, user_hash: userHash(site, externalId) });
  const ws = new WebSocket(`${edge.origin.replace(/^http/, "ws")}/api/inbox/ws?${q}`);
  const client: Client = { externalId, ws, arrivals: new Map(), waiters: new Map() };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket of ${externalId} did not open in 30 s`)), 30_000);
    ws.addEventListener("message", (e) => {
      const event = JSON.parse(String(e.data)) as InboxServerEvent;
      if (event.type === "counts") {
        clearTimeout(timer);
        resolve();
      }
      if (event.type === "item.created") {
        const t = performance.now();
        client.arrivals.set(event.item.id, t);
        client.waiters.get(event.item.id)?.(t);
      }
    });
    ws.addEventListener("error", () => reject(new Error(`socket of ${externalId} failed`)));
  });
  return client;
}

function arrival(client: Client, id: string, timeoutMs = 30_000): Promise<number> {
  const seen = client.arrivals.get(id);
  if (seen !== undefined) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${client.externalId} never got item ${id}`)), timeoutMs);
    client.waiters.set(id, (t) => {
      clearTimeout(timer);
      resolve(t);
    });
  });
}

async function main() {
  if (!existsSync(path.join(ROOT, "dist/dashboard/index.html"))) throw new Error("run `npm run build` first (the Worker serves dist/)");
  if (SOCKETS + 2 > USERS) throw new Error("--users must exceed --sockets by at least 2 (two more users hold the list benchmark's inboxes)");
  const persistDir = await mkdtemp(path.join(os.tmpdir(), "herald-bench-inbox-"));
  const sink = await startNodeService("test/push-sink/main.ts", await port(), "listening");
  let edge: Edge | undefined;
  const clients: Client[] = [];
  try {
    const edgePort = await port();
    const secret = () => randomBytes(32).toString("base64");
    const vars = {
      EXTRA_PUSH_ORIGINS: sink.origin,
      PUBLIC_URL: `http://127.0.0.1:${edgePort}`,
      MASTER_KEYS: `1:${secret()}`,
      JWT_SECRET: secret(),
      METRICS_TOKEN: randomBytes(16).toString("hex"),
      ADMIN_TOKEN: randomBytes(16).toString("hex"),
    };
    await applyMigrations(persistDir);
    edge = await startEdge({ port: edgePort, persistDir, vars, logs: "buffer" });
    const { access_token: token } = await json<{ access_token: string }>(`${edge.origin}/api/auth/register`, {
      method: "POST",
      body: JSON.stringify({ email: `bench-${Date.now()}@example.com`, password: "correct horse battery staple", name: "Bench" }),
    });
    const site = await json<Site>(`${edge.origin}/api/sites`, { method: "POST", token, body: JSON.stringify({ name: "Inbox bench", url: "https://shop.example.com" }) });
    await edge.stop();
    edge = undefined;
    const subs = await json<SinkSubscription[]>(`${sink.origin}/subscriptions`, { method: "POST", body: JSON.stringify({ count: USERS }) });
    await seedUsers(persistDir, site.id, "a", subs);
    log(`seeded ${fmt(USERS)} users with a push subscription each`);
    edge = await startEdge({ port: edgePort, persistDir, vars, logs: "buffer" });
    const e = edge;
    const api = <T>(method: string, p: string, body?: unknown) => json<T>(`${e.origin}/api/sites/${site.id}${p}`, { method, token, body: body === undefined ? undefined : JSON.stringify(body) });
    const user = (i: number) => benchUser("a", i).externalId;

    // ── 1. API → socket, S connected ──
    let t = performance.now();
    for (let i = 0; i < SOCKETS; i += 50) clients.push(...(await Promise.all(Array.from({ length: Math.min(50, SOCKETS - i) }, (_, k) => connect(e, site, user(i + k))))));
    log(`${fmt(SOCKETS)} sockets connected in ${ms((performance.now() - t) / 1000)} s`);
    const inApp: number[] = [];
    const webPush: number[] = [];
    for (let k = 0; k < SAMPLES + 10; k++) {
      const i = Math.floor(Math.random() * SOCKETS);
      const client = clients[i]!;
      // in_app
      const t0 = performance.now();
      const m = await api<{ id: string }>("POST", "/messages", { to: { external_ids: [client.externalId] }, channels: ["in_app"], content: { in_app: { title: `Sample ${k}` } } });
      const latency = (await arrival(client, m.id)) - t0;
      // web push to the same user's sink subscription
      const wall0 = Date.now();
      const w = await api<{ id: string }>("POST", "/messages", { to: { external_ids: [client.externalId] }, channels: ["web_push"], content: { web_push: { title: `Sample ${k}` } } });
      let pushMs: number | null = null;
      for (const deadline = Date.now() + 30_000; pushMs === null && Date.now() < deadline; ) {
        const got = await json<{ messages: Array<{ payload: { id?: string } | null; received_at: number }> }>(`${sink.origin}/messages/${encodeURIComponent(subs[i]!.id)}`);
        const hit = got.messages.find((x) => x.payload?.id === w.id);
        if (hit) pushMs = hit.received_at - wall0;
        else await sleep(5);
      }
      if (pushMs === null) throw new Error(`the push sink never got message ${w.id}`);
      if (k >= 10) {
        inApp.push(latency);
        webPush.push(pushMs);
      }
    }
    log(`API → socket: median ${ms(quantile(inApp, 0.5))} ms, p99 ${ms(quantile(inApp, 0.99))} ms; web push median ${ms(quantile(webPush, 0.5))} ms`);

    // ── 2. Broadcast to N ──
    t = performance.now();
    const b = await api<{ id: string }>("POST", "/broadcasts", { content: { title: "Broadcast" } });
    const allSockets = Promise.all(clients.map((c) => arrival(c, b.id, 600_000)));
    let done: { completed_at: number | null; channels: Record<string, { sent: number }> };
    do {
      await sleep(200);
      done = await api("GET", `/messages/${b.id}`);
    } while (!done.completed_at);
    const broadcastS = (performance.now() - t) / 1000;
    const socketsS = (Math.max(...(await allSockets)) - t) / 1000;
    const broadcastSent = done.channels.in_app?.sent ?? 0;
    log(`broadcast: ${fmt(broadcastSent)} items in ${broadcastS.toFixed(1)} s; last socket at ${socketsS.toFixed(1)} s`);
    // Again, now that every user's object exists (the first broadcast created 10,000 of them: each
    // a new SQLite database, on local disk under wrangler dev).
    t = performance.now();
    const again = await api<{ id: string }>("POST", "/broadcasts", { content: { title: "Broadcast again" } });
    let warm: { completed_at: number | null; channels: Record<string, { sent: number }> };
    do {
      await sleep(200);
      warm = await api("GET", `/messages/${again.id}`);
    } while (!warm.completed_at);
    const warmS = (performance.now() - t) / 1000;
    log(`broadcast to existing inboxes: ${fmt(warm.channels.in_app?.sent ?? 0)} in ${warmS.toFixed(1)} s`);
    t = performance.now();
    const p = await api<{ id: string }>("POST", "/messages", { to: { all: true }, channels: ["web_push"], content: { web_push: { title: "Everyone" } } });
    let peer: { completed_at: number | null; channels: Record<string, { sent: number }> };
    do {
      await sleep(200);
      peer = await api("GET", `/messages/${p.id}`);
    } while (!peer.completed_at);
    const peerS = (performance.now() - t) / 1000;
    const peerSent = peer.channels.web_push?.sent ?? 0;
    log(`peer web push to all: ${fmt(peerSent)} in ${peerS.toFixed(1)} s`);
    if (broadcastSent !== USERS || peerSent !== USERS) throw new Error(`expected ${USERS} on both: broadcast ${broadcastSent}, web push ${peerSent}`);

    // ── 3. List with ITEMS items ──
    // Two users nobody sent to yet (not connected): each has the two broadcasts; fill one to
    // ITEMS + 2 and the other to 20.
    const big = user(SOCKETS);
    const small = user(SOCKETS + 1);
    t = performance.now();
    const jobs = [...Array.from({ length: ITEMS }, () => big), ...Array.from({ length: 18 }, () => small)];
    let next = 0;
    await Promise.all(
      Array.from({ length: FILL_CONCURRENCY }, async () => {
        while (next < jobs.length) {
          const k = next++;
          await api("POST", "/messages", { to: { external_ids: [jobs[k]!] }, channels: ["in_app"], content: { in_app: { title: `Item ${k}` } } });
        }
      }),
    );
    const headers = (ext: string) => ({ "X-Herald-Site-Key": site.site_key, "X-Herald-External-Id": ext, "X-Herald-User-Hash": userHash(site, ext) });
    const counts = async (ext: string) => (await (await fetch(`${e.origin}/api/inbox/counts`, { headers: headers(ext) })).json()) as { total: number };
    while ((await counts(big)).total < ITEMS + 2 || (await counts(small)).total < 20) await sleep(500);
    log(`filled one inbox with ${fmt(ITEMS)} items in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    // Big and small inbox alternate, one request each per INBOX_PACE_MS: under the end-user API's
    // per-user rate limit (config.ts INBOX_LIMIT_PER_USER: 300 a minute), which would answer 429.
    const timeLists = async (query: string) => {
      const out = { big: [] as number[], small: [] as number[] };
      for (let k = 0; k < SAMPLES + 10; k++) {
        const cycle = performance.now();
        for (const [name, ext] of [["big", big], ["small", small]] as const) {
          const t0 = performance.now();
          const res = await fetch(`${e.origin}/api/inbox?limit=20${query}`, { headers: headers(ext) });
          if (!res.ok) throw new Error(`GET /api/inbox${query} → ${res.status} after ${k} cycles: ${await res.text()}`);
          await res.arrayBuffer();
          if (k >= 10) out[name].push(performance.now() - t0);
        }
        await sleep(Math.max(0, INBOX_PACE_MS - (performance.now() - cycle)));
      }
      return out;
    };
    const lists = { first: await timeLists(""), unread: await timeLists("&unread=true") };

    const row = (name: string, xs: number[], ys: number[]) =>
      `| ${name} | ${ms(quantile(xs, 0.5))} | ${ms(quantile(xs, 0.99))} | ${ms(quantile(ys, 0.5))} | ${ms(quantile(ys, 0.99))} | ${(quantile(xs, 0.5) / quantile(ys, 0.5)).toFixed(2)}× |`;
    const md = `${HEADING}

\`node bench/inbox/run.ts --users ${USERS} --sockets ${SOCKETS} --samples ${SAMPLES} --items ${ITEMS}\` on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${new Date().toISOString().slice(0, 10)}. wrangler dev (workerd, local D1/Queues/Durable Objects), the push sink and this process on the same machine.

**API call → item on a connected socket**, ${fmt(SOCKETS)} users connected; peer: the same message on web push, POST → push sink (same queue, planner and batch path), alternating, ${SAMPLES} each:

| path | median ms | p99 ms | peer median ms | peer p99 ms | median ratio |
|---|---|---|---|---|---|
${row("in_app → socket vs web push → sink", inApp, webPush)}

**Broadcast to ${fmt(USERS)} users** (POST …/broadcasts → every user's inbox through the queue): ${fmt(broadcastSent)} items, completed in ${broadcastS.toFixed(1)} s (${fmt(broadcastSent / broadcastS)}/s); the last of the ${fmt(SOCKETS)} connected sockets had it at ${socketsS.toFixed(1)} s. A second broadcast, to inboxes that now exist: ${warmS.toFixed(1)} s (${fmt(USERS / warmS)}/s). Peer: one web push message to the same ${fmt(USERS)} users' subscriptions, ${peerS.toFixed(1)} s — broadcast/peer ${(broadcastS / peerS).toFixed(2)}× (first), ${(warmS / peerS).toFixed(2)}× (second).

**Inbox list** (GET /api/inbox?limit=20 with the user's signed identity, ${SAMPLES} sequential requests) in an inbox of ${fmt(ITEMS)} items; peer: the same request on an inbox of 20 items:

| request | median ms | p99 ms | peer median ms | peer p99 ms | median ratio |
|---|---|---|---|---|---|
${row("first page", lists.first.big, lists.first.small)}
${row("first page, unread only", lists.unread.big, lists.unread.small)}
`;
    console.log(md);
    if (args.includes("--write")) writeSection(HEADING, md);
  } finally {
    for (const c of clients) c.ws.close();
    await edge?.stop();
    sink.stop();
    await rm(persistDir, { recursive: true, force: true });
  }
}

await main();
