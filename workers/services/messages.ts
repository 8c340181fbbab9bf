// Messages (issue #8 §5): one API call that reaches users on every channel they can be reached
// on — web push to their browsers, FCM to their phones, email, SMS, WhatsApp — from inline
// content per channel. A message is a notification of kind "message": it goes through the
// same planner, batches, leases, queue and dead-letter handling as a campaign, so the same
// at-least-once-without-visible-duplicates rules hold. Status is read back per channel and
// per recipient.
//
// Content is inline per channel, or a published template (pinned to its version at creation,
// so every batch — and every retry — renders the same version) rendered per recipient.
import { CHANNEL_IDS, type ChannelId } from "../contracts/channels";
import { failureLabel } from "../contracts/failure-reasons";
import type { MessageContent } from "../contracts/message-content";
import type { LocalDelivery, Priority } from "../contracts/preferences";
import { assertLocalDelivery } from "./preferences/local-delivery";
import type { Target } from "../contracts/target";
import * as mq from "../db/queries/messages";
import * as q from "../db/queries/notifications";
import { findSite } from "../db/queries/sites";
import { ApiError, invalidField } from "../errors";
import { newId } from "../lib/ids";
import { sendMessage } from "../queues/messages";
import type { Deps } from "./deps";
import { resolveTarget } from "./segments";
import { loadPrimaryIntegration } from "./integrations";
import { assertCategoryExists } from "./preferences/categories";
import { sendChannels } from "./sending/planner";
import { loadTemplateForSend, type TemplateForSend } from "./templates";
import { assertPayloadFits, type NotificationContent } from "./sending/payload";

export interface MessageInput {
  to: Target;
  content?: MessageContent;
  template?: string | { key: string; version?: number };
  /** The channels to use; by default every channel the content has a part for. */
  channels?: ChannelId[];
  data?: Record<string, unknown>;
  /** The site category the message belongs to (preferences, digests). */
  category?: string;
  priority?: Priority;
  /** Delivered at this time in each recipient's timezone (issue #10 §2). */
  local_delivery?: LocalDelivery;
}

/** Channels that address users (their email, phone, app or inbox): a target of tags or subscriber
 *  ids names push subscriptions, which only web push can reach. */
const USER_CHANNELS: readonly ChannelId[] = ["in_app", "email", "sms", "whatsapp", "fcm"];
/** Channels that need no provider: web push (the site's own VAPID keys) and the in-app inbox. */
const NO_PROVIDER: readonly ChannelId[] = ["web_push", "in_app"];

/** The channels a template has a part for, in any locale (FCM can use the web push part). */
function templateChannels(t: TemplateForSend): ChannelId[] {
  const parts = new Set<string>();
  for (const variant of t.compiled.locales.values()) for (const [c, part] of Object.entries(variant)) if (part) parts.add(c);
  if (parts.has("web_push")) parts.add("fcm");
  return CHANNEL_IDS.filter((c) => parts.has(c));
}


/**
 * The channels the message goes out on. Named channels must have content and a provider.
 * Without `channels`: inline content's channels (each must have a provider — the caller wrote
 * content for it), or a template's channels that the site can send on (FCM only with a provider).
 */
export async function resolveChannels(deps: Deps, siteId: string, input: MessageInput, template: TemplateForSend | null): Promise<ChannelId[]> {
  const available = template ? templateChannels(template) : (Object.keys(input.content!).filter((k) => input.content![k as keyof MessageContent] !== undefined) as ChannelId[]);
  const missing = (c: ChannelId) => (template ? `The template ${template.key} has no ${c} part` : `The content has nothing for ${c}`);
  // Asked once per channel: a template's default channels are checked here and again below.
  const configured = new Map<ChannelId, Promise<boolean>>();
  const isConfigured = (c: ChannelId) => {
    if (!configured.has(c)) configured.set(c, NO_PROVIDER.includes(c) ? Promise.resolve(true) : loadPrimaryIntegration(deps, siteId, c).then((i) => i !== null));
    return configured.get(c)!;
  };
  let channels: ChannelId[];
  if (input.channels) channels = input.channels;
  else if (template) {
    channels = [];
    for (const c of available) if (await isConfigured(c)) channels.push(c);
    if (!channels.length) throw invalidField("template", `The template ${template.key} has parts only for channels this site has no provider for: ${available.join(", ")}.`);
  } else channels = available;
  for (const [i, c] of channels.entries()) {
    if (!available.includes(c)) throw invalidField(`channels.${i}`, `${missing(c)}: add it, or leave ${c} out.`);
    if (USER_CHANNELS.includes(c) && !("all" in input.to) && !("external_ids" in input.to)) {
      throw invalidField("to", `${c} reaches users: address them with { external_ids: [...] } or { all: true }; tags, subscriber ids and segments name push subscriptions.`);
    }
    if (!(await isConfigured(c))) {
      throw new ApiError("channel_not_configured", `The site has no ${c} provider yet: add one under Integrations, then send again.`, [
        { path: `channels.${i}`, message: `No ${c} integration.` },
      ]);
    }
  }
  return channels;
}

async function resolveTemplate(deps: Deps, siteId: string, ref: MessageInput["template"]): Promise<TemplateForSend | null> {
  if (ref === undefined) return null;
  const { key, version } = typeof ref === "string" ? { key: ref, version: undefined } : ref;
  const t = await loadTemplateForSend(deps, siteId, key, version);
  if (!t) {
    throw new ApiError(
      "not_found",
      version === undefined ? `No published template ${key}: publish it first.` : `Template ${key} has no version ${version}.`,
      [{ path: "template", message: "Not found." }],
    );
  }
  return t;
}

export async function createMessage(deps: Deps, siteId: string, createdBy: string | null, input: MessageInput) {
  const site = await findSite(deps.db, siteId);
  if (!site) throw new ApiError("not_found", "Site not found.");
  await assertCategoryExists(deps, siteId, input.category);
  assertLocalDelivery(input.local_delivery, deps.now());
  await resolveTarget(deps, siteId, input.to, deps.now(), "to"); // a segment must exist (fixed when the send starts)
  const template = await resolveTemplate(deps, siteId, input.template);
  const channels = await resolveChannels(deps, siteId, input, template);
  const now = deps.now();
  const id = newId("ntf", now);
  const { web_push, ...others } = input.content ?? {};
  if (web_push && channels.includes("web_push")) assertPayloadFits(id, web_push as NotificationContent, { icon: site.settings.default_icon ?? null });
  const values: Parameters<typeof q.insertNotification>[1] = {
    id,
    siteId,
    status: "sending",
    kind: "message",
    channels,
    content: (channels.includes("web_push") && web_push ? web_push : {}) as Record<string, unknown>,
    channelContent: Object.fromEntries(Object.entries(others).filter(([c]) => channels.includes(c as ChannelId))),
    template: template && { key: template.key, version: template.version! },
    data: input.data ?? null,
    category: input.category ?? null,
    priority: input.priority ?? "normal",
    localDelivery: input.local_delivery ?? null,
    target: input.to as Record<string, unknown>,
    scheduledAt: null,
    createdBy,
    createdAt: now,
    updatedAt: now,
    startedAt: now,
  };
  const row = await q.insertNotification(deps.db, values);
  // A lost plan message is re-planned by cron (unplannedSending): the row is the record.
  await deps.env.SEND_QUEUE.send(sendMessage.plan(siteId, id));
  return view(row, await channelStatus(deps, row));
}

/** A channel's status: queued (nothing done yet), sending, done (every batch finished —
 *  later provider reports may still move counts to delivered or failed), or no_recipients. */
export type ChannelState = "queued" | "sending" | "done" | "no_recipients";
export interface ChannelStatus {
  state: ChannelState;
  targeted: number;
  sent: number;
  delivered: number;
  failed: number;
  unreachable: number;
  failed_by_reason: Record<string, { count: number; label: string }>;
  /** Held back by the decision every send goes through (issue #9 §3): the user opted out, quiet
   *  hours (sent when they end: then counted as sent), collected into a digest. */
  skipped: number;
  deferred: number;
  digested: number;
}

export async function channelStatus(deps: Deps, n: q.NotificationRow): Promise<Record<string, ChannelStatus>> {
  const [progress, outcomes] = n.batchesTotal > 0 ? await Promise.all([mq.batchProgress(deps.db, n.id), mq.outcomeCounts(deps.db, n.siteId, n.id)]) : [[], []];
  const planned = n.batchesTotal > 0 || n.status !== "sending";
  const result: Record<string, ChannelStatus> = {};
  for (const c of sendChannels(n)) {
    const p = progress.find((r) => r.channel === c);
    const s: ChannelStatus = { state: "queued", targeted: p?.targeted ?? 0, sent: 0, delivered: 0, failed: 0, unreachable: 0, failed_by_reason: {}, skipped: 0, deferred: 0, digested: 0 };
    for (const o of outcomes.filter((r) => r.channel === c)) {
      const failedLater = o.providerStatus === "bounced" || o.providerStatus === "undelivered" || o.providerStatus === "failed";
      const reason = failedLater ? o.providerStatus! : o.reason;
      if (o.status === "sent" && !failedLater) s.sent += o.n;
      if (o.providerStatus === "delivered") s.delivered += o.n;
      if (o.status === "pruned") s.unreachable += o.n;
      if (o.status === "skipped" || o.status === "deferred" || o.status === "digested") s[o.status] += o.n;
      if (o.status === "failed" || failedLater) {
        s.failed += o.n;
        const key = reason ?? "unknown";
        s.failed_by_reason[key] = { count: (s.failed_by_reason[key]?.count ?? 0) + o.n, label: failureLabel(key) };
      }
    }
    const recorded = s.sent + s.failed + s.unreachable + s.skipped + s.deferred + s.digested;
    s.state = planned && !p ? "no_recipients" : p && p.open === 0 ? "done" : recorded > 0 ? "sending" : "queued";
    result[c] = s;
  }
  return result;
}

/** A short line saying what a send was about, for lists: its template, or the title, subject or
 *  text of `channel`'s content (by default the first channel that has some). */
export function headline(n: Pick<q.NotificationRow, "content" | "channelContent" | "template">, channel?: string): string | null {
  if (n.template) return `Template ${n.template.key} (v${n.template.version})`;
  const parts: Record<string, unknown> = { web_push: Object.keys(n.content).length ? n.content : undefined, ...(n.channelContent ?? {}) };
  const c = (channel ? parts[channel] : Object.values(parts).find((p) => p)) as Record<string, unknown> | undefined;
  const text = c?.title ?? c?.subject ?? c?.text;
  return typeof text === "string" ? text.slice(0, 120) : null;
}

function view(n: q.NotificationRow, channels: Record<string, ChannelStatus>) {
  return {
    id: n.id,
    headline: headline(n),
    status: n.status,
    to: n.target,
    template: n.template,
    channels,
    data: n.data,
    category: n.category,
    priority: n.priority,
    local_delivery: n.localDelivery ?? null,
    targeted: n.targeted,
    created_at: n.createdAt,
    completed_at: n.completedAt,
  };
}
export type MessageView = ReturnType<typeof view>;

async function load(deps: Deps, siteId: string, id: string) {
  const row = await q.findNotification(deps.db, siteId, id);
  if (!row || row.kind !== "message") throw new ApiError("not_found", "Message not found.");
  return row;
}

export async function getMessage(deps: Deps, siteId: string, id: string) {
  const row = await load(deps, siteId, id);
  return view(row, await channelStatus(deps, row));
}

export async function listMessages(deps: Deps, siteId: string, cursor: string | undefined, limit: number) {
  const rows = await mq.listMessages(deps.db, siteId, cursor, limit + 1);
  const page = rows.slice(0, limit);
  const data = await Promise.all(page.map(async (r) => view(r, await channelStatus(deps, r))));
  return { data, next_cursor: rows.length > limit ? page[page.length - 1]!.id : null };
}

export async function listRecipients(deps: Deps, siteId: string, id: string, filter: mq.RecipientFilter, cursor: string | undefined, limit: number) {
  await load(deps, siteId, id);
  const rows = await mq.listRecipients(deps.db, siteId, id, filter, cursor, limit + 1);
  const page = rows.slice(0, limit);
  return {
    data: page.map((r) => ({
      channel: r.channel,
      recipient_id: r.recipientId,
      external_id: r.externalId,
      address: r.channel === "email" ? r.email : r.channel === "sms" || r.channel === "whatsapp" ? r.phone : null,
      status: r.providerStatus ?? r.status,
      send_status: r.status,
      reason: r.reason,
      reason_label: r.reason ? failureLabel(r.reason) : null,
      provider_code: r.providerCode,
      provider_message_id: r.providerMessageId,
      http_status: r.httpStatus,
      release_at: r.releaseAt,
      sent_at: r.createdAt,
      status_at: r.providerStatusAt ?? r.createdAt,
    })),
    next_cursor: rows.length > limit ? page[page.length - 1]!.cursor : null,
  };
}
