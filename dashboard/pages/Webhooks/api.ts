// The webhooks endpoints (workers/routes/webhooks.ts) as the Webhooks page calls them, through
// the dashboard's one request function (auth, refresh, ApiError). Shapes come from the contract.
import { request } from "../../api";
import type {
  IssuedWebhookEndpoint,
  WebhookDeliveryStatus,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookEventType,
} from "../../../workers/contracts/webhook-events";

export type { IssuedWebhookEndpoint, WebhookDeliveryStatus, WebhookDeliveryView, WebhookEndpointView, WebhookEventType };

export interface EndpointFields {
  url?: string;
  description?: string;
  /** null: every event type. */
  event_types?: WebhookEventType[] | null;
  enabled?: boolean;
}

const base = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}/webhooks`;
const one = (siteId: string, id: string) => `${base(siteId)}/${encodeURIComponent(id)}`;

export const webhooksApi = {
  list: (siteId: string) => request<{ data: WebhookEndpointView[] }>("GET", base(siteId)),
  create: (siteId: string, body: EndpointFields & { url: string }) => request<IssuedWebhookEndpoint>("POST", base(siteId), body),
  update: (siteId: string, id: string, patch: EndpointFields) => request<WebhookEndpointView>("PATCH", one(siteId, id), patch),
  remove: (siteId: string, id: string) => request<void>("DELETE", one(siteId, id)),
  rotate: (siteId: string, id: string) => request<IssuedWebhookEndpoint>("POST", `${one(siteId, id)}/rotate-secret`, {}),
  test: (siteId: string, id: string) => request<WebhookDeliveryView>("POST", `${one(siteId, id)}/test`, {}),
  deliveries: (siteId: string, id: string, query: { status?: string; cursor?: string | null; limit?: number }) =>
    request<{ data: WebhookDeliveryView[]; next_cursor: string | null }>("GET", `${one(siteId, id)}/deliveries`, undefined, { query }),
  replay: (siteId: string, id: string, deliveryId: string) =>
    request<WebhookDeliveryView>("POST", `${one(siteId, id)}/deliveries/${encodeURIComponent(deliveryId)}/replay`, {}),
};
