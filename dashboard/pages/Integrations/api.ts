// The integrations endpoints (workers/routes/integrations.ts) as the Integrations page calls
// them, through the dashboard's one request function (auth, refresh, ApiError).
import { request } from "../../api";
import type { IntegrationTestResult, IntegrationView } from "../../../workers/contracts/integrations";

export type { IntegrationTestResult, IntegrationView };

const base = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}/integrations`;
const one = (siteId: string, id: string) => `${base(siteId)}/${encodeURIComponent(id)}`;

export interface NewIntegration {
  channel: string;
  provider: string;
  name: string;
  credentials: Record<string, unknown>;
  settings: Record<string, unknown>;
}

export const integrationsApi = {
  list: (siteId: string) => request<{ data: IntegrationView[] }>("GET", base(siteId)),
  create: (siteId: string, body: NewIntegration) => request<IntegrationView>("POST", base(siteId), body),
  update: (siteId: string, id: string, patch: { name?: string; credentials?: Record<string, unknown>; settings?: Record<string, unknown>; primary?: true }) =>
    request<IntegrationView>("PATCH", one(siteId, id), patch),
  remove: (siteId: string, id: string) => request<void>("DELETE", one(siteId, id)),
  test: (siteId: string, id: string, to: string) => request<IntegrationTestResult>("POST", `${one(siteId, id)}/test`, { to }),
};
