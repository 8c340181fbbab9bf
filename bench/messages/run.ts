// Benchmark: messages per second through the multi-channel orchestration (issue #8 "Tests and
// figures"), one channel at a time, in workerd against the local stand-ins — and Web Push
// through POST …/messages against the campaign path it had before the channel seam.
//
//   node_modules/.bin/node bench/messages/run.ts [--n 2000,10000] [--write]
//
// Needs `npm run build` (the Worker serves dist/). Per N, one site: its providers are added
// through the API (setup.ts: SendGrid, Twilio SMS + WhatsApp, FCM, pointed at the stand-ins),
// then with the edge stopped N users are seeded straight into the local D1, each with an email,
// a phone, an FCM device and a push-sink subscription linked by external_id (seed.ts). With
// the edge up again, an unmeasured warm-up message on every channel to the first 500 users
// (measure.ts), then in this order: a campaign (POST …/notifications + …/send, web push to
// everyone), a message on web push, then email, SMS, WhatsApp, FCM, then web push and the
// campaign once more (ABBA, so drift on a shared machine hits both web push paths alike).
// Each send goes to { all: true } and is timed from its POST to its completed_at
// (measure.ts); the push sink or the stand-in must have accepted exactly N distinct
// addresses, or the run fails instead of reporting a figure. Email, SMS and WhatsApp go twice:
// with their providers' status reports posted back during the send (SendGrid events, Twilio
// callbacks), as in production — the run waits for all of them before the next send — and
// without (setup.ts), which times the orchestration alone.
//
// --only email,sms sends just those channels' messages (while developing; no figures).
//
// The edge, the push sink and the provider stand-ins each run in their own process on
// loopback ports picked free (never 8787/8790/8791, which npm start uses), sharing this
// machine's cores. --write replaces this benchmark's section in docs/benchmarks.md.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { applyMigrations, ROOT, startEdge, type Edge } from "../../scripts/lib/edge.ts";
import { providerOriginOverrides } from "../../scripts/local/providers/server.ts";
import { fmt, freePort, json, s1, sleep, startNodeService, writeSection } from "../lib/local.ts";

type Service = Awaited<ReturnType<typeof startNodeService>>;
import { CHANNELS, measure, REPORTING, WARM_UP_USERS, warmUp, type Channel, type Context, type Run, type SendPath } from "./measure.ts";
import { HEADING, markdown } from "./report.ts";
import { benchUser, seedUsers, type SinkSubscription } from "./seed.ts";
import { configureProviders, type ReportingChannel, type SiteProviders } from "./setup.ts";

const args = process.argv.slice(2);
const argValue = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const SIZES = (argValue("n") ?? "2000,10000").split(",").map(Number);
/** Ports npm start and the lead's end-to-end runs may hold. */
const RESERVED_PORTS = new Set([8787, 8790, 8791]);
/** A pause between sends, so one send's queue tail and callbacks never overlap the next. */
const BETWEEN_SENDS_MS = 1000;

const log = (m: string) => console.error(`[bench] ${m}`);

async function port(): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (!RESERVED_PORTS.has(p)) return p;
  }
}

/** One send: how, on which channel, with the provider's status reports or without. */
type Step = [SendPath, Channel, boolean];
/** Every channel's message; a reporting channel twice, with its provider reports and without
 *  (the orchestration alone). */
const channelSteps = (channels: readonly Channel[]): Step[] =>
  channels.flatMap((c): Step[] => (REPORTING.has(c) ? [["message", c, true], ["message", c, false]] : [["message", c, false]]));
/** The order of sends per N: ABBA around the other channels for the two web push paths.
 *  --only email,sms (while developing) sends just those messages, no figures written. */
const ONLY = argValue("only")?.split(",") as Channel[] | undefined;
const ORDER: Step[] = ONLY
  ? channelSteps(ONLY)
  : [["campaign", "web_push", false], ["message", "web_push", false], ...channelSteps(CHANNELS.filter((c) => c !== "web_push")), ["message", "web_push", false], ["campaign", "web_push", false]];

/** Provider reports the stand-ins posted back that Herald did not take (any status but 2xx). */
async function refusedReports(standIns: string): Promise<string[]> {
  const twilio = await json<Array<{ status: number | null; error?: string }>>(`${standIns}/_standin/twilio/callbacks`);
  const sendgrid = await json<Array<{ status: number | null; error?: string }>>(`${standIns}/_standin/sendgrid/event-posts`);
  const bad = (posts: Array<{ status: number | null; error?: string }>) => posts.filter((p) => p.status === null || p.status < 200 || p.status > 299);
  const out: string[] = [];
  for (const [name, posts] of [["Twilio status callbacks", twilio], ["SendGrid event posts", sendgrid]] as const) {
    const b = bad(posts);
    if (b.length) out.push(`${b.length} of ${posts.length} ${name} were not answered 2xx (first: ${b[0]!.status ?? b[0]!.error})`);
  }
  return out;
}

async function main() {
  if (!existsSync(path.join(ROOT, "dist/dashboard/index.html"))) throw new Error("run `npm run build` first (the Worker serves dist/)");
  if (SIZES.some((n) => !Number.isInteger(n) || n < 1 || n > 100_000)) throw new Error("--n takes sizes from 1 to 100000, comma-separated");
  const unknown = ONLY?.filter((c) => !CHANNELS.includes(c));
  if (unknown?.length) throw new Error(`--only takes channels among ${CHANNELS.join(", ")}; not ${unknown.join(", ")}`);
  const persistDir = await mkdtemp(path.join(os.tmpdir(), "herald-bench-messages-"));
  let sink: Service | undefined;
  let standIns: Service | undefined;
  let edge: Edge | undefined;
  const stopAll = async () => {
    await edge?.stop();
    sink?.stop();
    standIns?.stop();
    await rm(persistDir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => void stopAll().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    sink = await startNodeService("test/push-sink/main.ts", await port(), "listening");
    standIns = await startNodeService("scripts/local/providers/main.ts", await port(), "listening");
    const edgePort = await port();
    const secret = () => randomBytes(32).toString("base64");
    const vars = {
      EXTRA_PUSH_ORIGINS: sink.origin,
      OUTBOUND_ALLOW_ORIGINS: standIns.origin,
      PROVIDER_ORIGIN_OVERRIDES: providerOriginOverrides(standIns.origin),
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
    const sites: Array<{ id: string; tag: string; providers: SiteProviders }> = [];
    for (const [i, n] of SIZES.entries()) {
      const tag = String.fromCharCode(97 + i);
      const { id } = await json<{ id: string }>(`${edge.origin}/api/sites`, { method: "POST", token, body: JSON.stringify({ name: `Bench ${n}`, url: "https://shop.example.com" }) });
      sites.push({ id, tag, providers: await configureProviders(edge.origin, standIns.origin, token, id, tag) });
    }
    // Seed with the edge stopped: one workerd at a time on the local D1 files.
    await edge.stop();
    edge = undefined;
    for (const [i, n] of SIZES.entries()) {
      const t = performance.now();
      const subs = await json<SinkSubscription[]>(`${sink.origin}/subscriptions`, { method: "POST", body: JSON.stringify({ count: n }) });
      await seedUsers(persistDir, sites[i]!.id, sites[i]!.tag, subs);
      log(`seeded ${fmt(n)} users (email, phone, FCM device, push subscription each) in ${s1((performance.now() - t) / 1000)} s`);
    }
    edge = await startEdge({ port: edgePort, persistDir, vars, logs: "buffer" });
    // The Worker's errors and warnings, reported with a failed run (the log() tail is short), and
    // reloads: wrangler dev rebuilds the Worker when a source file changes — in a tree others are
    // editing, that restarts workerd mid-send, losing the in-memory queue and the CPU counters.
    const errors: string[] = [];
    const reloads: number[] = [];
    const onLine = (d: Buffer) => {
      for (const line of String(d).split("\n")) {
        if (/Reloading local server/.test(line)) reloads.push(Date.now());
        if (/error|exception|warn|✘|▲/i.test(line) && errors.length < 200) errors.push(line);
      }
    };
    edge.process.stdout?.on("data", onLine);
    edge.process.stderr?.on("data", onLine);

    const runs: Run[] = [];
    for (const [i, n] of SIZES.entries()) {
      const ctx: Context = {
        edge,
        token,
        siteId: sites[i]!.id,
        n,
        sink: { origin: sink.origin, pid: sink.child.pid! },
        standIns: { origin: standIns.origin, pid: standIns.child.pid! },
        fcmProject: sites[i]!.providers.fcmProject,
      };
      for (const c of REPORTING) await sites[i]!.providers.setReports(c as ReportingChannel, false);
      log(`N = ${fmt(n)}: warm-up message on every channel to ${fmt(Math.min(n, WARM_UP_USERS))} users (not measured)…`);
      const warm = await warmUp(ctx, Array.from({ length: Math.min(n, WARM_UP_USERS) }, (_, k) => benchUser(sites[i]!.tag, k).externalId));
      if (warm.length) throw new Error(`N = ${fmt(n)}: ${warm.join("; ")}`);
      for (const [sendPath, channel, reports] of ORDER) {
        if (REPORTING.has(channel)) await sites[i]!.providers.setReports(channel as ReportingChannel, reports);
        await sleep(BETWEEN_SENDS_MS);
        log(`N = ${fmt(n)}: ${sendPath === "campaign" ? "campaign (web push)" : `message on ${channel}${REPORTING.has(channel) ? `, provider reports ${reports ? "on" : "off"}` : ""}`}…`);
        const started = Date.now();
        const r = await measure(ctx, sendPath, channel, reports);
        if (reloads.some((t) => t >= started)) {
          r.problems.unshift("wrangler dev reloaded the Worker during this send (a source file changed): run again while nobody edits workers/");
        }
        runs.push(r);
        log(
          `  ${s1(r.wallS)} s → ${fmt(n / r.wallS)}/s; received ${r.received} (${r.distinct} distinct), refused ${r.refused}; cpu ${JSON.stringify(r.cpu)}` +
            (r.reports ? `; reports ${r.reports.doneS === null ? `stopped at ${r.reports.delivered} delivered` : `done ${s1(r.reports.doneS)} s`}` : "") +
            (r.tokenFetches !== undefined ? `; FCM tokens fetched so far ${r.tokenFetches}` : "") +
            (r.problems.length ? `\n  PROBLEMS: ${r.problems.join("; ")}` : ""),
        );
      }
    }
    const problems = runs.flatMap((r) => r.problems.map((p) => `N = ${fmt(r.n)}, ${r.path} ${r.channel}: ${p}`));
    const refused = await refusedReports(standIns.origin);
    if (refused.length) log(`${refused.join("; ")}; the Worker's errors and warnings:\n${errors.join("\n").slice(0, 20_000)}`);
    if (problems.length) {
      console.error(`\nThe run failed — no figures reported:\n- ${problems.join("\n- ")}\n\nthe Worker's errors and warnings (first ${errors.length}):\n${errors.join("\n").slice(0, 20_000)}`);
      process.exitCode = 1;
      return;
    }
    if (ONLY) return;
    const md = markdown(runs, SIZES, refused);
    console.log(md);
    if (args.includes("--write")) writeSection(HEADING, md);
  } finally {
    await stopAll();
  }
}

await main();
