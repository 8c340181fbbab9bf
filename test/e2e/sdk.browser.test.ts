// Web Push end to end, browser half: the demo customer page on the real local edge, in
// Debian Chromium. The only stand-in is the browser's own push-service registration
// (Chromium cannot reach FCM offline): PushManager.subscribe returns a subscription whose
// endpoint and keys come from the local push sink. The SDK, the service worker, the routes,
// the API and D1 are all real; the push itself is delivered to the worker through CDP.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { type Browser, type BrowserContext, type CDPSession, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, type Edge, startEdge } from "./harness.ts";
import { stubPushService } from "./push-stub.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOTS = path.resolve(import.meta.dirname, "../../docs/screenshots");

interface SinkSubscription { id: string; endpoint: string; keys: { p256dh: string; auth: string } }
interface SeenEvent { url: string; body: { token?: string; type?: string }; status?: number; fromServiceWorker: boolean }

let edge: Edge;
let sink: { origin: string; close(): Promise<void> | void };
let browser: Browser;
let context: BrowserContext;
let page: Page;
let accessToken: string;
let site: { id: string; site_key: string; vapid_public_key: string };
let sinkSubscription: SinkSubscription;
const seenEvents: SeenEvent[] = [];
/** Errors and warnings the demo page logs (normal use logs none). */
const pageConsole: string[] = [];

const api = apiClient(() => edge, () => accessToken);


async function shoot(name: string) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `demo-${name}.png`) });
}

beforeAll(async () => {
  // Written by the push-sink owner; imported lazily so a missing sink fails this file's setup
  // with a clear message rather than the whole run.
  const { startPushSink } = await import("../push-sink/main.ts");
  sink = await startPushSink({ port: 0 });
  edge = await startEdge({ extraPushOrigins: [sink.origin] });

  const email = `e2e-${Date.now()}@example.com`;
  accessToken = (await api<{ access_token: string }>("POST", "/api/auth/register", { email, password: "correct horse battery staple", name: "E2E" })).access_token;
  site = await api("POST", "/api/sites", { name: "Demo Store", url: edge.origin });
  await api("PATCH", `/api/sites/${site.id}`, { settings: { allowed_origins: [edge.origin] } });
  const created = await fetch(`${sink.origin}/subscriptions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  [sinkSubscription] = (await created.json()) as SinkSubscription[];
  expect(sinkSubscription?.endpoint).toMatch(/^http/);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  context = await browser.newContext({ viewport: { width: 960, height: 640 } });
  await context.grantPermissions(["notifications"], { origin: edge.origin });
  await context.addInitScript(stubPushService, sinkSubscription);
  // Observe (never answer) the reports the worker and page send to /api/events.
  context.on("requestfinished", async (request) => {
    if (!request.url().startsWith(`${edge.origin}/api/events`) || request.method() !== "POST") return;
    seenEvents.push({
      url: request.url(),
      body: request.postDataJSON(),
      status: (await request.response())?.status(),
      fromServiceWorker: !!request.serviceWorker(),
    });
  });
  page = await context.newPage();
  page.on("console", (m) => (m.type() === "error" || m.type() === "warning") && pageConsole.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => pageConsole.push(`pageerror: ${e.message}`));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await edge?.stop();
  await sink?.close();
});

describe("demo page in Chromium", () => {
  it("subscribes from the Subscribe button and the subscriber appears in the API", async () => {
    expect((await fetch(`${edge.origin}/demo/?site=${site.site_key}`)).status, "GET /demo/ (is sdkRoutes mounted?)").toBe(200);
    await page.goto(`${edge.origin}/demo/?site=${site.site_key}`);
    await expect.poll(() => page.textContent("#status")).toBe("Ready");
    expect(await page.textContent("#permission")).toBe("granted");
    expect(await page.textContent("#subscribed")).toBe("no");
    await shoot("ready");

    await page.click("#subscribe");
    await expect.poll(() => page.textContent("#status"), { timeout: 20_000 }).toMatch(/^Subscribed as \S+/);
    expect(await page.textContent("#subscribed")).toBe("yes");
    await shoot("subscribed");
    const subscriberId = (await page.textContent("#status"))!.replace("Subscribed as ", "");

    const list = await api<{ data?: unknown[] } | unknown[]>("GET", `/api/sites/${site.id}/subscribers`);
    const rows = (Array.isArray(list) ? list : (list.data ?? [])) as { id: string; endpoint?: string; tags?: string[] }[];
    const row = rows.find((r) => r.id === subscriberId);
    expect(row, JSON.stringify(rows)).toBeDefined();
    expect(row!.tags?.sort()).toEqual(["deals", "news"]);
    expect(pageConsole, "the demo page's console while loading and subscribing").toEqual([]);
  });

  it("shows a pushed notification and reports its impression from the service worker", async () => {
    const cdp: CDPSession = await context.newCDPSession(page);
    const registrations = new Map<string, string>(); // scopeURL → registrationId
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations: list }) => {
      for (const r of list as { scopeURL: string; registrationId: string; isDeleted: boolean }[]) {
        if (!r.isDeleted) registrations.set(r.scopeURL, r.registrationId);
      }
    });
    await cdp.send("ServiceWorker.enable");
    const scope = `${edge.origin}/demo/`;
    await expect.poll(() => registrations.get(scope)).toBeDefined();

    const payload = {
      title: "Spring sale",
      body: "Everything 20% off until Sunday",
      url: `${edge.origin}/demo/?site=${site.site_key}&utm_source=herald`,
      actions: [{ action: "shop", title: "Shop now", url: `${edge.origin}/demo/shop` }],
      tag: "sale",
      token: "e2e-impression-token",
    };
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin: edge.origin,
      registrationId: registrations.get(scope)!,
      data: JSON.stringify(payload),
    });

    const shown = () =>
      page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration("/demo/");
        const list = (await registration?.getNotifications()) ?? [];
        return list.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data }));
      });
    await expect.poll(shown, { timeout: 10_000 }).toHaveLength(1);
    const [notification] = await shown();
    expect(notification).toMatchObject({ title: payload.title, body: payload.body, tag: "sale" });
    expect(notification!.data).toMatchObject({ url: payload.url, token: payload.token, actions: payload.actions });

    await expect.poll(() => seenEvents.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(seenEvents[0]).toMatchObject({ body: { token: payload.token, type: "impression" }, fromServiceWorker: true });
    expect(seenEvents[0]!.status, "the edge answered the report (CORS and JSON accepted)").toBeLessThan(500);
  });

  it("shows a generic notification for a malformed payload", async () => {
    const cdp = await context.newCDPSession(page);
    let registrationId: string | undefined;
    // Chromium may also report registrations that were replaced (isDeleted): use the live one.
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      const live = (registrations as { scopeURL: string; registrationId: string; isDeleted: boolean }[]).find(
        (r) => r.scopeURL.endsWith("/demo/") && !r.isDeleted,
      );
      if (live) registrationId = live.registrationId;
    });
    await cdp.send("ServiceWorker.enable");
    await expect.poll(() => registrationId).toBeDefined();
    await cdp.send("ServiceWorker.deliverPushMessage", { origin: edge.origin, registrationId: registrationId!, data: "{not json" });
    const titles = () =>
      page.evaluate(async () =>
        ((await (await navigator.serviceWorker.getRegistration("/demo/"))?.getNotifications()) ?? []).map((n) => n.title),
      );
    await expect.poll(titles, { timeout: 10_000 }).toContain("New notification");
  });

  it("says so when the site key is unknown, instead of Ready", async () => {
    const other = await browser.newContext({ viewport: { width: 960, height: 640 } });
    const demo = await other.newPage();
    await demo.goto(`${edge.origin}/demo/?site=pk_NoSuchSite000000000000`);
    await expect.poll(() => demo.textContent("#status")).toBe("Unknown site key: check the ?site= parameter.");
    expect(await demo.getAttribute("#status", "class")).toBe("error");
    expect(await demo.isDisabled("#subscribe")).toBe(true);
    await demo.screenshot({ path: path.join(SCREENSHOTS, "demo-unknown-site.png") });
    await other.close();
  });

  it("stops and explains when the browser cannot reach its push service", async () => {
    // A push service that never answers (Chrome behind a firewall): pushManager.subscribe hangs.
    const other = await browser.newContext({ viewport: { width: 960, height: 640 } });
    await other.grantPermissions(["notifications"], { origin: edge.origin });
    await other.addInitScript(() => {
      PushManager.prototype.getSubscription = async () => null;
      PushManager.prototype.subscribe = () => {
        (window as { subscribeCalled?: boolean }).subscribeCalled = true;
        return new Promise<PushSubscription>(() => {});
      };
    });
    const demo = await other.newPage();
    await demo.clock.install(); // the SDK's 20 s limit, without waiting 20 s
    await demo.goto(`${edge.origin}/demo/?site=${site.site_key}`);
    await expect.poll(() => demo.textContent("#status")).toBe("Ready");
    await demo.click("#subscribe");
    await expect.poll(() => demo.evaluate(() => (window as { subscribeCalled?: boolean }).subscribeCalled), { timeout: 20_000 }).toBe(true);
    expect(await demo.textContent("#status")).toBe("Subscribing…");
    await demo.clock.fastForward(21_000);
    await expect.poll(() => demo.textContent("#status")).toBe("Your browser could not reach its push service. Check your connection and try again.");
    expect(await demo.getAttribute("#status", "data-code")).toBe("push_service_unreachable");
    expect(await demo.getAttribute("#status", "class")).toBe("error"); // no longer spinning
    expect(await demo.isEnabled("#subscribe")).toBe(true);
    await demo.screenshot({ path: path.join(SCREENSHOTS, "demo-push-unreachable.png") });
    await other.close();
  });

  it("sets tags and unsubscribes", async () => {
    await page.fill("#tags", "vip");
    await page.click("#set-tags");
    await expect.poll(() => page.textContent("#status")).toBe("Tags set: vip");
    const rows = await api<{ data?: { tags?: string[]; endpoint?: string }[] } | { tags?: string[] }[]>("GET", `/api/sites/${site.id}/subscribers`);
    const list = (Array.isArray(rows) ? rows : (rows.data ?? [])) as { tags?: string[] }[];
    expect(list.map((r) => r.tags)).toContainEqual(["vip"]);

    await page.click("#unsubscribe");
    await expect.poll(() => page.textContent("#status")).toBe("Unsubscribed");
    expect(await page.textContent("#subscribed")).toBe("no");
    await shoot("unsubscribed");
  });
});
