// Herald service worker, served as /sw.js?site=KEY and pulled into the customer's own
// same-origin worker file with importScripts (push workers must share the site's origin).
// The Worker substitutes the two placeholders below when serving it (workers/routes/sdk.ts).
// It shows every push (userVisibleOnly) and reports impression / click / dismiss.
// Budget: ≤ 3 KB gzipped (scripts/size.ts).

export {}; // a module, so `self` below shadows the DOM lib's global
declare const self: ServiceWorkerGlobalScope;

const HERALD_ORIGIN = "__HERALD_ORIGIN__";
const SITE_KEY = "__HERALD_SITE_KEY__";
const FALLBACK_TITLE = "New notification";
/** Browsers show at most two action buttons (Chrome's Notification.maxActions). */
const MAX_ACTIONS = 2;

// The push payload's shape is defined once, beside the sender that builds it.
import type { PushPayload as Payload } from "../workers/contracts/content";
type Action = NonNullable<Payload["actions"]>[number];
/** `id`: the notification id, which is also its inbox item's id: the page's inbox closes this
 *  notification when the item is read there (sdk/inbox/client.ts), even under a sender's tag. */
interface StoredData { id?: string; url?: string; actions?: Action[]; token?: string; data?: unknown }

function post(path: string, body: object): Promise<unknown> {
  return fetch(HERALD_ORIGIN + path, {
    method: "POST",
    // keepalive: the request outlives a worker that the browser stops right after waitUntil.
    keepalive: true,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Tracking must never break the notification itself, so failures are swallowed. */
function report(token: string | undefined, type: string, action?: string): Promise<unknown> {
  return token ? post("/api/events", { token, type, action }).catch(() => {}) : Promise.resolve();
}

async function showPush(event: PushEvent): Promise<void> {
  let p: Payload = {};
  try {
    p = event.data?.json() ?? {};
  } catch {}
  if (!p || typeof p != "object") p = {};
  const data: StoredData = { id: p.id, url: p.url, actions: p.actions, token: p.token, data: p.data };
  try {
    await self.registration.showNotification(p.title || FALLBACK_TITLE, {
      body: p.body,
      icon: p.icon,
      image: p.image,
      badge: p.badge,
      // Without a sender tag, the notification id is the tag: a push delivered twice (at-least-once
      // sending after a crash) replaces the first silently instead of stacking a duplicate.
      tag: p.tag || (p.id && "herald-" + p.id),
      // renotify without a tag is a TypeError (Notifications API §constructor).
      renotify: !!(p.tag && p.renotify),
      requireInteraction: !!p.require_interaction,
      actions: (p.actions ?? []).slice(0, MAX_ACTIONS).map((a) => ({ action: a.action, title: a.title })),
      data,
    } as NotificationOptions);
  } catch {
    // Malformed payload: a generic notification still counts as user-visible, so the push
    // service does not penalize the subscription for a silent push.
    await self.registration.showNotification(FALLBACK_TITLE, { data: { token: p.token } });
  }
  await report(p.token, "impression");
}

async function openTarget(event: NotificationEvent): Promise<void> {
  const n = event.notification;
  n.close();
  const d: StoredData = n.data ?? {};
  const action = event.action ? d.actions?.find((a) => a.action == event.action) : undefined;
  const url = new URL(action?.url || d.url || "/", self.location.origin).href;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const existing = windows.find((w) => w.url == url);
  await Promise.all([
    existing ? existing.focus() : self.clients.openWindow(url),
    report(d.token, "click", event.action || undefined),
  ]);
}

async function reportDismiss(event: NotificationEvent): Promise<void> {
  await report((event.notification.data as StoredData | null)?.token, "dismiss");
}

/** The push service rotated or expired our subscription: subscribe again and let Herald
 *  replace the old endpoint's row (keeping its tags and history). */
async function resubscribe(event: Event & { oldSubscription?: PushSubscription | null; newSubscription?: PushSubscription | null }): Promise<void> {
  const old = event.oldSubscription;
  let subscription = event.newSubscription;
  if (!subscription) {
    let key: BufferSource | string | null | undefined = old?.options.applicationServerKey;
    if (!key) {
      const res = await fetch(HERALD_ORIGIN + "/api/sdk/config?site_key=" + SITE_KEY);
      const b64 = ((await res.json()) as { vapid_public_key: string }).vapid_public_key;
      key = Uint8Array.from(atob(b64.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
    }
    subscription = await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  }
  await post("/api/subscribe", {
    site_key: SITE_KEY,
    subscription: subscription.toJSON(),
    old_endpoint: old?.endpoint,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    language: navigator.language,
  });
}

/** Activate updates at once: a stale worker would keep showing pushes the old way. */
async function activateNow(): Promise<void> {
  await self.skipWaiting();
}

self.addEventListener("install", (event) => event.waitUntil(activateNow()));
self.addEventListener("push", (event) => event.waitUntil(showPush(event)));
self.addEventListener("notificationclick", (event) => event.waitUntil(openTarget(event)));
self.addEventListener("notificationclose", (event) => event.waitUntil(reportDismiss(event)));
self.addEventListener("pushsubscriptionchange", (event) => (event as ExtendableEvent).waitUntil(resubscribe(event)));
