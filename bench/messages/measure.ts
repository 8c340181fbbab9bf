// One timed send: a campaign (POST …/notifications, then …/send — web push as before the channel
// seam) or a message on one channel (POST …/messages, inline content for that channel, to
// everyone). Timed from the POST that starts the send to the row's completed_at (set by the
// Worker when the last batch finished; same machine, same clock), and checked against what
// the receiving end — the push sink or a provider stand-in — accepted.
import type { Edge } from "../../scripts/lib/edge.ts";
import { groupCpu, json, pidCpu, sleep } from "../lib/local.ts";

export const CHANNELS = ["web_push", "email", "sms", "whatsapp", "fcm"] as const;
export type Channel = (typeof CHANNELS)[number];
export type SendPath = "campaign" | "message";

/** How often the send's status is read (the time itself comes from completed_at). */
const POLL_MS = 250;
/** Give up on a send after this long without progress. */
const STALL_MS = 60_000;
/** Stop waiting for provider reports after this long without one more applied: the stand-ins
 *  post each report 100–200 ms after accepting the message and never again. */
const REPORTS_STALL_MS = 20_000;

const TITLE = "Flash sale: 50% off everything";
const BODY = "Only today. Tap to see the deals before they are gone.";
const URL_ = "https://shop.example.com/sale";
/** The same words on every channel; web push is exactly what bench/push-e2e sends. */
export const CONTENT: Record<Channel, Record<string, unknown>> = {
  web_push: { title: TITLE, body: BODY, url: URL_ },
  email: { subject: TITLE, text: `${BODY}\n\n${URL_}`, html: `<h1>${TITLE}</h1><p>${BODY}</p><p><a href="${URL_}">See the deals</a></p>` },
  sms: { text: `${TITLE}. ${BODY} ${URL_}` },
  whatsapp: { text: `${TITLE}. ${BODY} ${URL_}` },
  fcm: { title: TITLE, body: BODY, url: URL_ },
};

/** Where each provider channel's accepted sends are recorded by the stand-ins, and the address. */
const STAND_IN: Record<Exclude<Channel, "web_push">, { provider: string; path: RegExp; ok: number; address: (body: string) => string }> = {
  email: { provider: "sendgrid", path: /^\/v3\/mail\/send$/, ok: 202, address: (b) => JSON.parse(b).personalizations[0].to[0].email },
  sms: { provider: "twilio", path: /\/Messages\.json$/, ok: 201, address: (b) => new URLSearchParams(b).get("To") ?? "" },
  whatsapp: { provider: "twilio", path: /\/Messages\.json$/, ok: 201, address: (b) => new URLSearchParams(b).get("To") ?? "" },
  fcm: { provider: "fcm", path: /\/messages:send$/, ok: 200, address: (b) => JSON.parse(b).message.token },
};
/** Channels whose provider reports delivery back to Herald (Twilio callbacks, SendGrid events). */
export const REPORTING: ReadonlySet<Channel> = new Set(["email", "sms", "whatsapp"]);

export interface Run {
  n: number;
  path: SendPath;
  channel: Channel;
  /** The provider posted status reports back during this send (email, SMS, WhatsApp). */
  reportsOn: boolean;
  /** POST → completed_at. */
  wallS: number;
  /** What Herald counted for this channel. */
  herald: { targeted: number; sent: number; failed: number };
  /** Accepted by the receiving end (2xx), distinct addresses among them, refused (non-2xx). */
  received: number;
  distinct: number;
  refused: number;
  /** Provider channels: the first send the stand-in accepted, seconds after the POST. */
  firstS?: number;
  /** Channels with provider reports: how many Herald shows delivered, and POST → all of them
   *  (null: some never were — a finding noted in the section, not a failed run: the
   *  throughput and the N accepted are what this benchmark measures). */
  reports?: { delivered: number; doneS: number | null };
  /** CPU seconds from the POST until completion was seen. */
  cpu: { workerdS: number; wranglerS: number; receiverS: number };
  /** FCM: OAuth tokens the stand-in issued for the site's project so far (warm-up included). */
  tokenFetches?: number;
  problems: string[];
}

export interface Context {
  edge: Edge;
  token: string;
  siteId: string;
  n: number;
  sink: { origin: string; pid: number };
  standIns: { origin: string; pid: number };
  fcmProject: string;
}

interface SinkReport {
  received: number;
  duplicate_messages: number;
  rejected: Record<string, number>;
}
interface StandInRecord {
  path: string;
  body: string;
  status: number;
  receivedAt: number;
}
interface Status {
  status: string;
  completed_at: number | null;
  stats?: { targeted: number; sent: number; failed: number; pruned: number };
  channels?: Record<string, { targeted: number; sent: number; delivered: number; failed: number; unreachable: number }>;
}

const counts = (s: Status, channel: Channel) => {
  if (s.stats) return { targeted: s.stats.targeted, sent: s.stats.sent, failed: s.stats.failed + s.stats.pruned, delivered: 0 };
  const c = s.channels?.[channel];
  return { targeted: c?.targeted ?? 0, sent: c?.sent ?? 0, failed: (c?.failed ?? 0) + (c?.unreachable ?? 0), delivered: c?.delivered ?? 0 };
};

/** Polls `url` until `done`, failing after STALL_MS without a change in `progress`. */
async function until(url: string, token: string, done: (s: Status) => boolean, progress: (s: Status) => number, stallMs = STALL_MS): Promise<{ status: Status; stalled: boolean }> {
  let last = -1;
  let since = Date.now();
  for (;;) {
    await sleep(POLL_MS);
    const status = await json<Status>(url, { token });
    if (done(status)) return { status, stalled: false };
    const p = progress(status);
    if (p !== last) [last, since] = [p, Date.now()];
    else if (Date.now() - since > stallMs) return { status, stalled: true };
  }
}

const sumSinkRejected = (r: SinkReport) => Object.values(r.rejected).reduce((a, b) => a + b, 0);
const fcmTokenFetches = async (ctx: Context) =>
  (await json<{ token_fetches: Record<string, number> }>(`${ctx.standIns.origin}/_standin/fcm/stats`)).token_fetches[ctx.fcmProject] ?? 0;

export async function measure(ctx: Context, path: SendPath, channel: Channel, reportsOn: boolean): Promise<Run> {
  const site = `${ctx.edge.origin}/api/sites/${ctx.siteId}`;
  const problems: string[] = [];
  const receiverPid = channel === "web_push" ? ctx.sink.pid : ctx.standIns.pid;
  const sinkBefore = channel === "web_push" ? await json<SinkReport>(`${ctx.sink.origin}/report`) : undefined;
  const campaign = path === "campaign" ? await json<{ id: string }>(`${site}/notifications`, { method: "POST", token: ctx.token, body: JSON.stringify({ ...CONTENT.web_push, target: { all: true } }) }) : undefined;

  const cpu0 = { edge: groupCpu(ctx.edge.process.pid!), receiver: pidCpu(receiverPid) };
  const t0 = Date.now();
  const id = campaign
    ? (await json(`${site}/notifications/${campaign.id}/send`, { method: "POST", token: ctx.token }), campaign.id)
    : (await json<{ id: string }>(`${site}/messages`, { method: "POST", token: ctx.token, body: JSON.stringify({ to: { all: true }, content: { [channel]: CONTENT[channel] } }) })).id;
  const statusUrl = `${site}/${campaign ? "notifications" : "messages"}/${id}`;
  const progress = (s: Status) => ((c) => c.sent + c.failed)(counts(s, channel));
  const { status, stalled } = await until(statusUrl, ctx.token, (s) => s.status !== "sending", progress);
  const cpu1 = { edge: groupCpu(ctx.edge.process.pid!), receiver: pidCpu(receiverPid) };
  if (stalled) problems.push(`the send stalled at ${progress(status)} of ${ctx.n} recorded`);
  else if (status.status !== "completed") problems.push(`the send ended ${status.status}`);
  const herald = counts(status, channel);
  if (herald.targeted !== ctx.n || herald.sent !== ctx.n || herald.failed !== 0) {
    problems.push(`Herald counted targeted ${herald.targeted}, sent ${herald.sent}, failed ${herald.failed} (expected ${ctx.n} sent)`);
  }

  const run: Run = {
    n: ctx.n,
    path,
    channel,
    reportsOn,
    wallS: ((status.completed_at ?? Date.now()) - t0) / 1000,
    herald: { targeted: herald.targeted, sent: herald.sent, failed: herald.failed },
    received: 0,
    distinct: 0,
    refused: 0,
    cpu: {
      workerdS: (cpu1.edge.workerd ?? 0) - (cpu0.edge.workerd ?? 0),
      wranglerS: (cpu1.edge.wrangler ?? 0) - (cpu0.edge.wrangler ?? 0),
      receiverS: cpu1.receiver - cpu0.receiver,
    },
    problems,
  };

  if (channel === "web_push") {
    const after = await json<SinkReport>(`${ctx.sink.origin}/report`);
    run.received = after.received - sinkBefore!.received;
    run.distinct = run.received - (after.duplicate_messages - sinkBefore!.duplicate_messages);
    run.refused = sumSinkRejected(after) - sumSinkRejected(sinkBefore!);
  } else {
    const s = STAND_IN[channel];
    const records = (await json<StandInRecord[]>(`${ctx.standIns.origin}/_standin/records?provider=${s.provider}`)).filter((r) => r.receivedAt >= t0 && s.path.test(r.path));
    const accepted = records.filter((r) => r.status === s.ok);
    run.received = accepted.length;
    run.distinct = new Set(accepted.map((r) => s.address(r.body))).size;
    run.refused = records.length - accepted.length;
    // Twilio is asked for callbacks per message: check the switch did what it says.
    const withCallback = accepted.filter((r) => new URLSearchParams(r.body).has("StatusCallback")).length;
    if (s.provider === "twilio" && withCallback !== (reportsOn ? accepted.length : 0)) {
      problems.push(`${withCallback} of ${accepted.length} Twilio requests asked for status callbacks with reports ${reportsOn ? "on" : "off"}`);
    }
    if (accepted.length) run.firstS = (accepted.reduce((m, r) => Math.min(m, r.receivedAt), Infinity) - t0) / 1000;
  }
  if (run.received !== ctx.n || run.distinct !== ctx.n || run.refused !== 0) {
    problems.push(`the ${channel === "web_push" ? "push sink" : "stand-in"} accepted ${run.received} (${run.distinct} distinct addresses) and refused ${run.refused}; expected exactly ${ctx.n}`);
  }
  if (channel === "fcm") run.tokenFetches = await fcmTokenFetches(ctx);

  // Provider reports keep arriving after completion: wait for them (they would otherwise land
  // in the next channel's measurement) and say how long the whole round trip took.
  if (reportsOn && !stalled) {
    const delivered = (s: Status) => counts(s, channel).delivered;
    const r = await until(statusUrl, ctx.token, (s) => delivered(s) >= ctx.n, delivered, REPORTS_STALL_MS);
    run.reports = { delivered: delivered(r.status), doneS: r.stalled ? null : (Date.now() - t0) / 1000 };
  }
  return run;
}

/** Users in the warm-up message: enough batches' worth of work for the JIT and SQLite's cache. */
export const WARM_UP_USERS = 500;

/**
 * An unmeasured message on every channel at once to the first users, before the measured sends:
 * the first sends after the edge starts run up to twice as slow (JIT, caches), which would
 * otherwise land on whichever channel goes first. Returns what went wrong, if anything.
 */
export async function warmUp(ctx: Context, externalIds: string[]): Promise<string[]> {
  const site = `${ctx.edge.origin}/api/sites/${ctx.siteId}`;
  const { id } = await json<{ id: string }>(`${site}/messages`, { method: "POST", token: ctx.token, body: JSON.stringify({ to: { external_ids: externalIds }, content: CONTENT }) });
  const recorded = (s: Status) => CHANNELS.reduce((sum, c) => ((x) => sum + x.sent + x.failed)(counts(s, c)), 0);
  const { status, stalled } = await until(`${site}/messages/${id}`, ctx.token, (s) => s.status !== "sending", recorded);
  const expected = externalIds.length * CHANNELS.length;
  if (stalled || status.status !== "completed" || recorded(status) !== expected) return [`the warm-up message ended ${status.status} with ${recorded(status)} of ${expected} sends recorded`];
  return [];
}
