// The messages endpoints (workers/routes/messages.ts) as the Messages and MessageDetail pages
// call them, through the dashboard's one request function (auth, refresh, ApiError).
import { request } from "../../api";
import type { ChannelId, MessageRecipient, MessageRecord, Page, RecipientStatus } from "../../types";

const messages = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}/messages`;

export const messagesApi = {
  list: (siteId: string, cursor: string | null, limit: number) => request<Page<MessageRecord>>("GET", messages(siteId), undefined, { query: { cursor, limit } }),
  get: (siteId: string, id: string) => request<MessageRecord>("GET", `${messages(siteId)}/${encodeURIComponent(id)}`),
  recipients: (siteId: string, id: string, filter: { channel?: ChannelId | ""; status?: RecipientStatus | ""; cursor?: string | null; limit: number }) =>
    request<Page<MessageRecipient>>("GET", `${messages(siteId)}/${encodeURIComponent(id)}/recipients`, undefined, { query: filter }),
};
