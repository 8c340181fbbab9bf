// Web Push as a channel: recipients are a site's active push subscriptions; each gets the
// notification's payload (one JSON prefix per batch plus its own event token) encrypted to its
// keys (RFC 8291) and POSTed with the site's VAPID header (RFC 8292, one JWT per push-service
// origin) and a Topic, so a repeat replaces a copy still queued (RFC 8030 §5.4).
import type { NotificationRow } from "../../db/queries/notifications";
import { siteSettings } from "../../db/queries/notifications";
import { updateSite } from "../../db/queries/sites";
import { pruneSubscribers } from "../../db/queries/subscribers";
import { audienceIds, pendingRecipients, pendingRecipientsWithUsers, type Target } from "../../db/queries/targeting";
import { signEventToken } from "../../lib/event-token";
import type { Deps } from "../../services/deps";
import { contentSource, type ContentSource, type RecipientUser } from "../../services/sending/content";
import { payloadFor, payloadPrefix, type NotificationContent } from "../../services/sending/payload";
import { loadVapidKeys } from "../../services/sites";
import { emitSubscriptionsEnded } from "../../services/webhooks/events";
import type { BatchJob, Channel, Recipient, SendResult } from "../types";
import { encryptPayload, type PushKeys } from "./encrypt";
import { classifyPushResult } from "./outcome";
import { sendPush, type Urgency } from "./request";
import { createVapidSigner, type VapidSigner } from "./vapid";

interface PushRecipient extends Recipient, PushKeys {
  endpoint: string;
  /** Who the browser belongs to: only loaded for template sends (rendered per recipient). */
  user?: RecipientUser;
}

interface Prepared {
  job: BatchJob;
  /** One payload prefix for everyone; null when a template renders it per recipient. */
  prefix: string | null;
  perRecipient: { source: ContentSource<"web_push">; icon: string | null } | null;
  ttlS: number;
  urgency?: Urgency;
  topic: string;
  signer: VapidSigner;
  eventSecret: string;
  fetcher: typeof fetch;
}

// One signer per site per isolate: the VAPID key is imported once and the JWT for
// each push-service origin is signed once and reused until shortly before expiry.
const signers = new Map<string, Promise<VapidSigner>>();
function signerFor(deps: Deps, siteId: string): Promise<VapidSigner> {
  let signer = signers.get(siteId);
  if (!signer) {
    signer = loadVapidKeys(deps, siteId).then((keys) => createVapidSigner({ ...keys, subject: deps.env.VAPID_SUBJECT, now: deps.now }));
    signers.set(siteId, signer);
    signer.catch(() => signers.delete(siteId));
  }
  return signer;
}

const encoder = new TextEncoder();

export const webPush: Channel<PushRecipient, Prepared> = {
  id: "web_push",

  audience: (deps, siteId, target, afterId, limit) => audienceIds(deps.db, siteId, target, afterId, limit),

  async pendingRecipients(deps, job, notification) {
    const target = notification.target as unknown as Target;
    if (!notification.template) return pendingRecipients(deps.db, job.siteId, target, job.notificationId, job.fromId, job.toId);
    const rows = await pendingRecipientsWithUsers(deps.db, job.siteId, target, job.notificationId, job.fromId, job.toId);
    return rows.map((r) => ({
      id: r.id,
      endpoint: r.endpoint,
      p256dh: r.p256dh,
      auth: r.auth,
      externalId: r.externalId,
      timezone: r.browserTimezone,
      user: {
        id: r.userId,
        externalId: r.externalId,
        email: r.email,
        phone: r.phone,
        locale: r.locale ?? r.language,
        timezone: r.timezone,
        attributes: r.attributes ?? {},
      },
    }));
  },

  async prepare(deps: Deps, job: BatchJob, notification: NotificationRow): Promise<Prepared> {
    const content = notification.content as unknown as NotificationContent;
    const site = await siteSettings(deps.db, job.siteId);
    const icon = site?.default_icon ?? null;
    const templated = notification.template ? await contentSource(deps, notification, "web_push") : null;
    return {
      job,
      prefix: templated ? null : payloadPrefix(job.notificationId, content, { icon }),
      perRecipient: templated && { source: templated, icon },
      ttlS: content.ttl ?? site?.default_ttl_s ?? 0,
      urgency: content.urgency,
      // The notification id is a valid topic (≤ 32 base64url characters); an A/B test's variant
      // sends ("<id>_v1", longer) use their campaign's: one campaign, one topic.
      topic: content.topic ?? notification.parentId ?? job.notificationId,
      signer: await signerFor(deps, job.siteId),
      eventSecret: deps.env.JWT_SECRET,
      fetcher: deps.fetch,
    };
  },

  async send(p: Prepared, r: PushRecipient, attempt: number): Promise<SendResult> {
    let prefix = p.prefix;
    if (p.perRecipient) {
      const rendered = await p.perRecipient.source.render(r.user ?? null);
      if (!rendered.ok) return { outcome: { kind: "failed", reason: rendered.reason }, httpStatus: null };
      prefix = payloadPrefix(p.job.notificationId, rendered.content, { icon: p.perRecipient.icon });
    }
    const token = await signEventToken(p.eventSecret, { siteId: p.job.siteId, notificationId: p.job.notificationId, subscriberId: r.id });
    const result = await sendPush({
      endpoint: r.endpoint,
      body: await encryptPayload(encoder.encode(payloadFor(prefix!, token)), r),
      authorization: await p.signer.authorizationFor(r.endpoint),
      ttlS: p.ttlS,
      urgency: p.urgency,
      topic: p.topic,
      fetcher: p.fetcher,
    });
    const httpStatus = "status" in result ? result.status : null;
    const outcome = classifyPushResult(result, attempt);
    switch (outcome.kind) {
      case "sent":
      case "gone":
        return { outcome: { kind: outcome.kind }, httpStatus };
      case "retry":
        return { outcome, httpStatus };
      case "failed":
        return {
          outcome: {
            kind: "failed",
            reason: outcome.reason,
            ...(outcome.vapidProblem ? { configProblem: `VAPID configuration: ${new URL(r.endpoint).host} answered HTTP ${httpStatus} (${outcome.reason})` } : {}),
          },
          httpStatus,
        };
    }
  },

  async prune(deps, siteId, ids, now) {
    const ended = await pruneSubscribers(deps.db, siteId, ids, now);
    await emitSubscriptionsEnded(deps, siteId, ended, "gone", now);
  },

  // What its push services said about the site's VAPID setup: Settings shows it.
  reportConfigProblem: (deps, siteId, problem) => updateSite(deps.db, siteId, { vapidWarning: problem }).then(() => undefined),
};
