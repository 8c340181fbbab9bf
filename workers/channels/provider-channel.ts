// The shape shared by the channels that deliver through an outside provider (email, SMS,
// WhatsApp, FCM): per batch, load the site's primary integration for the channel
// (services/integrations: credentials opened once) and the content source; per recipient,
// render, build the provider's message and let the provider send and classify. Each channel
// folder says only who its recipients are and how content becomes its provider's message.
import type { ChannelId } from "../contracts/channels";
import type { ChannelContent } from "../contracts/message-content";
import type { Target } from "../contracts/target";
import type { NotificationRow } from "../db/queries/notifications";
import type { ChannelMessages, ProviderChannel, ProviderContext, Provider } from "../providers/types";
import { loadPrimaryIntegration, reportIntegrationProblem } from "../services/integrations";
import { contentSource, type ContentSource, type RecipientUser } from "../services/sending/content";
import type { Deps } from "../services/deps";
import type { BatchJob, Channel, Recipient, SendResult } from "./types";

export interface ProviderRecipient extends Recipient {
  user: RecipientUser;
}

interface Prepared<C extends ProviderChannel> {
  integration: { provider: Provider; ctx: ProviderContext<unknown, unknown> } | null;
  content: ContentSource<C>;
}

export interface ProviderChannelSpec<C extends ProviderChannel, R extends ProviderRecipient> {
  id: C & ChannelId;
  audience(deps: Deps, siteId: string, target: Target, afterId: string, limit: number): Promise<Array<{ id: string }>>;
  pendingRecipients(deps: Deps, job: BatchJob, notification: NotificationRow): Promise<R[]>;
  /** The provider's message for one recipient from the content rendered for them. */
  message(content: ChannelContent[C], recipient: R): ChannelMessages[C];
  /** Marks addresses the provider called gone as unusable. */
  prune(deps: Deps, siteId: string, recipientIds: string[], now: number): Promise<void>;
}

export function providerChannel<C extends ProviderChannel, R extends ProviderRecipient>(spec: ProviderChannelSpec<C, R>): Channel<R, Prepared<C>> {
  return {
    id: spec.id,
    audience: spec.audience,
    pendingRecipients: async (deps, job, n) => (await spec.pendingRecipients(deps, job, n)).map((r) => ({ ...r, externalId: r.user.externalId })),
    prune: spec.prune,

    async prepare(deps, job, notification) {
      const [integration, content] = await Promise.all([loadPrimaryIntegration(deps, job.siteId, spec.id), contentSource(deps, notification, spec.id)]);
      return { integration, content };
    },

    async send(p, r, attempt): Promise<SendResult> {
      if (!p.integration) return { outcome: { kind: "failed", reason: "channel_not_configured" }, httpStatus: null };
      const rendered = await p.content.render(r.user);
      if (!rendered.ok) return { outcome: { kind: "failed", reason: rendered.reason }, httpStatus: null };
      return p.integration.provider.send(p.integration.ctx, spec.id, spec.message(rendered.content, r), attempt);
    },

    reportConfigProblem: (deps, siteId, problem) => reportIntegrationProblem(deps, siteId, spec.id, problem),
  };
}
