// Herald page SDK (window.Herald): subscribes this browser to Web Push for one site and
// keeps its tags / external id in sync with the Herald API. Loaded as
//   <script src="https://HERALD/sdk.js" data-site="SITE_KEY" async></script>
// Optional attributes (used by the demo page): data-sw (service worker path, overrides the
// config's service_worker_path) and data-scope (registration scope, default "/").
// Budget: ≤ 3 KB gzipped (scripts/size.ts), so plain DOM code and no dependencies.

interface SdkConfig {
  site_key: string;
  vapid_public_key: string; // base64url, 65-byte uncompressed P-256 point
  soft_prompt: { enabled: boolean; text: string; delay_s: number };
  service_worker_path: string;
}
export {}; // a module: its top-level names stay out of the page's globals

type HeraldError = Error & { code: string; fields?: unknown };
type Herald = typeof api & { inbox: InboxFacade };
/** The inbox bundle's API (sdk/inbox/), each call answered once the bundle has loaded. */
type InboxFacade = { [K in Exclude<(typeof INBOX_METHODS)[number], "on" | "off">]: (...args: Parameters<InboxApi[K]>) => Promise<Awaited<ReturnType<InboxApi[K]>>> } & {
  [K in "on" | "off"]: <E extends keyof Listeners>(event: E, fn: (value: Listeners[E]) => void) => Promise<void>;
};
import type { InboxApi } from "./inbox/index";
import type { Host, Listeners } from "./inbox/client";
/** The inbox bundle's content hash, set by scripts/build-sdk.ts: this SDK loads exactly the
 *  bundle it was built with, from an immutable URL. */
declare const __HERALD_INBOX_VERSION__: string;
type QueuedCommand = (herald: Herald) => unknown;

declare global {
  interface Window {
    Herald?: Herald;
    HeraldInbox?: (host: Host) => InboxApi;
    HeraldQueue?: QueuedCommand[] | { push(...commands: QueuedCommand[]): number };
  }
}

/** "Not now" on the soft prompt hides it for this long (ms); asking again sooner nags. */
const SOFT_PROMPT_SNOOZE_MS = 7 * 24 * 3600 * 1000;
const SNOOZE_STORAGE_KEY = "herald_snooze";

const script = (document.currentScript ?? document.querySelector("script[data-site]")) as HTMLScriptElement;
const heraldOrigin = new URL(script.src).origin;
const siteKey = script.dataset.site ?? "";
const scope = script.dataset.scope ?? "/";

function heraldError(code: string, message: string, fields?: unknown): HeraldError {
  return Object.assign(new Error(message), { code, fields });
}

/** Why push cannot work here, or "" when it can. iOS/iPadOS Safari only exposes PushManager
 *  to web apps added to the Home Screen (WebKit, iOS 16.4), so say that instead of "unsupported".
 *  iPadOS reports itself as a Mac; touch points give it away. */
function unsupportedReason(): string {
  if ("serviceWorker" in navigator && "PushManager" in window && "Notification" in window) return "";
  const ua = navigator.userAgent;
  const ios = /iP(hone|ad|od)/.test(ua) || (/Mac/.test(ua) && navigator.maxTouchPoints > 1);
  return ios && (navigator as { standalone?: boolean }).standalone !== true ? "ios_requires_home_screen" : "unsupported";
}

function assertSupported(): void {
  const reason = unsupportedReason();
  if (reason == "ios_requires_home_screen") throw heraldError(reason, "On iPhone and iPad, add this site to your Home Screen to get notifications");
  if (reason) throw heraldError(reason, "This browser does not support web push notifications");
}

async function request<T>(path: string, body?: object): Promise<T> {
  const response = await fetch(heraldOrigin + path, body && {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status == 204) return undefined as T;
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const e = json.error ?? {};
    throw heraldError(e.code ?? "http_" + response.status, e.message ?? response.statusText, e.fields);
  }
  return json;
}

let configPromise: Promise<SdkConfig> | undefined;
function config(): Promise<SdkConfig> {
  // Memoized, but a failed fetch is forgotten so the next call retries.
  return (configPromise ??= request<SdkConfig>("/api/sdk/config?site_key=" + encodeURIComponent(siteKey)).catch((e) => {
    configPromise = undefined;
    throw e;
  }));
}

function base64url(bytes: ArrayBuffer | null): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes ?? new ArrayBuffer(0))))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
function fromBase64url(s: string): Uint8Array {
  return Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
}

/** How long subscribe() waits for the service worker to activate, and then for the browser's
 *  push service, before giving up (ms). Neither promise settles by itself when the browser
 *  cannot reach its push service (Chrome waits on FCM registration behind a firewall or proxy,
 *  or offline) or cannot fetch the worker's imported script: without a limit a page's
 *  Subscribe button would spin forever. Both normally take well under 5 s. */
const SUBSCRIBE_STEP_TIMEOUT_MS = 20_000;
const UNREACHABLE = "Your browser could not reach its push service. Check your connection and try again.";

/** `promise`, or a HeraldError `code` once SUBSCRIBE_STEP_TIMEOUT_MS has passed. */
function timeLimit<T>(promise: Promise<T>, code: string, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(heraldError(code, message)), SUBSCRIBE_STEP_TIMEOUT_MS))),
  ]).finally(() => clearTimeout(timer));
}

/** Registers the site's worker and waits until it is active: pushManager.subscribe rejects
 *  while the registration has no active worker (Push API §subscribe). */
async function register(c: SdkConfig): Promise<ServiceWorkerRegistration> {
  const registration = await navigator.serviceWorker.register(script.dataset.sw ?? c.service_worker_path, { scope });
  const worker = registration.installing ?? registration.waiting;
  if (!registration.active && worker) {
    await timeLimit(
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (worker.state == "activated") resolve();
          if (worker.state == "redundant") reject(heraldError("service_worker_failed", "The service worker failed to install"));
        };
        worker.addEventListener("statechange", check);
        check(); // it may have activated between register() and here
      }),
      "service_worker_timeout",
      "The service worker did not start. Check your connection and try again.",
    );
  }
  return registration;
}

async function currentSubscription(): Promise<PushSubscription | null> {
  if (unsupportedReason()) return null;
  const registration = await navigator.serviceWorker.getRegistration(scope);
  return (await registration?.pushManager.getSubscription()) ?? null;
}

interface Extra {
  tags?: string[];
  external_id?: string | null;
  external_id_hash?: string;
}
/** The signed-in user named by identify(): sent with every subscribe until logout(). */
let identity: Extra = {};

function save(subscription: PushSubscription, extra: Extra) {
  return request<{ subscriber_id: string }>("/api/subscribe", {
    site_key: siteKey,
    subscription: subscription.toJSON(),
    ...identity,
    ...extra,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    language: navigator.language,
  });
}

async function update(extra: Extra) {
  const subscription = await currentSubscription();
  if (!subscription) throw heraldError("not_subscribed", "This browser is not subscribed yet; call Herald.subscribe() first");
  return save(subscription, extra);
}

const api = {
  /** Asks for permission (call it from a click: browsers require a user gesture), subscribes
   *  with the site's VAPID key and registers the subscription with Herald. */
  async subscribe(options: { tags?: string[] } = {}): Promise<{ subscriber_id: string }> {
    assertSupported();
    // First, while the click's user activation is still fresh (Safari and Firefox drop it
    // across network awaits).
    if ((await Notification.requestPermission()) != "granted") {
      throw heraldError("permission_denied", "Notification permission was not granted");
    }
    const c = await config();
    const { pushManager } = await register(c);
    let subscription = await pushManager.getSubscription();
    // A subscription made with an older VAPID key cannot be reused (InvalidStateError).
    if (subscription && base64url(subscription.options.applicationServerKey) != c.vapid_public_key) {
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription ??= await timeLimit(
      pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: fromBase64url(c.vapid_public_key) as BufferSource,
      }),
      "push_service_unreachable",
      UNREACHABLE,
    );
    return save(subscription, options);
  },

  /** Unsubscribes in the browser first (that alone stops deliveries), then tells Herald. */
  async unsubscribe(): Promise<void> {
    const subscription = await currentSubscription();
    if (!subscription) return;
    const { endpoint } = subscription;
    await subscription.unsubscribe();
    await request("/api/unsubscribe", { site_key: siteKey, endpoint });
  },

  async isSubscribed(): Promise<boolean> {
    // currentSubscription() first: iOS Safari outside the Home Screen has no Notification.
    return !!(await currentSubscription()) && Notification.permission == "granted";
  },

  /** Replaces this subscriber's tags. */
  setTags: (tags: string[]) => update({ tags }),

  /** Links this browser to your user id. `userHash` is HMAC-SHA256(identity secret, externalId)
   *  in hex, computed on your server (never put the secret in a page). Applied now if subscribed,
   *  else with the next subscribe(). */
  async identify(externalId: string, userHash: string): Promise<void> {
    const changed = identity.external_id_hash != userHash;
    identity = { external_id: externalId, external_id_hash: userHash };
    if (changed) restartInbox();
    if (await currentSubscription()) await update({});
  },

  /** Forgets the user (on sign-out): this browser stays subscribed, anonymously. */
  async logout(): Promise<void> {
    identity = { external_id: null };
    restartInbox();
    if (await currentSubscription()) await update({});
  },

  permission: (): NotificationPermission | "unsupported" => (unsupportedReason() ? "unsupported" : Notification.permission),
};

// ─── Herald.inbox: a facade that loads the inbox bundle (sdk/inbox/) on first use ───
const INBOX_METHODS = ["mount", "list", "counts", "markRead", "markUnread", "markSeen", "archive", "unarchive", "remove", "markAllRead", "preferences", "setPreferences", "on", "off", "items"] as const;
let inboxReady: Promise<InboxApi> | undefined;

function loadInbox(): Promise<InboxApi> {
  if (!identity.external_id_hash) return Promise.reject(heraldError("not_identified", "Call Herald.identify(userId, userHash) before using the inbox"));
  // A script element, not import(): a classic script from the Herald origin works cross-origin
  // without CORS and under any CSP that allows Herald's /sdk.js (nonce-based 'strict-dynamic' too).
  return (inboxReady ??= new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = heraldOrigin + "/sdk/inbox-" + __HERALD_INBOX_VERSION__ + ".js";
    s.onload = () => resolve(window.HeraldInbox!({ origin: heraldOrigin, siteKey, scope, user: () => identity }));
    s.onerror = () => {
      inboxReady = undefined;
      reject(heraldError("inbox_unavailable", "The notification inbox could not be loaded. Check your connection and try again"));
    };
    document.head.append(s);
  }));
}
function restartInbox(): void {
  inboxReady?.then((b) => b.restart(), () => {});
}
const inbox = Object.fromEntries(
  INBOX_METHODS.map((name) => [name, (...args: unknown[]) => loadInbox().then((b) => (b[name] as (...a: unknown[]) => unknown)(...args))]),
) as InboxFacade;

function softPrompt(text: string, canSubscribe: boolean): void {
  const el = (tag: string, css: string, content: string, parent: Node) => {
    const e = document.createElement(tag);
    // CSSOM, not style attributes or <style>: allowed under a strict style-src CSP.
    e.style.cssText = css;
    e.textContent = content;
    return parent.appendChild(e);
  };
  const host = document.createElement("div");
  // A shadow root keeps the page's own CSS (button { ... }) off the prompt.
  const root = host.attachShadow({ mode: "open" });
  const dialog = el(
    "div",
    "position:fixed;top:16px;right:16px;left:16px;margin:auto;max-width:340px;z-index:2147483647;padding:16px;border-radius:12px;background:#fff;color:#111;box-shadow:0 6px 24px #0004;font:15px/1.4 system-ui,sans-serif",
    "",
    root,
  );
  dialog.setAttribute("role", "dialog");
  dialog.setAttribute("aria-label", "Notifications");
  el("p", "margin:0 0 12px", text, dialog);
  const row = el("div", "display:flex;gap:8px;justify-content:flex-end", "", dialog);
  const button = "font:inherit;padding:6px 14px;border-radius:8px;cursor:pointer;border:1px solid ";
  const close = () => host.remove();
  const later = el("button", button + "#bbb;background:#fff;color:#111", canSubscribe ? "Not now" : "OK", row);
  later.onclick = () => {
    localStorage.setItem(SNOOZE_STORAGE_KEY, "" + Date.now());
    close();
  };
  if (canSubscribe) {
    el("button", button + "#2563eb;background:#2563eb;color:#fff", "Allow", row).onclick = () => {
      close();
      api.subscribe().then(
        (detail) => dispatchEvent(new CustomEvent("herald:subscribed", { detail })),
        (detail) => dispatchEvent(new CustomEvent("herald:error", { detail })),
      );
    };
  }
  dialog.onkeydown = (e) => e.key == "Escape" && close();
  document.body.appendChild(host);
}

async function maybeSoftPrompt(): Promise<void> {
  const { soft_prompt: p } = await config();
  const reason = unsupportedReason();
  const snoozed = Date.now() - Number(localStorage.getItem(SNOOZE_STORAGE_KEY)) < SOFT_PROMPT_SNOOZE_MS;
  if (!p.enabled || snoozed || reason == "unsupported" || (!reason && Notification.permission != "default")) return;
  setTimeout(
    () => softPrompt(reason ? "Add this site to your Home Screen to get notifications (Share → Add to Home Screen)." : p.text, !reason),
    p.delay_s * 1000,
  );
}

if (!window.Herald) {
  const herald = (window.Herald = Object.assign(api, { inbox }));
  const run = (command: QueuedCommand) => {
    try {
      command(herald);
    } catch (e) {
      console.error(e);
    }
  };
  const queued = window.HeraldQueue;
  window.HeraldQueue = { push: (...commands) => (commands.forEach(run), 0) };
  if (Array.isArray(queued)) queued.forEach(run);
  maybeSoftPrompt().catch((e) => console.warn("Herald:", e.message));
}
