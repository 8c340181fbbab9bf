// Benchmark (b): one send end to end — from POST …/send to the last message accepted by
// the push sink — for N subscribers, against the real local edge (wrangler dev on workerd:
// D1, the send queue, the planner and the sender) on this machine.
//
//   node_modules/.bin/node bench/push-e2e/run.ts [--n 10000,100000] [--write] [--profile] [--no-peer]
//
// --profile records a CPU profile of the Worker's isolate (DevTools protocol on wrangler's
// inspector) during each Herald send, writes it to
// $TMPDIR/herald-send-<n>.cpuprofile (open in Chrome DevTools) and prints self time by file.
//
// Needs `npm run build` (the Worker serves dist/). Subscribers are seeded straight into the
// local D1 (sink subscriptions, then multi-row INSERTs through `wrangler d1 execute`), with
// the edge stopped so only one workerd has the database open. The push sink runs in its own
// Node process: it verifies VAPID and decrypts every message, so its CPU is part of the run.
//
// Peer, same run, same sink: web-push (npm) sending the same N messages from this Node 22
// process with 6 requests in flight — the Workers per-invocation connection limit Herald's
// sender keeps to. web-push's sendNotification always uses https.request, so it cannot talk
// to the plain-http sink; the peer uses its generateRequestDetails (encryption + VAPID, all
// of the library's own work) and fetch for the POST. --write replaces this benchmark's
// section in docs/benchmarks.md.
import { execSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import webpush from "web-push";
import { applyMigrations, ROOT, startEdge, type Edge } from "../../scripts/lib/edge.ts";
import { d1ExecuteFile, fmt, freePort, groupCpu, json, pidCpu, s1, sleep, sqlText, startSink, writeSection as writeDocSection } from "../lib/local.ts";

const args = process.argv.slice(2);
const argValue = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const SIZES = (argValue("n") ?? "10000,100000").split(",").map(Number);
const PEER_CONCURRENCY = 6;
/** Rows per INSERT statement when seeding: ~230 B a row, under the 100 kB statement limit D1 (and its local SQLite) enforces. */
const SEED_ROWS_PER_INSERT = 300;
/** How often the sink's report is read during a send (each read walks every subscription). */
const POLL_MS = 200;
/** Give up on a send after this long without a new message at the sink. */
const STALL_MS = 30_000;
const HEADING = "## End-to-end send (wrangler dev + push sink)";

interface SinkSubscription { id: string; endpoint: string; keys: { p256dh: string; auth: string } }
interface SinkReport { received: number; duplicate_messages: number; duplicates: number; by_status: Record<string, number>; rejected: Record<string, number> }
interface Stats { targeted: number; sent: number; failed: number; pruned: number; failed_by_reason: Record<string, number> }

interface Run {
  n: number;
  wallS: number;
  received: number;
  lost: number;
  duplicates: number;
  byStatus: Record<string, number>;
  firstS?: number;
  stats?: Stats;
  cpu?: { workerdS: number; wranglerS: number; sinkS: number };
  queue?: { invocations: number; messages: number; busyS: number; coveredS: number; maxInFlight: number };
}

/** Seeds `subs` as active subscribers of `siteId` straight into the local D1. */
async function seed(persistDir: string, siteId: string, idPrefix: string, subs: SinkSubscription[]): Promise<void> {
  const now = Date.now();
  const lines: string[] = [];
  for (let i = 0; i < subs.length; i += SEED_ROWS_PER_INSERT) {
    const rows = subs.slice(i, i + SEED_ROWS_PER_INSERT).map((s, j) => {
      // Ids sort in creation order, like the app's time-ordered sub_ ids.
      const id = `sub_${idPrefix}${String(i + j).padStart(9, "0")}`;
      return `(${sqlText(id)},${sqlText(siteId)},${sqlText(s.endpoint)},${sqlText(s.keys.p256dh)},${sqlText(s.keys.auth)},'[]',1,${now},${now})`;
    });
    lines.push(`INSERT INTO subscribers (id, site_id, endpoint, p256dh, auth, tags, active, subscribed_at, last_seen_at) VALUES\n${rows.join(",\n")};`);
  }
  const file = path.join(persistDir, `seed-${idPrefix}.sql`);
  await writeFile(file, lines.join("\n"));
  await d1ExecuteFile(persistDir, file);
}

/** Herald: POST …/send, then watch the sink until all N arrived (or it stalls). */
/** A CPU profile of the Worker isolate over `fn` via the inspector wrangler dev exposes. */
async function profiled<T>(inspectorPort: number, n: number, fn: () => Promise<T>): Promise<T> {
  if (!args.includes("--profile")) return fn();
  const targets = await json<{ webSocketDebuggerUrl: string; title?: string }[]>(`http://127.0.0.1:${inspectorPort}/json`);
  const target = targets.find((t) => /herald/.test(t.title ?? "")) ?? targets[0]!;
  // The inspector admits only local/DevTools origins; undici's WebSocket takes extra headers.
  const ws = new (WebSocket as unknown as new (url: string, init: { headers: Record<string, string> }) => WebSocket)(target.webSocketDebuggerUrl, {
    headers: { origin: "http://127.0.0.1" },
  });
  await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
  let seq = 0;
  const pending = new Map<number, (v: unknown) => void>();
  ws.onmessage = (e) => {
    const msg = JSON.parse(String(e.data));
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  };
  const call = (method: string, params: unknown = {}) =>
    new Promise<any>((resolve) => {
      const id = ++seq;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: 200 });
  await call("Profiler.start");
  const result = await fn();
  const { profile } = await call("Profiler.stop");
  ws.close();
  const file = path.join(os.tmpdir(), `herald-send-${n}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  // Self time per file (and the top functions), from sample counts.
  const nodes = new Map<number, { callFrame: { functionName: string; url: string; lineNumber: number } }>();
  for (const node of profile.nodes) nodes.set(node.id, node);
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = profile.samples.length;
  const byFile = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const [id, count] of hits) {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const file = url ? url.replace(/^.*?(node_modules\/|workers\/|durable-objects\/)/, "$1").replace(/\?.*$/, "") : functionName;
    byFile.set(file, (byFile.get(file) ?? 0) + count);
    const fnKey = `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
    byFn.set(fnKey, (byFn.get(fnKey) ?? 0) + count);
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, c]) => `  ${((100 * c) / total).toFixed(1).padStart(5)}%  ${name}`).join("\n");
  console.error(`[bench] CPU profile of the Worker isolate (${file}), self time by file:\n${top(byFile, 15)}\ntop functions:\n${top(byFn, 20)}`);
  return result;
}

async function runHerald(edge: Edge, sinkOrigin: string, sinkPid: number, token: string, siteId: string, n: number, queueLog: string[]): Promise<Run> {
  const base = `${edge.origin}/api/sites/${siteId}/notifications`;
  const { id } = await json<{ id: string }>(base, {
    method: "POST",
    token,
    body: JSON.stringify({ title: "Flash sale: 50% off everything", body: "Only today. Tap to see the deals before they are gone.", url: "https://shop.example.com/sale", target: { all: true } }),
  });
  const before = await json<SinkReport>(`${sinkOrigin}/report`);
  const cpu0 = { edge: groupCpu(edge.process.pid!), sink: pidCpu(sinkPid) };
  queueLog.length = 0;
  const t0 = performance.now();
  await json(`${base}/${id}/send`, { method: "POST", token });
  let first: number | undefined;
  let last = t0;
  let seen = 0;
  let delta = report(before);
  for (;;) {
    await sleep(POLL_MS);
    const r = await json<SinkReport>(`${sinkOrigin}/report`);
    const got = r.received - before.received;
    const t = performance.now();
    if (got > 0 && first === undefined) first = t;
    if (got > seen) [seen, last, delta] = [got, t, report(before, r)];
    if (got >= n || t - last > STALL_MS) break;
  }
  const cpu1 = { edge: groupCpu(edge.process.pid!), sink: pidCpu(sinkPid) };
  // Let the last batch record its outcomes, then read the notification's own numbers.
  let stats: Stats | undefined;
  for (let i = 0; i < 100; i++) {
    const ntf = await json<{ status: string; stats: Stats }>(`${base}/${id}`, { token });
    stats = ntf.stats;
    if (ntf.status !== "sending") break;
    await sleep(200);
  }
  // The broker logs each consumer invocation when it ends, with its duration: rebuild the
  // intervals to see how many ran at once and how long none was running.
  const invocations = queueLog.map((line) => /^([\d.]+) .*QUEUE herald-send (\d+)\/(\d+) \((\d+)ms\)/.exec(line)).filter((m) => m !== null);
  const intervals = invocations.map((m) => [Number(m[1]) - Number(m[4]), Number(m[1])] as const).filter(([, end]) => end >= t0);
  const edges = intervals.flatMap(([a, b]) => [[a, 1], [b, -1]] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let inFlight = 0;
  let maxInFlight = 0;
  let coveredMs = 0;
  let since = 0;
  for (const [t, d] of edges) {
    if (inFlight > 0) coveredMs += t - since;
    inFlight += d;
    since = t;
    maxInFlight = Math.max(maxInFlight, inFlight);
  }
  return {
    n,
    wallS: (last - t0) / 1000,
    firstS: first === undefined ? undefined : (first - t0) / 1000,
    received: seen,
    lost: n - seen,
    duplicates: delta.duplicates,
    byStatus: delta.byStatus,
    stats,
    cpu: {
      workerdS: (cpu1.edge.workerd ?? 0) - (cpu0.edge.workerd ?? 0),
      wranglerS: (cpu1.edge.wrangler ?? 0) - (cpu0.edge.wrangler ?? 0),
      sinkS: cpu1.sink - cpu0.sink,
    },
    queue: {
      invocations: invocations.length,
      messages: invocations.reduce((s, m) => s + Number(m[3]), 0),
      busyS: invocations.reduce((s, m) => s + Number(m[4]), 0) / 1000,
      coveredS: coveredMs / 1000,
      maxInFlight,
    },
  };
}

function report(before: SinkReport, r: SinkReport = before) {
  const byStatus: Record<string, number> = {};
  for (const [k, v] of Object.entries(r.by_status)) if (v - (before.by_status[k] ?? 0)) byStatus[k] = v - (before.by_status[k] ?? 0);
  return { duplicates: r.duplicate_messages - before.duplicate_messages, byStatus };
}

/** The peer: web-push encrypting and signing each message, fetch POSTing it, 6 in flight. */
async function runWebPush(sinkOrigin: string, sinkPid: number, subs: SinkSubscription[], payloadTemplate: Record<string, unknown>): Promise<Run> {
  const vapid = webpush.generateVAPIDKeys();
  const options = { vapidDetails: { subject: "mailto:bench@herald.invalid", publicKey: vapid.publicKey, privateKey: vapid.privateKey }, TTL: 604800 };
  const before = await json<SinkReport>(`${sinkOrigin}/report`);
  const cpu0 = pidCpu(sinkPid);
  const t0 = performance.now();
  let next = 0;
  let errors = 0;
  const worker = async () => {
    while (next < subs.length) {
      const i = next++;
      const payload = JSON.stringify({ ...payloadTemplate, token: `webpush-${subs.length}-${i}` });
      const req = webpush.generateRequestDetails(subs[i]!, payload, options);
      try {
        const res = await fetch(req.endpoint, { method: req.method, headers: req.headers as Record<string, string>, body: new Uint8Array(req.body as Buffer) });
        await res.arrayBuffer();
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: PEER_CONCURRENCY }, worker));
  const wallS = (performance.now() - t0) / 1000;
  const after = await json<SinkReport>(`${sinkOrigin}/report`);
  const received = after.received - before.received;
  if (errors) console.error(`web-push: ${errors} requests failed at the network level`);
  return { n: subs.length, wallS, received, lost: subs.length - received, ...report(before, after), cpu: { workerdS: 0, wranglerS: 0, sinkS: pidCpu(sinkPid) - cpu0 } };
}

/** Does web-push's own sendNotification reach an http:// endpoint? (It builds an https.request.) */
async function webPushSendsToHttp(sub: SinkSubscription): Promise<string> {
  const vapid = webpush.generateVAPIDKeys();
  try {
    await webpush.sendNotification(sub, "probe", { vapidDetails: { subject: "mailto:bench@herald.invalid", ...vapid }, timeout: 5000 });
    return "yes";
  } catch (e) {
    return `no, it always uses https.request (${(e as NodeJS.ErrnoException).code ?? (e as Error).message.split("\n")[0]})`;
  }
}

function cryptoRateFromDocs(): number | undefined {
  const doc = readFileSync(path.join(ROOT, "docs/benchmarks.md"), "utf8");
  const row = /\|\s*\*\*Herald\*\*[^|]*\|\s*([\d,]+)\s*\|/.exec(doc);
  return row ? Number(row[1]!.replaceAll(",", "")) : undefined;
}

function machine() {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown CPU";
  const load = os.loadavg().map((l) => l.toFixed(2)).join(" ");
  const version = (pkg: string) => JSON.parse(readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version as string;
  return `nproc ${execSync("nproc").toString().trim()}, ${cpu}, load average ${load} at the end of the run, Node ${process.versions.node}, wrangler ${version("wrangler")}, miniflare ${version("miniflare")}, web-push ${version("web-push")}`;
}

function markdown(herald: Run[], peer: Run[], probe: string, config: string) {
  const cryptoRate = cryptoRateFromDocs();
  const rows: string[] = [];
  for (let i = 0; i < herald.length; i++) {
    const h = herald[i]!;
    const p = peer[i]!;
    rows.push(`| **Herald** (wrangler dev: planner → queue → sender) | ${fmt(h.n)} | ${s1(h.wallS)} | ${fmt(h.received / h.wallS)} | ${fmt(h.lost)} | ${fmt(h.duplicates)} | ${(p.wallS / h.wallS).toFixed(2)}× |`);
    rows.push(`| web-push ${PEER_CONCURRENCY} in flight (Node) | ${fmt(p.n)} | ${s1(p.wallS)} | ${fmt(p.received / p.wallS)} | ${fmt(p.lost)} | ${fmt(p.duplicates)} | 1.00× |`);
  }
  const breakdown = herald.map((h) => {
    const consumerS = h.wallS - (h.firstS ?? 0);
    const cryptoS = cryptoRate ? h.n / cryptoRate : undefined;
    const q = h.queue!;
    const c = h.cpu!;
    return [
      `- **N = ${fmt(h.n)}**: ${s1(h.wallS)} s send → last delivery; stats targeted ${h.stats?.targeted}, sent ${h.stats?.sent}, failed ${h.stats?.failed}; sink statuses ${JSON.stringify(h.byStatus)}.`,
      `  - Planner (send → first delivery at the sink): ${s1(h.firstS ?? NaN)} s — includes up to max_batch_timeout for the lone plan message, paging the ids, saving the cut and enqueueing ${fmt(Math.ceil(h.n / batchSize()))} deliver messages.`,
      `  - Consumer: ${fmt(h.received / consumerS)} deliveries/s over ${s1(consumerS)} s; ${q.invocations} queue invocations (${fmt(q.messages)} messages), at most ${q.maxInFlight} running at once, none running for ${s1(Math.max(0, h.wallS - q.coveredS))} s of the wall time. (Local Queues dispatch one batch at a time — two only when a batch fills while a timeout-started one still runs — so max_concurrency has no effect here.)`,
      `  - Crypto: ${cryptoS ? `${s1(cryptoS)} s of one core at ${fmt(cryptoRate!)} msgs/s (push-crypto bench) = ${Math.round((100 * cryptoS) / h.wallS)}% of the wall time` : "no push-crypto figure in this file"}.`,
      `  - CPU during the send: workerd ${s1(c.workerdS)} s (${Math.round((100 * c.workerdS) / h.wallS)}% of one core; the Worker, D1's SQLite and the queue broker), wrangler's Node proxy ${s1(c.wranglerS)} s, push sink ${s1(c.sinkS)} s (HTTP + VAPID check + decrypt, ${Math.round((100 * c.sinkS) / h.wallS)}% of a core).`,
      `  - CPU per delivered message: workerd ${((1000 * c.workerdS) / h.n).toFixed(2)} ms + push sink ${((1000 * c.sinkS) / h.n).toFixed(2)} ms; ${fmt(h.n)} in 60 s would need ${(((c.workerdS + c.sinkS) / 60)).toFixed(1)} fully free cores for these two processes alone (this machine: ${os.cpus().length}, shared).`,
      `  - D1: per deliver message 5 round trips (notification, recipients with their delivery check, site settings, delivery insert, finish batch) + 2 Durable Object calls (live counters), i.e. ${fmt((Math.ceil(h.n / batchSize()) * 5))} D1 queries for this send, plus ${fmt(h.n)} delivery rows.`,
    ].join("\n");
  });
  const ratios = herald.map((h, i) => `${fmt(h.n)}: Herald ${(peer[i]!.wallS / h.wallS).toFixed(2)}× the speed of web-push`).join("; ");
  return [
    HEADING,
    "",
    "One send to N subscribers on this machine, from `POST …/send` to the last message accepted",
    "by the local push sink (which checks VAPID and decrypts every message, in its own Node",
    "process). Herald runs in `wrangler dev` (workerd, local D1 and Queues); subscribers are",
    "seeded straight into the local D1. The peer is web-push sending the same N messages to the",
    `same sink from Node with ${PEER_CONCURRENCY} requests in flight. Does web-push's sendNotification reach an http://`,
    `endpoint? ${probe} — so the peer uses its generateRequestDetails (encryption + VAPID) and fetch.`,
    "web-push signs a new VAPID JWT per message, so the sink verifies a signature per message for",
    "it (Herald reuses one per push-service origin); a real push service pays that too.",
    "Lost = N − messages the sink accepted; duplicates = messages the sink saw twice (same token).",
    "",
    "```",
    `node_modules/.bin/node bench/push-e2e/run.ts --n ${SIZES.join(",")} --write`,
    "```",
    "",
    `Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}. Config: ${config}.`,
    "",
    "| Sender | N | wall s | delivered/s | lost | duplicates | speed vs web-push |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    `Ratios (web-push wall time ÷ Herald wall time): ${ratios}. Target: 100,000 in ≤ 60 s, zero lost, zero duplicates — ${verdict(herald)}.`,
    "",
    "Where Herald's time goes:",
    "",
    ...breakdown,
    "",
  ].join("\n");
}

function verdict(herald: Run[]) {
  const h = herald.find((r) => r.n === 100_000);
  if (!h) return "not measured in this run";
  const c = h.cpu!;
  return h.wallS <= 60 && h.lost === 0 && h.duplicates === 0
    ? "met"
    : `${h.lost === 0 && h.duplicates === 0 ? "nothing lost or repeated, but " : ""}${s1(h.wallS)} s: on this machine the Worker and the sink together need ${s1(c.workerdS + c.sinkS)} CPU seconds for it (see below), more than 2 shared cores give in 60 s`;
}

function batchSize() {
  return Number(/SEND_BATCH_SUBSCRIBERS = ([\d_]+)/.exec(readFileSync(path.join(ROOT, "workers/config.ts"), "utf8"))?.[1]!.replaceAll("_", ""));
}

function configLine() {
  const cfg = readFileSync(path.join(ROOT, "workers/config.ts"), "utf8");
  const get = (k: string) => /= ([\d_]+)/.exec(cfg.slice(cfg.indexOf(`const ${k}`)))?.[1];
  const toml = readFileSync(path.join(ROOT, "wrangler.toml"), "utf8");
  const consumer = /\[\[queues\.consumers\]\]\s*\nqueue = "herald-send"\n([\s\S]*?)\n\n/.exec(toml)?.[1] ?? "";
  const settings = [...consumer.matchAll(/^(max_batch_size|max_batch_timeout|max_concurrency)\s*=\s*(\d+)/gm)].map((m) => `${m[1]} ${m[2]}`);
  return `SEND_BATCH_SUBSCRIBERS ${get("SEND_BATCH_SUBSCRIBERS")}, PUSH_CONCURRENCY ${get("PUSH_CONCURRENCY")}, PLANNER_PAGE_IDS ${get("PLANNER_PAGE_IDS")}, send queue ${settings.join(", ")}`;
}

function writeSection(md: string) {
  writeDocSection(HEADING, md);
}

async function main() {
  if (!existsSync(path.join(ROOT, "dist/dashboard/index.html"))) throw new Error("run `npm run build` first (the Worker serves dist/)");
  const persistDir = await mkdtemp(path.join(os.tmpdir(), "herald-bench-e2e-"));
  const sink = await startSink();
  const secret = () => randomBytes(32).toString("base64");
  const vars = { EXTRA_PUSH_ORIGINS: sink.origin, MASTER_KEYS: `1:${secret()}`, JWT_SECRET: secret(), METRICS_TOKEN: randomBytes(16).toString("hex"), ADMIN_TOKEN: randomBytes(16).toString("hex") };
  const [port, inspectorPort] = [await freePort(), await freePort()];
  let edge: Edge | undefined;
  const log = (m: string) => console.error(`[bench] ${m}`);
  try {
    await applyMigrations(persistDir);
    edge = await startEdge({ port, inspectorPort, persistDir, vars, logs: "buffer" });
    const { access_token: token } = await json<{ access_token: string }>(`${edge.origin}/api/auth/register`, {
      method: "POST",
      body: JSON.stringify({ email: `bench-${Date.now()}@example.com`, password: "correct horse battery staple", name: "Bench" }),
    });
    const sites: { id: string }[] = [];
    for (const n of SIZES) sites.push(await json(`${edge.origin}/api/sites`, { method: "POST", token, body: JSON.stringify({ name: `Bench ${n}`, url: "https://shop.example.com" }) }));
    // Seed with the edge stopped: one workerd at a time on the local D1 files.
    await edge.stop();
    edge = undefined;
    const subsBySize: SinkSubscription[][] = [];
    for (const [i, n] of SIZES.entries()) {
      const t = performance.now();
      const subs = await json<SinkSubscription[]>(`${sink.origin}/subscriptions`, { method: "POST", body: JSON.stringify({ count: n }) });
      await seed(persistDir, sites[i]!.id, `${i}`, subs);
      subsBySize.push(subs);
      log(`seeded ${fmt(n)} subscribers in ${s1((performance.now() - t) / 1000)} s`);
    }
    edge = await startEdge({ port, inspectorPort, persistDir, vars, logs: "buffer" });
    const queueLog: string[] = [];
    const onLine = (d: Buffer) => {
      for (const line of String(d).split("\n")) if (line.includes("QUEUE herald-send ")) queueLog.push(`${performance.now()} ${line}`);
    };
    edge.process.stdout?.on("data", onLine);
    edge.process.stderr?.on("data", onLine);

    const probe = await webPushSendsToHttp(subsBySize[0]![0]!);
    log(`web-push sendNotification to http://: ${probe}`);
    const herald: Run[] = [];
    const peer: Run[] = [];
    for (const [i, n] of SIZES.entries()) {
      log(`Herald: sending to ${fmt(n)}…`);
      const h = await profiled(inspectorPort, n, () => runHerald(edge!, sink.origin, sink.child.pid!, token, sites[i]!.id, n, queueLog));
      herald.push(h);
      log(`Herald ${fmt(n)}: ${s1(h.wallS)} s (first delivery ${s1(h.firstS ?? NaN)} s), ${fmt(h.received / h.wallS)}/s, lost ${h.lost}, duplicates ${h.duplicates}, ${JSON.stringify(h.cpu)} ${JSON.stringify(h.queue)} stats ${JSON.stringify(h.stats)}`);
      const sample = await json<{ messages: { payload: Record<string, unknown> }[] }>(`${sink.origin}/messages/${subsBySize[i]![0]!.id}`);
      if (args.includes("--no-peer")) continue;
      log(`web-push: sending to ${fmt(n)}…`);
      const p = await runWebPush(sink.origin, sink.child.pid!, subsBySize[i]!, sample.messages[0]?.payload ?? { title: "Flash sale" });
      peer.push(p);
      log(`web-push ${fmt(n)}: ${s1(p.wallS)} s, ${fmt(p.received / p.wallS)}/s, lost ${p.lost}, duplicates ${p.duplicates}, sink cpu ${s1(p.cpu!.sinkS)} s`);
    }
    if (peer.length < herald.length) return;
    const md = markdown(herald, peer, probe, configLine());
    console.log(md);
    if (args.includes("--write")) writeSection(md);
  } finally {
    await edge?.stop();
    sink.stop();
    await rm(persistDir, { recursive: true, force: true });
  }
}

await main();
