// The users endpoints (workers/routes/users.ts) as the Users and UserDetail pages call them,
// through the dashboard's one request function (auth, refresh, ApiError).
import { request } from "../../api";
import type { Device, Page, SiteUser, SiteUserPatch, UserDelivery } from "../../types";

type Query = Record<string, string | number | null | undefined>;
const user = (siteId: string, externalId: string) => `/api/sites/${encodeURIComponent(siteId)}/users/${encodeURIComponent(externalId)}`;

export const usersApi = {
  list: (siteId: string, query: Query) => request<Page<SiteUser>>("GET", `/api/sites/${encodeURIComponent(siteId)}/users`, undefined, { query }),
  get: (siteId: string, externalId: string) => request<SiteUser>("GET", user(siteId, externalId)),
  update: (siteId: string, externalId: string, patch: SiteUserPatch) => request<SiteUser>("PATCH", user(siteId, externalId), patch),
  erase: (siteId: string, externalId: string) => request<void>("DELETE", user(siteId, externalId)),
  export: (siteId: string, externalId: string) => request<unknown>("GET", `${user(siteId, externalId)}/export`),
  devices: (siteId: string, externalId: string) => request<{ data: Device[] }>("GET", `${user(siteId, externalId)}/devices`),
  removeDevice: (siteId: string, externalId: string, deviceId: string) =>
    request<void>("DELETE", `${user(siteId, externalId)}/devices/${encodeURIComponent(deviceId)}`),
  messages: (siteId: string, externalId: string, cursor: string | null) =>
    request<Page<UserDelivery>>("GET", `${user(siteId, externalId)}/messages`, undefined, { query: { cursor, limit: 25 } }),
};

/** A user's page in the dashboard. */
export const userHref = (siteId: string, externalId: string) => `/sites/${siteId}/users/${encodeURIComponent(externalId)}`;
