// The dashboard's only door to the Herald API. Owns the access token's use (Bearer header),
// the silent refresh on 401 (the refresh token is an httpOnly cookie on /api/auth, so this
// code never sees it), and turning every failure into one ApiError shape the pages render.
import { accessToken, hasSignedIn, markSignedIn, onSessionLost, sessionSignal, sessionStatus } from "./state/session";
import type {
  ApiKey, AudienceTarget, CreatedApiKey, CreatedSite, IdentityStatus, InstallCheck, IssuedIdentitySecret, InstallCode, Invitation, Member, MyInvitation, NotificationDraft, NotificationRecord,
  NotificationStats, Overview, Page, Performance, Role, Session, Site, SiteSettings, Subscriber, User,
} from "./types";

export interface FieldError { path: string; message: string }

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
  /** Message for one form field, by its full API path ("settings.default_ttl_s", "actions.0.title"),
   *  or for anything under that path ("target" also matches "target.tags"). */
  field(path: string): string | undefined {
    return (this.fields.find((f) => f.path === path) ?? this.fields.find((f) => f.path.startsWith(`${path}.`)))?.message;
  }
  /** The server has no such endpoint (not deployed there yet), as opposed to a missing record. */
  get missingRoute() {
    return this.code === "route_not_found" || (this.status === 404 && this.message.startsWith("No such route"));
  }
}

let refreshing: Promise<Session | null> | null = null;

/**
 * Exchanges the refresh cookie for a new session. Refresh tokens rotate and a reused one
 * revokes the session, so concurrent callers share one request, and tabs take turns
 * through a Web Lock when the browser has them.
 */
export function refreshSession(): Promise<Session | null> {
  refreshing ??= (async () => {
    const run = async () => {
      const res = await fetch("/api/auth/refresh", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: "{}",
      }).catch(() => null);
      // The API refused the token (none, expired, revoked): nothing to restore on the next visit
      // either. A network failure, a 5xx or a 429 (refresh is rate-limited) keeps the flag: they
      // say nothing about the cookie.
      if (res && [400, 401, 403].includes(res.status)) markSignedIn(false);
      if (!res?.ok) return null;
      const session = (await res.json()) as Session;
      accessToken.value = session.access_token;
      return session;
    };
    return navigator.locks ? navigator.locks.request("herald-refresh", run) : run();
  })().finally(() => (refreshing = null));
  return refreshing;
}

/** On load: the session this browser had, if it ever signed in (a first visit asks nothing). */
export function restoreSession(): Promise<Session | null> {
  return hasSignedIn() ? refreshSession() : Promise.resolve(null);
}

interface RequestOptions { auth?: boolean; query?: Record<string, string | number | boolean | undefined | null> }

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const auth = opts.auth ?? true;
  let url = path;
  if (opts.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
    if ([...q].length) url += `?${q}`;
  }
  // No token (signed out, or signing out): nothing an authenticated request could get but a 401.
  if (auth && !accessToken.value) throw new ApiError(0, "aborted", "You are signed out.");
  const send = () => {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (auth && accessToken.value) headers.authorization = `Bearer ${accessToken.value}`;
    return fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: auth ? sessionSignal() : undefined,
    });
  };
  let res: Response;
  try {
    res = await send();
    // Signed out meanwhile: no refresh (the cookie is gone), just the 401 below.
    if (res.status === 401 && auth && sessionStatus.value === "signed-in") {
      if (await refreshSession()) res = await send();
      else {
        onSessionLost();
        throw new ApiError(401, "unauthorized", "Your session has ended. Please sign in again.");
      }
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof DOMException && err.name === "AbortError") throw new ApiError(0, "aborted", "You signed out.");
    throw new ApiError(0, "network", "Cannot reach Herald. Check your connection and try again.");
  }
  if (res.status === 204 || res.status === 202 && res.headers.get("content-length") === "0") return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string; fields?: FieldError[] } } | undefined)?.error;
    throw new ApiError(res.status, e?.code ?? "http_" + res.status, e?.message ?? `Request failed (${res.status}).`, e?.fields ?? []);
  }
  return json as T;
}

const s = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}`;

export const api = {
  register: (b: { email: string; password: string; name: string }) => request<Session>("POST", "/api/auth/register", b, { auth: false }),
  login: (b: { email: string; password: string }) => request<Session>("POST", "/api/auth/login", b, { auth: false }),
  logout: () => request<void>("POST", "/api/auth/logout", {}, { auth: false }),
  me: () => request<{ user: User; sites: Site[] }>("GET", "/api/me"),

  sites: () => request<{ data: Site[] }>("GET", "/api/sites"),
  createSite: (b: { name: string; url: string; settings?: Partial<SiteSettings> }) => request<CreatedSite>("POST", "/api/sites", b),
  site: (id: string) => request<Site>("GET", s(id)),
  updateSite: (id: string, b: { name?: string; url?: string; settings?: Partial<SiteSettings> }) => request<Site>("PATCH", s(id), b),
  deleteSite: (id: string) => request<void>("DELETE", s(id)),
  identity: (id: string) => request<IdentityStatus>("GET", `${s(id)}/identity`),
  rotateIdentity: (id: string) => request<IssuedIdentitySecret>("POST", `${s(id)}/identity/rotate`, {}),

  members: (id: string) => request<{ data: Member[] }>("GET", `${s(id)}/members`),
  invitations: (id: string) => request<{ data: Invitation[] }>("GET", `${s(id)}/invitations`),
  invite: (id: string, b: { email: string; role: Role }) => request<Invitation>("POST", `${s(id)}/invitations`, b),
  withdrawInvitation: (id: string, invitationId: string) => request<void>("DELETE", `${s(id)}/invitations/${invitationId}`),
  myInvitations: () => request<{ data: MyInvitation[] }>("GET", "/api/me/invitations"),
  acceptInvitation: (invitationId: string) => request<{ site_id: string; role: Role }>("POST", `/api/me/invitations/${invitationId}/accept`, {}),
  declineInvitation: (invitationId: string) => request<void>("POST", `/api/me/invitations/${invitationId}/decline`, {}),
  changeRole: (id: string, userId: string, role: Role) => request<Member>("PATCH", `${s(id)}/members/${userId}`, { role }),
  removeMember: (id: string, userId: string) => request<void>("DELETE", `${s(id)}/members/${userId}`),

  apiKeys: (id: string) => request<{ data: ApiKey[] }>("GET", `${s(id)}/api-keys`),
  createApiKey: (id: string, b: { name: string; scopes: string[] }) => request<CreatedApiKey>("POST", `${s(id)}/api-keys`, b),
  revokeApiKey: (id: string, keyId: string) => request<void>("DELETE", `${s(id)}/api-keys/${keyId}`),

  installCode: (id: string) => request<InstallCode>("GET", `${s(id)}/install-code`),
  installCheck: (id: string, url: string) => request<InstallCheck>("POST", `${s(id)}/install-check`, { url }),

  subscribers: (id: string, query: RequestOptions["query"]) => request<Page<Subscriber>>("GET", `${s(id)}/subscribers`, undefined, { query }),
  subscriber: (id: string, subId: string) => request<Subscriber>("GET", `${s(id)}/subscribers/${subId}`),
  updateSubscriber: (id: string, subId: string, b: { tags?: string[]; external_id?: string | null }) =>
    request<Subscriber>("PATCH", `${s(id)}/subscribers/${subId}`, b),
  deleteSubscriber: (id: string, subId: string) => request<void>("DELETE", `${s(id)}/subscribers/${subId}`),
  exportSubscriber: (id: string, subId: string) => request<unknown>("GET", `${s(id)}/subscribers/${subId}/export`),

  notifications: (id: string, query: RequestOptions["query"]) => request<Page<NotificationRecord>>("GET", `${s(id)}/notifications`, undefined, { query }),
  notification: (id: string, nId: string) => request<NotificationRecord>("GET", `${s(id)}/notifications/${nId}`),
  createNotification: (id: string, b: NotificationDraft) => request<NotificationRecord>("POST", `${s(id)}/notifications`, b),
  updateNotification: (id: string, nId: string, b: Partial<NotificationDraft>) => request<NotificationRecord>("PATCH", `${s(id)}/notifications/${nId}`, b),
  deleteNotification: (id: string, nId: string) => request<void>("DELETE", `${s(id)}/notifications/${nId}`),
  archiveNotification: (id: string, nId: string) => request<NotificationRecord>("POST", `${s(id)}/notifications/${nId}/archive`, {}),
  unarchiveNotification: (id: string, nId: string) => request<NotificationRecord>("POST", `${s(id)}/notifications/${nId}/unarchive`, {}),
  unscheduleNotification: (id: string, nId: string) => request<NotificationRecord>("PATCH", `${s(id)}/notifications/${nId}`, { scheduled_at: null }),
  sendNotification: (id: string, nId: string) => request<NotificationRecord>("POST", `${s(id)}/notifications/${nId}/send`, {}),
  cancelNotification: (id: string, nId: string) => request<NotificationRecord>("POST", `${s(id)}/notifications/${nId}/cancel`, {}),
  notificationStats: (id: string, nId: string) => request<NotificationStats>("GET", `${s(id)}/notifications/${nId}/stats`),
  notificationPerformance: (id: string, nId: string) => request<Performance>("GET", `${s(id)}/notifications/${nId}/performance`),
  audienceCount: (id: string, target: AudienceTarget) => request<{ count: number }>("POST", `${s(id)}/audience/count`, { target }),

  /** from / to: YYYY-MM-DD days in the site's time zone, inclusive. */
  overview: (id: string, from: string, to: string) => request<Overview>("GET", `${s(id)}/analytics/overview`, undefined, { query: { from, to } }),
};

/** The live-counters socket; the access token rides in the query (browsers cannot set WebSocket headers). */
export function liveSocketUrl(siteId: string): string {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  return `${proto}//${location.host}${s(siteId)}/live?access_token=${encodeURIComponent(accessToken.value ?? "")}`;
}
