// The recurring endpoints (workers/routes/recurring.ts) as the dashboard calls them, through its
// one request function. Shapes from the Worker's contract, as types only (no zod in the chunk).
import { request } from "../../api";
import type { DripView } from "../../../workers/contracts/drips";
import type { FeedItemView, FeedView } from "../../../workers/contracts/feeds";
import type { TriggerCallView, TriggerView } from "../../../workers/contracts/triggers";
import type { Recurrence, SeriesView } from "../../../workers/contracts/recurring";
import type { CampaignDraft } from "../Compose/campaign";

export type { FeedItemView, FeedView, Recurrence, SeriesView, TriggerCallView, TriggerView };
export interface RunView {
  date: string;
  due_at: number;
  notification_id: string;
  status: string | null;
  stats: { sent?: number; clicks?: number; impressions?: number; ctr?: number } | null;
}

const base = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}/recurring`;
const one = (siteId: string, id: string) => `${base(siteId)}/${encodeURIComponent(id)}`;

export const recurringApi = {
  list: (siteId: string) => request<{ data: SeriesView[]; next_cursor: string | null }>("GET", base(siteId), undefined, { query: { limit: 100 } }),
  create: (siteId: string, body: { name: string; recurrence: Recurrence; catch_up?: boolean; notification: Omit<CampaignDraft, "scheduled_at" | "local_delivery"> }) =>
    request<SeriesView>("POST", base(siteId), body),
  pause: (siteId: string, id: string) => request<SeriesView>("POST", `${one(siteId, id)}/pause`),
  resume: (siteId: string, id: string) => request<SeriesView>("POST", `${one(siteId, id)}/resume`),
  remove: (siteId: string, id: string) => request<void>("DELETE", one(siteId, id)),
  runs: (siteId: string, id: string) => request<{ data: RunView[] }>("GET", `${one(siteId, id)}/runs`, undefined, { query: { limit: 10 } }),
};

const WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const ordinal = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th"}`;

/** "Every 2 weeks on Mon, Thu at 09:00 (Europe/Paris)" */
export function recurrenceInWords(r: Recurrence, siteTz: string): string {
  const every = r.interval ?? 1;
  const unit = { daily: "day", weekly: "week", monthly: "month" }[r.frequency];
  const head = every === 1 ? `Every ${unit}` : `Every ${every} ${unit}s`;
  const on =
    r.frequency === "weekly" ? ` on ${r.weekdays!.map((d) => WEEKDAY_NAMES[d - 1]).join(", ")}`
    : r.frequency === "monthly" ? ` on the ${ordinal(r.day_of_month!)}${r.day_of_month! > 28 ? " (or the month's last day)" : ""}`
    : "";
  const where = r.timezone === "subscriber" ? "on each subscriber's own clock" : `(${siteTz})`;
  return `${head}${on} at ${r.time} ${where}${r.end_date ? `, until ${r.end_date}` : ""}`;
}

// ─── Welcome drips (workers/routes/drips.ts) ───
export type { DripView };
export interface DripStepDraft {
  id?: string;
  delay_minutes: number;
  content: { title: string; body?: string; url?: string };
}
const drips = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}/campaigns`;
export const dripsApi = {
  list: (siteId: string) => request<{ data: DripView[] }>("GET", drips(siteId)),
  create: (siteId: string, body: { name: string; steps: DripStepDraft[] }) => request<DripView>("POST", drips(siteId), body),
  update: (siteId: string, id: string, body: { name?: string; steps?: DripStepDraft[] }) => request<DripView>("PATCH", `${drips(siteId)}/${encodeURIComponent(id)}`, body),
  setActive: (siteId: string, id: string, active: boolean) => request<DripView>("POST", `${drips(siteId)}/${encodeURIComponent(id)}/${active ? "activate" : "pause"}`),
  remove: (siteId: string, id: string) => request<void>("DELETE", `${drips(siteId)}/${encodeURIComponent(id)}`),
};

// ─── Inbound webhook triggers (workers/routes/triggers.ts) ───
export interface TriggerDraft {
  name: string;
  mode: "signed" | "token_only";
  mapping: { content: { web_push?: { title: string; body?: string; url?: string }; in_app?: { title: string; body?: string } }; external_id_path?: string; target?: { all: true }; idempotency_path?: string };
}
const triggers = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}/triggers`;
export const triggersApi = {
  list: (siteId: string) => request<{ data: TriggerView[] }>("GET", triggers(siteId)),
  create: (siteId: string, body: TriggerDraft) => request<TriggerView & { url: string; secret: string }>("POST", triggers(siteId), body),
  setEnabled: (siteId: string, id: string, enabled: boolean) => request<TriggerView>("PATCH", `${triggers(siteId)}/${encodeURIComponent(id)}`, { enabled }),
  remove: (siteId: string, id: string) => request<void>("DELETE", `${triggers(siteId)}/${encodeURIComponent(id)}`),
  calls: (siteId: string, id: string) => request<{ data: TriggerCallView[] }>("GET", `${triggers(siteId)}/${encodeURIComponent(id)}/calls`),
  test: (siteId: string, id: string, payload: unknown, dryRun: boolean) =>
    request<{ rendered: Record<string, unknown>; message_id: string | null }>("POST", `${triggers(siteId)}/${encodeURIComponent(id)}/test`, { payload, dry_run: dryRun }),
};

// ─── RSS-to-push (workers/routes/feeds.ts) ───
const feeds = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}/feeds`;
export const feedsApi = {
  list: (siteId: string) => request<{ data: FeedView[] }>("GET", feeds(siteId)),
  create: (siteId: string, body: { name: string; url: string; mode: FeedView["mode"]; max_items_per_poll?: number }) => request<FeedView>("POST", feeds(siteId), body),
  update: (siteId: string, id: string, body: { enabled?: boolean }) => request<FeedView>("PATCH", `${feeds(siteId)}/${encodeURIComponent(id)}`, body),
  remove: (siteId: string, id: string) => request<void>("DELETE", `${feeds(siteId)}/${encodeURIComponent(id)}`),
  poll: (siteId: string, id: string) => request<{ status: string; newItems: number; sent: number; error?: string; feed: FeedView }>("POST", `${feeds(siteId)}/${encodeURIComponent(id)}/poll`),
  items: (siteId: string, id: string) => request<{ data: FeedItemView[] }>("GET", `${feeds(siteId)}/${encodeURIComponent(id)}/items`),
  decide: (siteId: string, id: string, key: string, approve: boolean) => request<FeedItemView>("POST", `${feeds(siteId)}/${encodeURIComponent(id)}/items/${key}/${approve ? "approve" : "skip"}`),
};
