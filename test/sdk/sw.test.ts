// The service worker's handlers (sdk/sw.ts) run against a fake ServiceWorkerGlobalScope:
// what gets shown, where a click goes and what is reported. The browser test
// (test/e2e/sdk.browser.test.ts) covers the real push path; clicks and dismissals cannot
// be driven there, so they are pinned down here.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

type Listener = (event: unknown) => void;
const listeners = new Map<string, Listener>();
const shown: { title: string; options: Record<string, unknown> }[] = [];
const posts: { url: string; body: Record<string, unknown>; keepalive?: boolean }[] = [];
const windows: { url: string; focus: ReturnType<typeof vi.fn> }[] = [];
const opened: string[] = [];
let showNotificationFails = false;
let subscribeCalls: unknown[] = [];

const g = globalThis as Record<string, unknown>;
const saved = { addEventListener: g.addEventListener, fetch: g.fetch };

beforeAll(async () => {
  g.addEventListener = (type: string, listener: Listener) => listeners.set(type, listener);
  g.location = { origin: "https://shop.test" };
  g.registration = {
    async showNotification(title: string, options: Record<string, unknown>) {
      if (showNotificationFails && title !== "New notification") throw new TypeError("bad options");
      shown.push({ title, options });
    },
    pushManager: {
      async subscribe(options: unknown) {
        subscribeCalls.push(options);
        return { toJSON: () => ({ endpoint: "https://push.test/new", expirationTime: null, keys: { p256dh: "p", auth: "a" } }) };
      },
    },
  };
  g.clients = {
    matchAll: async () => windows,
    openWindow: async (url: string) => void opened.push(url),
  };
  g.skipWaiting = async () => {};
  g.fetch = async (url: string, init?: RequestInit & { keepalive?: boolean }) => {
    if (init?.method === "POST") {
      posts.push({ url, body: JSON.parse(init.body as string), keepalive: init.keepalive });
      return new Response(null, { status: 202 });
    }
    return Response.json({ vapid_public_key: "BAEC" });
  };
  // A non-literal specifier keeps tsc (Workers types) out of sw.ts; sdk/tsconfig.json checks it.
  const sw = "../../sdk/sw.ts";
  await import(/* @vite-ignore */ sw);
  g.addEventListener = saved.addEventListener;
});

afterAll(() => {
  g.fetch = saved.fetch;
});

afterEach(() => {
  shown.length = posts.length = windows.length = opened.length = 0;
  showNotificationFails = false;
  subscribeCalls = [];
});

/** Dispatches to the captured listener and waits for everything passed to waitUntil. */
async function dispatch(type: string, fields: Record<string, unknown>) {
  const pending: Promise<unknown>[] = [];
  listeners.get(type)!({ ...fields, waitUntil: (p: Promise<unknown>) => pending.push(p) });
  expect(pending, `${type} must call event.waitUntil`).toHaveLength(1);
  await pending[0];
}
const pushData = (value: unknown) => ({ data: { json: () => (typeof value === "string" ? JSON.parse(value) : value) } });

describe("push", () => {
  it("shows the payload, keeps url/actions/token in data and reports an impression", async () => {
    const actions = [
      { action: "a", title: "A", url: "https://shop.test/a" },
      { action: "b", title: "B" },
      { action: "c", title: "C" },
    ];
    await dispatch("push", pushData({ title: "Sale", body: "20% off", url: "https://shop.test/sale", actions, tag: "t", renotify: true, require_interaction: true, token: "tok1" }));
    expect(shown).toHaveLength(1);
    expect(shown[0]!.title).toBe("Sale");
    expect(shown[0]!.options).toMatchObject({
      body: "20% off", tag: "t", renotify: true, requireInteraction: true,
      actions: [{ action: "a", title: "A" }, { action: "b", title: "B" }],
      data: { url: "https://shop.test/sale", actions, token: "tok1" },
    });
    expect(posts).toEqual([{ url: "__HERALD_ORIGIN__/api/events", body: { token: "tok1", type: "impression" }, keepalive: true }]);
  });

  it("tags a push herald-<id> and keeps the id in data, so the inbox can close it when the item is read", async () => {
    await dispatch("push", pushData({ id: "ntf_A1", title: "Order shipped", token: "tok9" }));
    await dispatch("push", pushData({ id: "ntf_B2", title: "Sale", tag: "sale", token: "tok10" }));
    expect(shown.map((s) => [s.options.tag, (s.options.data as { id?: string }).id])).toEqual([
      ["herald-ntf_A1", "ntf_A1"],
      ["sale", "ntf_B2"],
    ]);
  });

  it("drops renotify without a tag, which browsers reject", async () => {
    await dispatch("push", pushData({ title: "x", renotify: true, token: "t" }));
    expect(shown[0]!.options.renotify).toBe(false);
  });

  it("still shows a generic notification for unparsable JSON, an empty push or rejected options", async () => {
    await dispatch("push", pushData("{oops"));
    await dispatch("push", { data: null });
    showNotificationFails = true;
    await dispatch("push", pushData({ title: "Bad", token: "tok2" }));
    expect(shown.map((s) => s.title)).toEqual(["New notification", "New notification", "New notification"]);
    expect(posts.map((p) => p.body)).toEqual([{ token: "tok2", type: "impression" }]);
  });
});

describe("notificationclick", () => {
  const notification = (data: unknown) => ({ data, close: vi.fn() });
  const data = { url: "https://shop.test/sale?utm_source=herald", actions: [{ action: "cart", title: "Cart", url: "/cart" }, { action: "x", title: "X" }], token: "tok3" };

  it("closes it, opens the url and reports a click", async () => {
    const n = notification(data);
    await dispatch("notificationclick", { notification: n, action: "" });
    expect(n.close).toHaveBeenCalled();
    expect(opened).toEqual(["https://shop.test/sale?utm_source=herald"]);
    expect(posts.map((p) => p.body)).toEqual([{ token: "tok3", type: "click" }]);
  });

  it("opens the clicked action's url and reports the action; an action without a url uses the main url", async () => {
    await dispatch("notificationclick", { notification: notification(data), action: "cart" });
    await dispatch("notificationclick", { notification: notification(data), action: "x" });
    expect(opened).toEqual(["https://shop.test/cart", "https://shop.test/sale?utm_source=herald"]);
    expect(posts.map((p) => p.body)).toEqual([
      { token: "tok3", type: "click", action: "cart" },
      { token: "tok3", type: "click", action: "x" },
    ]);
  });

  it("focuses a window already at the destination instead of opening another", async () => {
    const focus = vi.fn(async () => {});
    windows.push({ url: "https://shop.test/sale?utm_source=herald", focus });
    await dispatch("notificationclick", { notification: notification(data), action: "" });
    expect(focus).toHaveBeenCalled();
    expect(opened).toEqual([]);
  });

  it("goes to the site root when the notification has no url (e.g. the generic one)", async () => {
    await dispatch("notificationclick", { notification: notification(null), action: "" });
    expect(opened).toEqual(["https://shop.test/"]);
    expect(posts).toEqual([]); // no token, nothing to report
  });
});

describe("notificationclose", () => {
  it("reports a dismissal", async () => {
    await dispatch("notificationclose", { notification: { data: { token: "tok4" } } });
    expect(posts.map((p) => p.body)).toEqual([{ token: "tok4", type: "dismiss" }]);
  });
});

describe("pushsubscriptionchange", () => {
  it("resubscribes with the old key and replaces the old endpoint", async () => {
    const key = new Uint8Array([4, 1, 2]).buffer;
    await dispatch("pushsubscriptionchange", { oldSubscription: { endpoint: "https://push.test/old", options: { applicationServerKey: key } } });
    expect(subscribeCalls).toEqual([{ userVisibleOnly: true, applicationServerKey: key }]);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.url).toBe("__HERALD_ORIGIN__/api/subscribe");
    expect(posts[0]!.body).toMatchObject({
      site_key: "__HERALD_SITE_KEY__",
      subscription: { endpoint: "https://push.test/new", keys: { p256dh: "p", auth: "a" } },
      old_endpoint: "https://push.test/old",
    });
  });

  it("fetches the VAPID key from the config when the old subscription is gone", async () => {
    await dispatch("pushsubscriptionchange", { oldSubscription: null });
    expect(subscribeCalls).toEqual([{ userVisibleOnly: true, applicationServerKey: new Uint8Array([4, 1, 2]) }]);
    expect(posts[0]!.body.old_endpoint).toBeUndefined();
  });

  it("uses a new subscription the browser already made", async () => {
    const newSubscription = { toJSON: () => ({ endpoint: "https://push.test/given", keys: {} }) };
    await dispatch("pushsubscriptionchange", { oldSubscription: { endpoint: "https://push.test/old", options: {} }, newSubscription });
    expect(subscribeCalls).toEqual([]);
    expect(posts[0]!.body).toMatchObject({ subscription: { endpoint: "https://push.test/given" }, old_endpoint: "https://push.test/old" });
  });
});
