// The templates endpoints (workers/routes/templates.ts) as the Templates pages call them, through
// the dashboard's one request function (auth, refresh, ApiError). Shapes come from the Worker's
// contract (workers/contracts/template.ts), imported as types only: no zod in the page's chunk.
import { request } from "../../api";
import type { Page } from "../../types";
import type {
  PreviewView, TemplateChannel, TemplateLocales, TemplateSummary, TemplateVersionSummary, TemplateVersionView, TemplateView, UpdateTemplateInput,
} from "../../../workers/contracts/template";

export type { PreviewView, TemplateChannel, TemplateLocales, TemplateSummary, TemplateVersionSummary, TemplateVersionView, TemplateView };

const base = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}/templates`;
const one = (siteId: string, key: string) => `${base(siteId)}/${encodeURIComponent(key)}`;

export interface PreviewBody {
  channel: TemplateChannel;
  locale?: string;
  data?: Record<string, unknown>;
  user?: Record<string, unknown>;
  version?: number;
  draft?: boolean;
  locales?: TemplateLocales;
}

export const templatesApi = {
  list: (siteId: string, cursor: string | null) => request<Page<TemplateSummary>>("GET", base(siteId), undefined, { query: { cursor, limit: 50 } }),
  create: (siteId: string, body: { key: string; name: string; description?: string; default_locale?: string; locales?: TemplateLocales }) =>
    request<TemplateView>("POST", base(siteId), body),
  get: (siteId: string, key: string) => request<TemplateView>("GET", one(siteId, key)),
  update: (siteId: string, key: string, body: UpdateTemplateInput) => request<TemplateView>("PATCH", one(siteId, key), body),
  remove: (siteId: string, key: string) => request<void>("DELETE", one(siteId, key)),
  publish: (siteId: string, key: string, version?: number) => request<TemplateVersionView>("POST", `${one(siteId, key)}/publish`, version ? { version } : {}),
  versions: (siteId: string, key: string) => request<Page<TemplateVersionSummary>>("GET", `${one(siteId, key)}/versions`, undefined, { query: { limit: 200 } }),
  version: (siteId: string, key: string, n: number) => request<TemplateVersionView>("GET", `${one(siteId, key)}/versions/${n}`),
  preview: (siteId: string, key: string, body: PreviewBody) => request<PreviewView>("POST", `${one(siteId, key)}/preview`, body),
};

export const templateHref = (siteId: string, key: string) => `/sites/${siteId}/templates/${encodeURIComponent(key)}`;
