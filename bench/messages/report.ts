// The benchmark's section of docs/benchmarks.md, from the runs of bench/messages/run.ts.
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "../../scripts/lib/edge.ts";
import { fmt, s1 } from "../lib/local.ts";
import { CHANNELS, REPORTING, WARM_UP_USERS, type Channel, type Run } from "./measure.ts";

export const HEADING = "## Messages per channel (wrangler dev + provider stand-ins)";

const LABEL: Record<Channel, string> = { web_push: "web push", email: "email (SendGrid)", sms: "SMS (Twilio)", whatsapp: "WhatsApp (Twilio)", fcm: "FCM" };

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ms2 = (s: number, n: number) => ((1000 * s) / n).toFixed(2);

function machine() {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(" ");
  const version = (pkg: string) => JSON.parse(readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version as string;
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"} (os.cpus()), load average ${load} at the end of the run, Node ${process.versions.node}, wrangler ${version("wrangler")}, miniflare ${version("miniflare")}`;
}

function configLine() {
  const cfg = readFileSync(path.join(ROOT, "workers/config.ts"), "utf8");
  const get = (k: string) => /= ([\d_]+)/.exec(cfg.slice(cfg.indexOf(`const ${k}`)))?.[1];
  const toml = readFileSync(path.join(ROOT, "wrangler.toml"), "utf8");
  const consumer = /\[\[queues\.consumers\]\]\s*\nqueue = "herald-send"\n([\s\S]*?)\n\n/.exec(toml)?.[1] ?? "";
  const settings = [...consumer.matchAll(/^(max_batch_size|max_batch_timeout|max_concurrency)\s*=\s*(\d+)/gm)].map((m) => `${m[1]} ${m[2]}`);
  return `SEND_BATCH_SUBSCRIBERS ${get("SEND_BATCH_SUBSCRIBERS")}, PUSH_CONCURRENCY ${get("PUSH_CONCURRENCY")} (requests in flight per batch, every channel), SEND_RECORD_CHUNK ${get("SEND_RECORD_CHUNK")}, send queue ${settings.join(", ")}`;
}

/** One table row for the runs of one channel, path and reports setting (two for web push). */
function row(runs: Run[], webPushMessageWallS: number): string {
  const r0 = runs[0]!;
  const n = r0.n;
  const wall = mean(runs.map((r) => r.wallS));
  const walls = runs.map((r) => s1(r.wallS)).join(", ");
  const cpu = (pick: (r: Run) => number) => ms2(mean(runs.map(pick)), n);
  const what = r0.path === "campaign" ? "web push, campaign (`…/notifications` + `…/send`)" : `${LABEL[r0.channel]}, message`;
  const reports = !REPORTING.has(r0.channel) ? "none" : !r0.reportsOn ? "off" : r0.reports?.doneS == null ? `on: only ${fmt(r0.reports?.delivered ?? 0)} of ${fmt(n)} applied` : `on: all in ${s1(r0.reports.doneS)} s`;
  const first = r0.firstS === undefined ? "—" : s1(r0.firstS);
  return `| ${fmt(n)} | ${what} | ${reports} | ${walls} | **${fmt(n / wall)}** | ${(webPushMessageWallS / wall).toFixed(2)}× | ${first} | ${cpu((r) => r.cpu.workerdS)} ms | ${cpu((r) => r.cpu.receiverS)} ms |`;
}

export function markdown(runs: Run[], sizes: number[], refusedReports: string[]): string {
  const rows: string[] = [];
  const seam: string[] = [];
  const alone: string[] = [];
  const tokens: string[] = [];
  for (const n of sizes) {
    const of = (p: Run["path"], c: Channel, reportsOn = false) => runs.filter((r) => r.n === n && r.path === p && r.channel === c && r.reportsOn === reportsOn);
    const campaign = of("campaign", "web_push");
    const viaMessages = of("message", "web_push");
    const wpWall = mean(viaMessages.map((r) => r.wallS));
    const cWall = mean(campaign.map((r) => r.wallS));
    rows.push(row(campaign, wpWall), row(viaMessages, wpWall));
    for (const c of CHANNELS) {
      if (c === "web_push") continue;
      if (REPORTING.has(c)) rows.push(row(of("message", c, true), wpWall));
      rows.push(row(of("message", c), wpWall));
    }
    const cpuRatio = mean(viaMessages.map((r) => r.cpu.workerdS)) / mean(campaign.map((r) => r.cpu.workerdS));
    seam.push(
      `N = ${fmt(n)}: ${fmt(n / wpWall)}/s through messages against ${fmt(n / cWall)}/s as a campaign — **${(cWall / wpWall).toFixed(2)}×** the campaign's speed ` +
        `(walls ${viaMessages.map((r) => s1(r.wallS)).join(", ")} s against ${campaign.map((r) => s1(r.wallS)).join(", ")} s), workerd CPU per push ${cpuRatio.toFixed(2)}× the campaign's`,
    );
    const quiet = CHANNELS.filter((c) => c !== "web_push").map((c) => `${LABEL[c]} ${fmt(n / of("message", c)[0]!.wallS)}/s`);
    const reportCost = [...REPORTING].map((c) => {
      const [on, off] = [of("message", c, true)[0]!, of("message", c)[0]!];
      return `${LABEL[c]} +${ms2(on.cpu.workerdS - off.cpu.workerdS, n)} ms`;
    });
    alone.push(`N = ${fmt(n)}: ${quiet.join(", ")} against web push ${fmt(n / wpWall)}/s; the reports add workerd CPU per message: ${reportCost.join(", ")}`);
    const fcm = of("message", "fcm")[0];
    if (fcm) tokens.push(`N = ${fmt(n)}: ${fcm.tokenFetches} for ${fmt(n + Math.min(n, WARM_UP_USERS))} FCM messages`);
  }
  const checks = runs.length;
  const lost = runs.filter((r) => r.reportsOn && r.reports?.doneS == null);
  const reportNotes = [
    ...lost.map((r) => `N = ${fmt(r.n)}, ${LABEL[r.channel]}: Herald shows ${fmt(r.reports?.delivered ?? 0)} of ${fmt(r.n)} delivered; the other reports were posted by the stand-in but never applied.`),
    ...refusedReports.map((x) => `${x}.`),
  ];
  return [
    HEADING,
    "",
    "One message to N users at a time, one channel per send, through the whole orchestration in",
    "`wrangler dev` (workerd, local D1 and Queues: route → planner → queue → sender → channel →",
    "provider), timed from the `POST` that starts the send to the send's `completed_at` (written",
    "by the Worker when its last batch finished). Each of the N users has an email, a phone, an FCM",
    "device and a web push subscription (seeded straight into the local D1); the site's providers",
    "were added through the integrations API and point at the local stand-ins",
    "(`scripts/local/providers`: SendGrid, Twilio, FCM with its OAuth token endpoint) and the push",
    "sink. Every send went to `{ all: true }` with inline content for its one channel; the push",
    "sink or the stand-in must accept exactly N distinct addresses, with nothing refused, or the",
    "run fails without figures. Web push is sent four times per N, as a campaign (the path from",
    "before the channel seam, like the end-to-end benchmark above) and as a message, in the order",
    "campaign, message, …other channels…, message, campaign, and the two are compared. Before",
    `them, one unmeasured message on every channel to the first ${WARM_UP_USERS} users warms the edge up.`,
    "",
    "Email, SMS and WhatsApp are sent twice. With provider reports on, as in production, the",
    "providers report back while the send runs (SendGrid's signed Event Webhook, one post per",
    "message; Twilio's signed status callbacks, sent and delivered, two per message), so workerd",
    "also verifies and records those, and the run waits until Herald shows every message",
    "delivered before the next send. With reports off (SendGrid's webhook disabled; a Twilio",
    "integration with the API key only, for which Herald asks no callbacks) the figure is the",
    "orchestration alone.",
    "",
    "What shares this machine's cores during a send: workerd (the Worker, D1's SQLite, the queue",
    "broker), wrangler's Node proxy, and the receiving end in its own Node process — the push sink",
    "(checks VAPID and decrypts every message) or the provider stand-ins (parse and validate each",
    "request, and post the status reports back). The stand-ins' CPU is part of every figure; on a",
    "real deployment it is the providers' own.",
    "",
    "```",
    `node_modules/.bin/node bench/messages/run.ts --n ${sizes.join(",")} --write`,
    "```",
    "",
    `Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}. Config: ${configLine()}.`,
    "",
    "| N | Sent as | provider reports | wall s (POST → completed) | messages/s | speed vs web push message | first send at the provider, s | workerd CPU per message | receiver CPU per message |",
    "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    `- **Web Push through the channel seam (messages) against the campaign path, same run:** ${seam.join("; ")}.`,
    `- **The orchestration alone (reports off):** ${alone.join("; ")}.`,
    `- Checks, all ${checks} sends: Herald counted N targeted and N sent with none failed, and the receiving end accepted exactly N distinct addresses and refused none; Twilio was asked for status callbacks on every message with reports on and on none with them off.`,
    reportNotes.length
      ? `- **Provider reports not applied** (a finding, not part of the throughput): ${reportNotes.join(" ")}`
      : "- Provider reports: every one the stand-ins posted was answered 2xx, and Herald showed all N messages delivered on each send with reports on.",
    `- FCM OAuth tokens Herald fetched from the token endpoint for the site's project over the whole run, warm-up and FCM send together (cached in the isolate until shortly before the hour is up): ${tokens.join("; ")}.`,
    "- Receiver CPU: the push sink for web push, the stand-ins' process (with the reports it posts) for the others.",
    "- Single runs on a shared machine; the web push rows are the mean of two (both walls shown). Ratios within ±10 % are noise here (see the end-to-end section's notes).",
    "",
  ].join("\n");
}
