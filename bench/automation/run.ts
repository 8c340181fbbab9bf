// Benchmark: automation and targeting (issue #10 "Tests and figures"), in workerd, each figure
// beside a peer measured in the same run:
//
//   1. Segment estimate over N subscribers (default 100,000): POST …/segments/estimate with a
//      one-condition rule (a tag) and with a nested rule (country in a list, seen in the last 30
//      days, and either an attribute over a number or a click in the last 30 days), median of
//      --samples calls. Peer: the tag audience count Compose already calls (POST …/audience/count
//      { tags }), same subscribers.
//   2. A 09:00-local send to the N subscribers across 30 timezones: POST …/notifications with
//      local_delivery, /send, timed until every recipient is decided (deferred: N) — the planner
//      plus every batch's decision and deferred rows. Peer: the same send held by the site's
//      quiet hours instead (the same decision and rows, one window).
//   3. RSS: F feeds (default 100) on a local feed server, polled by one 15-minute cron run: the
//      baseline run, a run where each feed has one new item (F campaigns created), and a run where
//      every feed answers 304 (the peer: the cost of polling itself).
//
//   node_modules/.bin/node bench/automation/run.ts [--n 100000] [--samples 15] [--feeds 100] [--write]
//
// Needs `npm run build`. Subscribers (and a user with attributes for half of them, and clicks for
// 5 %) are seeded straight into the local D1 with the edge stopped. --write replaces this
// section of docs/benchmarks.md.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { applyMigrations, ROOT, startEdge, type Edge } from "../../scripts/lib/edge.ts";
import { d1ExecuteFile, fmt, freePort, json, sleep, sqlText, writeSection } from "../lib/local.ts";

const args = process.argv.slice(2);
const num = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = num("n", 100_000);
const SAMPLES = num("samples", 15);
const FEEDS = num("feeds", 100);
const HEADING = "## Automation and targeting (wrangler dev)";
const RESERVED_PORTS = new Set([8787, 8790, 8791]);
const ROWS_PER_INSERT = 400;
const log = (m: string) => console.error(`[bench] ${m}`);

const TIMEZONES = [
  "Pacific/Kiritimati", "Pacific/Auckland", "Australia/Sydney", "Asia/Tokyo", "Asia/Shanghai", "Asia/Bangkok", "Asia/Kolkata", "Asia/Karachi", "Asia/Dubai", "Europe/Moscow",
  "Europe/Athens", "Europe/Paris", "Europe/London", "Atlantic/Azores", "America/Noronha", "America/Sao_Paulo", "America/Halifax", "America/New_York", "America/Chicago", "America/Denver",
  "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "Pacific/Pago_Pago", "Asia/Kathmandu", "Asia/Tehran", "Australia/Adelaide", "Asia/Yangon", "America/St_Johns", "Pacific/Chatham",
];
const COUNTRIES = ["FR", "BE", "DE", "US", "GB", "ES", "IT", "JP", "BR", "IN"];

async function port(): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (!RESERVED_PORTS.has(p)) return p;
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => (x < 10 ? x.toFixed(1) : fmt(x));

function inserts(table: string, columns: string[], rows: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) out.push(`INSERT INTO ${table} (${columns.join(", ")}) VALUES\n${rows.slice(i, i + ROWS_PER_INSERT).join(",\n")};`);
  return out;
}

/** N subscribers over 30 timezones and 10 countries, 10 % tagged vip, seen over the last 90 days;
 *  half linked to a user with { orders }, 5 % with a click in the last 30 days. */
async function seed(persistDir: string, siteId: string, notificationId: string) {
  const now = Date.now();
  const site = sqlText(siteId);
  const pad = (i: number) => String(i).padStart(9, "0");
  const subs: string[] = [];
  const users: string[] = [];
  const events: string[] = [];
  for (let i = 0; i < N; i++) {
    const ext = i % 2 === 0 ? sqlText(`u${pad(i)}`) : "NULL";
    const tags = i % 10 === 0 ? `'["vip"]'` : `'[]'`;
    const seen = now - (i % 90) * 86_400_000;
    // Ids end in two random characters, as the app's do (A/B buckets read them).
    const id = `sub_${pad(i)}${randomBytes(2).toString("hex")}`;
    subs.push(`(${sqlText(id)},${site},${sqlText(`https://push.bench.invalid/${i}`)},'p','a',${tags},${ext},'Chrome','Android','en',${sqlText(TIMEZONES[i % 30]!)},${sqlText(COUNTRIES[i % 10]!)},1,${now - 86_400_000},${seen})`);
    if (i % 2 === 0) users.push(`(${sqlText(`eu_${pad(i)}`)},${site},${ext},NULL,NULL,'en','{"orders":${i % 20}}','{}',${now},${now})`);
    if (i % 20 === 0) events.push(`(${sqlText(`evt_${pad(i)}`)},${site},${sqlText(notificationId)},${sqlText(id)},'click',${now - (i % 30) * 86_400_000})`);
  }
  const lines = [
    ...inserts("subscribers", ["id", "site_id", "endpoint", "p256dh", "auth", "tags", "external_id", "browser", "os", "language", "timezone", "country", "active", "subscribed_at", "last_seen_at"], subs),
    ...inserts("site_users", ["id", "site_id", "external_id", "email", "phone", "locale", "attributes", "unreachable", "created_at", "updated_at"], users),
    ...inserts("events", ["id", "site_id", "notification_id", "subscriber_id", "type", "created_at"], events),
  ];
  const file = path.join(persistDir, "seed-automation.sql");
  await writeFile(file, lines.join("\n"));
  await d1ExecuteFile(persistDir, file);
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

async function main() {
  if (!existsSync(path.join(ROOT, "dist/dashboard/index.html"))) throw new Error("run `npm run build` first (the Worker serves dist/)");
  const persistDir = await mkdtemp(path.join(os.tmpdir(), "herald-bench-automation-"));
  // The feed server: FEEDS feeds, each with an ETag that changes when a post is added.
  let generation = 0;
  const feedServer = createServer((req, res) => {
    const etag = `"g${generation}"`;
    if (req.headers["if-none-match"] === etag) return void res.writeHead(304).end();
    const n = Number(/\/feed\/(\d+)/.exec(req.url ?? "")?.[1] ?? 0);
    const items = Array.from({ length: 20 + generation }, (_, k) => `<item><title>Post ${k} of feed ${n}</title><link>https://blog${n}.example.com/${k}</link><guid>f${n}-${k}</guid></item>`).join("");
    res.writeHead(200, { "content-type": "application/rss+xml", etag }).end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ${n}</title>${items}</channel></rss>`);
  });
  const feedPort = await port();
  await new Promise<void>((r) => feedServer.listen(feedPort, "127.0.0.1", r));
  const feedOrigin = `http://127.0.0.1:${feedPort}`;
  let edge: Edge | undefined;
  try {
    const edgePort = await port();
    const secret = () => randomBytes(32).toString("base64");
    const vars = { PUBLIC_URL: `http://127.0.0.1:${edgePort}`, MASTER_KEYS: `1:${secret()}`, JWT_SECRET: secret(), METRICS_TOKEN: randomBytes(16).toString("hex"), ADMIN_TOKEN: randomBytes(16).toString("hex"), OUTBOUND_ALLOW_ORIGINS: feedOrigin };
    await applyMigrations(persistDir);
    edge = await startEdge({ port: edgePort, persistDir, vars, logs: "buffer" });
    const { access_token: token } = await json<{ access_token: string }>(`${edge.origin}/api/auth/register`, {
      method: "POST",
      body: JSON.stringify({ email: `bench-${Date.now()}@example.com`, password: "correct horse battery staple", name: "Bench" }),
    });
    const site = await json<{ id: string }>(`${edge.origin}/api/sites`, { method: "POST", token, body: JSON.stringify({ name: "Automation bench", url: "https://shop.example.com", settings: { timezone: "Europe/Paris" } }) });
    const api0 = <T>(method: string, p: string, body?: unknown) => json<T>(`${edge!.origin}/api/sites/${site.id}${p}`, { method, token, body: body === undefined ? undefined : JSON.stringify(body) });
    const earlier = await api0<{ id: string }>("POST", "/notifications", { title: "Earlier", target: { all: true } });
    await edge.stop();
    edge = undefined;
    let [t] = await timed(() => seed(persistDir, site.id, earlier.id));
    log(`seeded ${fmt(N)} subscribers (${fmt(N / 2)} users, ${fmt(N / 20)} clicks) in ${(t / 1000).toFixed(1)} s`);
    edge = await startEdge({ port: edgePort, persistDir, vars, logs: "buffer" });
    const e = edge;
    const api = <T>(method: string, p: string, body?: unknown) => json<T>(`${e.origin}/api/sites/${site.id}${p}`, { method, token, body: body === undefined ? undefined : JSON.stringify(body) });

    // ── 1. Segment estimates ──
    const tagRule = { op: "and", rules: [{ field: "tag", operator: "has", value: "vip" }] };
    const nested = {
      op: "and",
      rules: [
        { field: "country", operator: "is", value: ["FR", "BE", "DE"] },
        { field: "last_seen", operator: "within_days", value: 30 },
        { op: "or", rules: [{ field: "attribute", key: "orders", operator: "greater_than", value: 10 }, { field: "engaged", operator: "clicked", days: 30 }] },
      ],
    };
    const sample = async (fn: () => Promise<unknown>) => {
      await fn(); // warm
      const xs: number[] = [];
      for (let i = 0; i < SAMPLES; i++) xs.push((await timed(fn))[0]);
      return median(xs);
    };
    const counts: Record<string, number> = {};
    const tagSeg = await sample(async () => (counts.tag = (await api<{ count: number }>("POST", "/segments/estimate", { rules: tagRule })).count));
    const nestedSeg = await sample(async () => (counts.nested = (await api<{ count: number }>("POST", "/segments/estimate", { rules: nested })).count));
    const tagPeer = await sample(async () => (counts.peer = (await api<{ count: number }>("POST", "/audience/count", { target: { tags: { any: ["vip"] } } })).count));
    log(`estimate: tag ${ms(tagSeg)} ms (${fmt(counts.tag!)}), nested ${ms(nestedSeg)} ms (${fmt(counts.nested!)}), peer tag count ${ms(tagPeer)} ms (${fmt(counts.peer!)})`);

    // ── 2. A local-time send to N across 30 timezones, vs the same send held by quiet hours ──
    const decideAll = async (body: Record<string, unknown>) => {
      const n = await api<{ id: string }>("POST", "/notifications", body);
      const t0 = performance.now();
      await api("POST", `/notifications/${n.id}/send`);
      for (;;) {
        const s = await api<{ channels: { web_push?: { deferred: number; targeted: number } } }>("GET", `/notifications/${n.id}`);
        if ((s.channels.web_push?.deferred ?? 0) >= N) return performance.now() - t0;
        if (performance.now() - t0 > 15 * 60_000) throw new Error(`only ${s.channels.web_push?.deferred} of ${N} decided after 15 minutes`);
        await sleep(250);
      }
    };
    const localMs = await decideAll({ title: "Good morning", target: { all: true }, local_delivery: { time: "09:00", date: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10) } });
    log(`local-time send to ${fmt(N)} across 30 timezones decided in ${(localMs / 1000).toFixed(1)} s`);
    await api("PATCH", "", { settings: { quiet_hours: { start: "00:00", end: "23:59", timezone: "UTC" } } });
    const quietMs = await decideAll({ title: "Held by quiet hours", target: { all: true } });
    await api("PATCH", "", { settings: { quiet_hours: null } });
    log(`peer (quiet hours) decided in ${(quietMs / 1000).toFixed(1)} s`);

    // ── 3. RSS: F feeds per cron run ──
    for (let i = 0; i < FEEDS; i += 10) {
      await Promise.all(Array.from({ length: Math.min(10, FEEDS - i) }, (_, k) => api("POST", "/feeds", { name: `Feed ${i + k}`, url: `${feedOrigin}/feed/${i + k}`, target: { tags: { any: ["nobody"] } } })));
    }
    const CRON = "*/15 * * * *";
    let at = Date.now();
    const run = async () => {
      at += 16 * 60_000;
      const [d] = await timed(async () => {
        const res = await fetch(`${e.origin}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(CRON)}&time=${at}`);
        if (!res.ok) throw new Error(`cron: ${res.status} ${await res.text()}`);
      });
      return d;
    };
    const baselineMs = await run();
    generation++;
    const newMs = await run();
    const unchangedMs = await run();
    const feeds = await api<{ data: Array<{ last_error: string | null; items_sent: number }> }>("GET", "/feeds");
    const failed = feeds.data.filter((f) => f.last_error).length;
    const sent = feeds.data.reduce((a, f) => a + f.items_sent, 0);
    if (sent === 0) log(`no feed item was sent; the edge said:\n${e.log().slice(-4000)}`);
    log(`RSS ${FEEDS} feeds: baseline ${ms(baselineMs)} ms, one new item each ${ms(newMs)} ms (${sent} sent, ${failed} failed), all 304 ${ms(unchangedMs)} ms`);

    const cpus = os.cpus();
    const md = `${HEADING}

\`node bench/automation/run.ts --n ${N} --samples ${SAMPLES} --feeds ${FEEDS}\` on ${os.cpus().length} × ${cpus[0]?.model.trim() ?? "CPU"}, ${new Date().toISOString().slice(0, 10)}; wrangler dev (workerd, local D1) on the same machine as the client.

| Measure | Herald | Peer (same run) | Ratio |
| --- | --- | --- | --- |
| Segment estimate, ${fmt(N)} subscribers, one tag (${fmt(counts.tag!)} match) | ${ms(tagSeg)} ms | tag audience count: ${ms(tagPeer)} ms | ${(tagSeg / tagPeer).toFixed(2)}× |
| Segment estimate, nested rule: country, last seen, (attribute or click) (${fmt(counts.nested!)} match) | ${ms(nestedSeg)} ms | tag audience count: ${ms(tagPeer)} ms | ${(nestedSeg / tagPeer).toFixed(2)}× |
| A 09:00-local send to ${fmt(N)} across 30 timezones, planned and every recipient decided | ${(localMs / 1000).toFixed(1)} s | the same send held by quiet hours: ${(quietMs / 1000).toFixed(1)} s | ${(localMs / quietMs).toFixed(2)}× |
| One cron run polling ${FEEDS} RSS feeds, each with one new item (${sent} campaigns created, ${failed} failed) | ${ms(newMs)} ms | the same run, every feed answering 304: ${ms(unchangedMs)} ms | ${(newMs / unchangedMs).toFixed(2)}× |
| One cron run taking ${FEEDS} feeds' baselines (20 items each) | ${ms(baselineMs)} ms | | |

Medians of ${SAMPLES} calls for the estimates (after one warm-up). The local-time figure is the planner plus every batch's decision writing ${fmt(N)} deferred rows; the releases at each timezone's 09:00 are the deferred-send job's, measured with quiet hours in the inbox section's terms. Feed polling runs 6 fetches at a time (Workers' connection limit), at most ${FEEDS} feeds per run.
`;
    console.log(md);
    if (args.includes("--write")) writeSection(HEADING, md);
  } finally {
    await edge?.stop();
    feedServer.close();
    await rm(persistDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
