// The segments endpoints (workers/routes/segments.ts) as the dashboard calls them. Shapes from
// the Worker's contract, as types only (no zod in the chunk).
import { request } from "../../api";
import type { Condition, Group, SegmentView } from "../../../workers/contracts/segments";

export type { Condition, Group, SegmentView };

const base = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}/segments`;
export const segmentsApi = {
  list: (siteId: string) => request<{ data: SegmentView[] }>("GET", base(siteId)),
  create: (siteId: string, body: { name: string; description?: string | null; rules: Group }) => request<SegmentView>("POST", base(siteId), body),
  update: (siteId: string, id: string, body: { name?: string; description?: string | null; rules?: Group }) => request<SegmentView>("PATCH", `${base(siteId)}/${encodeURIComponent(id)}`, body),
  remove: (siteId: string, id: string) => request<void>("DELETE", `${base(siteId)}/${encodeURIComponent(id)}`),
  estimate: (siteId: string, rules: Group) => request<{ count: number; computed_at: number }>("POST", `${base(siteId)}/estimate`, { rules }),
};
