// What the browser e2e tests put in front of a page's scripts (page.addInitScript): Chromium's
// PushManager registration replaced by a subscription of the local push sink, kept in
// localStorage like a real one. Everything else — the SDK, the service worker, the Worker, the
// sink decrypting each push — runs for real. It runs inside the page: nothing from outside it.
export function stubPushService(sub: { endpoint: string; keys: { p256dh: string; auth: string } }) {
  const storageKey = "e2e-push-subscription";
  const toBuffer = (b64: string) => Uint8Array.from(atob(b64.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)).buffer;
  const fake = (applicationServerKey: ArrayBuffer) => ({
    endpoint: sub.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey },
    getKey: (name: "p256dh" | "auth") => toBuffer(sub.keys[name]),
    toJSON: () => ({ endpoint: sub.endpoint, expirationTime: null, keys: sub.keys }),
    unsubscribe: async () => (localStorage.removeItem(storageKey), true),
  });
  PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
    const key = options?.applicationServerKey as Uint8Array;
    localStorage.setItem(storageKey, JSON.stringify([...new Uint8Array(key)]));
    return fake(new Uint8Array(key).buffer) as unknown as PushSubscription;
  };
  PushManager.prototype.getSubscription = async function () {
    const saved = localStorage.getItem(storageKey);
    return saved ? (fake(new Uint8Array(JSON.parse(saved)).buffer) as unknown as PushSubscription) : null;
  };
}
