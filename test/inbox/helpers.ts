// Helpers of the inbox tests: the signed identity headers a site's page sends, items written
// straight into a user's object (as the in_app channel does), and WebSockets that collect events.
import { env, exports } from "cloudflare:workers";
import type { InboxDelivery } from "../../durable-objects/user-inbox";
import type { InboxServerEvent } from "../../workers/contracts/inbox";
import { identityHash } from "../../workers/lib/identity";
import { newId } from "../../workers/lib/ids";
import { deliverItem, userInbox } from "../../workers/services/inbox";
import { call, type CallOptions, freshIp } from "../helpers";

export interface SiteCreds {
  id: string;
  site_key: string;
  identity_secret: string;
}

export async function userHeaders(site: SiteCreds, externalId: string, secret = site.identity_secret): Promise<Record<string, string>> {
  return { "X-Herald-Site-Key": site.site_key, "X-Herald-External-Id": externalId, "X-Herald-User-Hash": await identityHash(secret, externalId) };
}

/** An end-user call: the signed headers, a fresh client IP. */
export async function asUser(site: SiteCreds, externalId: string, method: string, path: string, opts: CallOptions = {}) {
  return call(method, path, { ...opts, headers: { "CF-Connecting-IP": freshIp(), ...(await userHeaders(site, externalId)), ...opts.headers } });
}

let clock = Date.now() - 3600_000;
export function item(overrides: Partial<InboxDelivery> = {}): InboxDelivery {
  clock += 1000;
  return { id: newId("ntf", clock), title: "Hello", body: null, url: null, icon: null, category: null, tags: [], data: null, created_at: clock, ...overrides };
}

export async function seed(siteId: string, externalId: string, items: InboxDelivery[]) {
  for (const i of items) await deliverItem(env, siteId, externalId, i);
  return items;
}

export const inboxOf = (siteId: string, externalId: string) => userInbox(env, siteId, externalId);

export interface Socket {
  ws: WebSocket;
  events: InboxServerEvent[];
  /** Waits until an event matches (or fails after timeoutMs). */
  next(match: (e: InboxServerEvent) => boolean, timeoutMs?: number): Promise<InboxServerEvent>;
  send(msg: unknown): void;
  close(): void;
}

export async function openSocket(site: SiteCreds, externalId: string, hash?: string): Promise<{ status: number; socket?: Socket; body?: string }> {
  const userHash = hash ?? (await identityHash(site.identity_secret, externalId));
  const q = new URLSearchParams({ site_key: site.site_key, external_id: externalId, user_hash: userHash });
  const res = await exports.default.fetch(new Request(`http://herald.test/api/inbox/ws?${q}`, { headers: { Upgrade: "websocket", "CF-Connecting-IP": freshIp() } }));
  if (res.status !== 101) return { status: res.status, body: await res.text() };
  const ws = res.webSocket!;
  const events: InboxServerEvent[] = [];
  let seen = 0;
  ws.addEventListener("message", (e) => events.push(JSON.parse(e.data as string)));
  ws.accept();
  const socket: Socket = {
    ws,
    events,
    async next(match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = events.findIndex((e, k) => k >= seen && match(e));
        if (i >= 0) {
          seen = i + 1;
          return events[i]!;
        }
        if (Date.now() > deadline) throw new Error(`no matching event; got ${JSON.stringify(events.slice(seen))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    send: (msg) => ws.send(JSON.stringify(msg)),
    close: () => ws.close(1000, "done"),
  };
  return { status: 101, socket };
}
