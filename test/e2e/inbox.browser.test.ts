// The in-app inbox end to end, browser half (issue #9 §4, §5): the demo customer page on the
// real local edge in Debian Chromium, signed in as one user in two tabs. Real: the page SDK and
// its lazily loaded inbox bundle (client + widget), the WebSocket to the user's Durable Object,
// the messages API and queue, the push sender, the service worker. Stand-ins: the browser's
// push-service registration (as in sdk.browser.test.ts: PushManager answers with a push-sink
// subscription) and the delivery of the push into the worker (CDP, with the payload the sink
// decrypted from the edge's real push).
import { createHmac, randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type Browser, type BrowserContext, type Page, type WebSocketRoute, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPushSink, type PushSink, type SinkSubscription } from "../push-sink/main.ts";
import { apiClient, startEdge, type Edge } from "./harness.ts";
import { stubPushService } from "./push-stub.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOTS = path.resolve(import.meta.dirname, "../../docs/screenshots");
const USER = "ada@demo";

let edge: Edge;
let sink: PushSink;
let browser: Browser;
let context: BrowserContext;
let tabA: Page;
let tabB: Page;
let accessToken: string;
let site: { id: string; site_key: string; identity_secret: string };
let sinkSub: SinkSubscription;
let demoUrl: string;
/** A customer's own site on another origin (another port) than the edge: its page loads
 *  /sdk.js from the edge under a strict CSP. Allowed by the site from the start (the inbox API
 *  caches a site's settings for a few seconds). */
let shop: { origin: string; close(): void };
/** Errors and warnings the demo tabs log (normal use logs none). */
const consoleLines: string[] = [];
/** Reports the service worker sends to /api/events. */
const reports: Array<{ type?: string; token?: string; fromServiceWorker: boolean }> = [];

const api = apiClient(() => edge, () => accessToken);
const send = (content: object) =>
  api<{ id: string }>("POST", `/api/sites/${site.id}/messages`, { to: { external_ids: [USER] }, content }, { "idempotency-key": randomBytes(8).toString("hex") });


async function openTab(ctx: BrowserContext, log = consoleLines): Promise<Page> {
  const page = await ctx.newPage();
  page.on("console", (m) => (m.type() === "error" || m.type() === "warning") && log.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => log.push(`pageerror: ${e.message}`));
  await page.goto(demoUrl);
  // The bell is drawn, the first page loaded and the socket open (the server's first counts).
  await page.locator("herald-inbox[data-connection=online]").waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => / in the inbox\.$/.test(document.getElementById("inbox-status")?.textContent ?? ""), undefined, { timeout: 10_000 }); // and the first page
  return page;
}

const bell = (page: Page) => page.locator("herald-inbox .bell");
const row = (page: Page, title: string) => page.locator("herald-inbox li", { hasText: title });
async function openPanel(page: Page) {
  if ((await bell(page).getAttribute("aria-expanded")) !== "true") await bell(page).click();
  await page.locator("herald-inbox .panel").waitFor();
}

/** The notifications the demo's service worker shows now. */
const shownPushes = (page: Page) =>
  page.evaluate(async () =>
    ((await (await navigator.serviceWorker.getRegistration("/demo/"))?.getNotifications()) ?? []).map((n) => ({ tag: n.tag, title: n.title })),
  );

/** Waits for the edge's real push to reach the sink and hands its payload to the worker. */
async function deliverLatestPush(title: string): Promise<{ id: string; token: string }> {
  let payload: { id?: string; token?: string; title?: string } | undefined;
  await expect
    .poll(() => (payload = (sink.messages(sinkSub.id) as Array<{ payload: typeof payload }>).map((m) => m.payload).find((p) => p?.title === title)), { timeout: 20_000 })
    .toBeDefined();
  const cdp = await context.newCDPSession(tabA);
  let registrationId: string | undefined;
  cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
    const live = (registrations as Array<{ scopeURL: string; registrationId: string; isDeleted: boolean }>).find((r) => r.scopeURL.endsWith("/demo/") && !r.isDeleted);
    if (live) registrationId = live.registrationId;
  });
  await cdp.send("ServiceWorker.enable");
  await expect.poll(() => registrationId).toBeDefined();
  // Once in a while Chromium drops a CDP-delivered push to a worker that is just starting (seen
  // once in ~15 runs: nothing shown, nothing logged); a real push service redelivers, so do we.
  const tag = `herald-${payload!.id}`;
  for (let attempt = 1; ; attempt++) {
    await cdp.send("ServiceWorker.deliverPushMessage", { origin: edge.origin, registrationId: registrationId!, data: JSON.stringify(payload) });
    try {
      await expect.poll(async () => (await shownPushes(tabA)).map((n) => n.tag), { timeout: 5_000 }).toContain(tag);
      break;
    } catch (err) {
      if (attempt === 2) throw err;
    }
  }
  return { id: payload!.id!, token: payload!.token! };
}

async function startShop(userHash: string): Promise<typeof shop> {
  let origin = "";
  const csp = () => `default-src 'none'; script-src ${origin} ${edge.origin}; connect-src ${edge.origin} ${edge.origin.replace(/^http/, "ws")}; style-src ${origin}; img-src data:`;
  const server = createServer((req, res) => {
    if (req.url === "/app.js") {
      res.writeHead(200, { "content-type": "application/javascript" });
      return res.end(`(window.HeraldQueue = window.HeraldQueue || []).push(async (Herald) => {
        await Herald.identify(${JSON.stringify(USER)}, ${JSON.stringify(userHash)});
        await Herald.inbox.mount("#bell");
      });`);
    }
    res.writeHead(200, { "content-type": "text/html", "content-security-policy": csp() });
    res.end(`<!doctype html><html><head><title>Shop</title></head><body><header><div id="bell"></div></header>
      <script src="${edge.origin}/sdk.js" data-site="${site.site_key}" async></script><script src="/app.js" defer></script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => server.close() };
}

beforeAll(async () => {
  sink = await startPushSink({ port: 0 });
  edge = await startEdge({ extraPushOrigins: [sink.origin] });
  accessToken = (await api<{ access_token: string }>("POST", "/api/auth/register", { email: `inbox-${Date.now()}@example.com`, password: "correct horse battery staple", name: "E2E" })).access_token;
  site = await api("POST", "/api/sites", { name: "Demo Store", url: edge.origin });
  // What the customer's server computes; the secret never reaches the page.
  const userHash = createHmac("sha256", site.identity_secret).update(USER).digest("hex");
  demoUrl = `${edge.origin}/demo/?site=${site.site_key}&user=${encodeURIComponent(USER)}&user_hash=${userHash}`;
  [sinkSub] = sink.createSubscriptions(1);
  shop = await startShop(userHash);
  await api("PATCH", `/api/sites/${site.id}`, { settings: { allowed_origins: [edge.origin, shop.origin] } });

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(["notifications"], { origin: edge.origin });
  await context.addInitScript(stubPushService, { endpoint: sinkSub!.endpoint, keys: sinkSub!.keys });
  context.on("requestfinished", (request) => {
    if (request.url().startsWith(`${edge.origin}/api/events`) && request.method() === "POST") reports.push({ ...request.postDataJSON(), fromServiceWorker: !!request.serviceWorker() });
  });
  tabA = await openTab(context);
  tabB = await openTab(context);
}, 240_000);

afterAll(async () => {
  shop?.close();
  await browser?.close();
  await edge?.stop();
  await sink?.close();
});

describe("the inbox widget on the demo page, two tabs of one user", () => {
  it("shows the bell for the signed-in user, loaded lazily, with nothing unread", async () => {
    for (const tab of [tabA, tabB]) {
      await expect.poll(() => bell(tab).getAttribute("aria-label")).toBe("Notifications");
      expect(await bell(tab).getAttribute("aria-expanded")).toBe("false");
      expect(await tab.textContent("#inbox-status")).toBe("0 unread of 0 in the inbox.");
    }
    // The page SDK loaded the inbox bundle from its own origin, exactly the version it was built with.
    const scripts = await tabA.evaluate(() => [...document.scripts].map((s) => new URL(s.src, location.href).pathname));
    expect(scripts.some((p) => /^\/sdk\/inbox-[0-9a-f]{12}\.js$/.test(p)), scripts.join(", ")).toBe(true);
    await openPanel(tabA);
    expect(await tabA.locator("herald-inbox .empty").textContent()).toBe("You have no notifications. New ones will show up here.");
    await tabA.keyboard.press("Escape");
    expect(await bell(tabA).getAttribute("aria-expanded")).toBe("false");
    expect(await tabA.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className)).toBe("bell");
  });

  it("a server message with in_app content shows live in both tabs; reading it in one updates the other", async () => {
    const sentAt = Date.now();
    await send({ in_app: { title: "Your order shipped", body: "Order #1042 is on its way and arrives Thursday." } });
    for (const tab of [tabA, tabB]) {
      await expect.poll(() => bell(tab).getAttribute("aria-label"), { timeout: 15_000 }).toBe("Notifications, 1 unread");
      expect(await tab.locator("herald-inbox .badge").textContent()).toBe("1");
    }
    console.log(`in_app message → badge in both tabs: ${Date.now() - sentAt} ms`);
    // The screen reader hears it.
    expect(await tabB.locator("herald-inbox [aria-live]").textContent()).toBe("New notification: Your order shipped");

    await openPanel(tabA);
    await openPanel(tabB);
    for (const tab of [tabA, tabB]) {
      expect(await row(tab, "Your order shipped").getAttribute("class")).toBe("unread");
      expect(await row(tab, "Your order shipped").locator("time").textContent()).toBe("just now");
    }
    await row(tabA, "Your order shipped").locator(".open").click();
    for (const tab of [tabB, tabA]) {
      await expect.poll(() => row(tab, "Your order shipped").getAttribute("class"), { timeout: 10_000 }).toBe("read");
      await expect.poll(() => bell(tab).getAttribute("aria-label")).toBe("Notifications");
      expect(await tab.locator("herald-inbox .badge").isHidden()).toBe(true);
    }
    // One item, however many sources told each tab about it.
    expect(await row(tabB, "Your order shipped").count()).toBe(1);
  });

  it("mark all read and archive reach the other tab", async () => {
    await send({ in_app: { title: "Flash sale", body: "20% off shoes until midnight." } });
    await send({ in_app: { title: "New comment", body: "Grace replied to your review." } });
    await expect.poll(() => bell(tabB).getAttribute("aria-label"), { timeout: 15_000 }).toBe("Notifications, 2 unread");
    await tabA.locator("herald-inbox .link", { hasText: "Mark all read" }).click();
    await expect.poll(() => bell(tabB).getAttribute("aria-label"), { timeout: 10_000 }).toBe("Notifications");
    await expect.poll(() => tabB.locator("herald-inbox li.unread").count()).toBe(0);

    await row(tabB, "Flash sale").getByRole("button", { name: "Archive: Flash sale" }).click();
    await expect.poll(() => row(tabA, "Flash sale").count(), { timeout: 10_000 }).toBe(0);
    expect(await row(tabA, "New comment").count()).toBe(1);
  });

  it("reading an item in the inbox closes its push notification, and clicking a push marks the item read", async () => {
    // Subscribe the signed-in user's browser: the subscription is linked to the user.
    await tabA.click("#subscribe");
    await expect.poll(() => tabA.textContent("#status"), { timeout: 20_000 }).toMatch(/^Subscribed as \S+/);

    // Inbox → push: one message on both channels, read in tab B.
    const first = await send({ web_push: { title: "Price drop", body: "The boots you viewed are 30% off." }, in_app: { title: "Price drop", body: "The boots you viewed are 30% off." } });
    await expect.poll(() => row(tabB, "Price drop").count(), { timeout: 15_000 }).toBe(1);
    const push1 = await deliverLatestPush("Price drop");
    expect(push1.id, "the push and the inbox item are one notification").toBe(first.id);
    await row(tabB, "Price drop").locator(".open").click();
    await expect.poll(async () => (await shownPushes(tabA)).map((n) => n.tag), { timeout: 10_000 }).not.toContain(`herald-${push1.id}`);

    // Push → inbox: the service worker's click handler runs for the shown notification (a
    // headless browser has no notification to click, so the event is dispatched in the worker).
    await send({ web_push: { title: "Back in stock", body: "Your size is available again." }, in_app: { title: "Back in stock", body: "Your size is available again." } });
    const push2 = await deliverLatestPush("Back in stock");
    await expect.poll(() => row(tabA, "Back in stock").getAttribute("class"), { timeout: 15_000 }).toBe("unread");
    const [worker] = context.serviceWorkers().filter((w) => w.url().includes("/demo/herald-sw.js"));
    expect(worker, "the demo's service worker").toBeDefined();
    await worker!.evaluate(async (tag) => {
      const sw = self as unknown as ServiceWorkerGlobalScope;
      const [notification] = await sw.registration.getNotifications({ tag });
      if (!notification) throw new Error(`no notification tagged ${tag}`);
      sw.dispatchEvent(new NotificationEvent("notificationclick", { notification }));
    }, `herald-${push2.id}`);
    await expect.poll(() => reports.find((r) => r.type === "click" && r.token === push2.token), { timeout: 10_000 }).toMatchObject({ fromServiceWorker: true });
    for (const tab of [tabA, tabB]) {
      await expect.poll(() => row(tab, "Back in stock").getAttribute("class"), { timeout: 15_000 }).toBe("read");
    }
  });

  it("the Preferences tab switches channels and topics (required ones locked, and why) and sets quiet hours", async () => {
    await api("POST", `/api/sites/${site.id}/categories`, { key: "security", name: "Security alerts", description: "Sign-ins and password changes.", required: true });
    await api("POST", `/api/sites/${site.id}/categories`, { key: "comments", name: "Comments", description: "Replies to your reviews." });
    await openPanel(tabA);
    await tabA.locator("herald-inbox [role=tab]", { hasText: "Preferences" }).click();
    const email = tabA.getByRole("switch", { name: "Email" });
    await email.waitFor();
    expect(await email.isChecked()).toBe(true);
    await email.click();
    await expect.poll(() => tabA.locator("herald-inbox .status").textContent()).toBe("Saved.");
    const security = tabA.getByRole("switch", { name: /Security alerts/ });
    expect(await security.isDisabled()).toBe(true);
    expect(await security.isChecked()).toBe(true);
    expect(await tabA.locator("herald-inbox label", { hasText: "Security alerts" }).textContent()).toContain("Always on: you cannot turn these off.");
    await tabA.getByRole("switch", { name: /Comments/ }).click();
    await expect.poll(() => tabA.locator("herald-inbox .status").textContent()).toBe("Saved.");
    await tabA.getByRole("switch", { name: /Hold notifications overnight/ }).click();
    await expect.poll(() => tabA.locator("herald-inbox .status").textContent()).toBe("Saved.");

    const saved = await api<{ channels: Record<string, boolean>; categories: Array<{ key: string; enabled: boolean }>; quiet_hours: unknown }>("GET", `/api/sites/${site.id}/users/${encodeURIComponent(USER)}/preferences`);
    expect(saved.channels.email).toBe(false);
    expect(saved.categories.find((c) => c.key === "comments")?.enabled).toBe(false);
    expect(saved.categories.find((c) => c.key === "security")?.enabled).toBe(true);
    expect(saved.quiet_hours).toEqual({ start: "22:00", end: "08:00" });
    // Off again (the later tests send non-urgent messages, perhaps at 22:00 or after).
    await tabA.getByRole("switch", { name: /Hold notifications overnight/ }).click();
    await expect
      .poll(async () => (await api<{ quiet_hours: unknown }>("GET", `/api/sites/${site.id}/users/${encodeURIComponent(USER)}/preferences`)).quiet_hours, { timeout: 10_000 })
      .toBeNull();
    await tabA.locator("herald-inbox [role=tab]", { hasText: "Inbox" }).click();
  });

  it("after the socket drops, it reconnects and resumes from the last seq, getting what it missed", async () => {
    // Every inbox socket of this context passes through the test, which can cut it and hold the
    // next one until a message has been sent in between.
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const connections: Array<{ page: WebSocketRoute; server?: WebSocketRoute; sent: string[] }> = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await ctx.routeWebSocket(/\/api\/inbox\/ws/, (ws) => {
      const c: (typeof connections)[number] = { page: ws, sent: [] };
      connections.push(c);
      ws.onMessage((m) => (c.sent.push(String(m)), c.server?.send(m)));
      const connect = () => {
        c.server = ws.connectToServer();
        c.sent.forEach((m) => c.server!.send(m));
      };
      connections.length === 1 ? connect() : held.then(connect);
    });
    const page = await openTab(ctx);
    await send({ in_app: { title: "Receipt for order #1042", body: "Paid €84.00 by card." } });
    await expect.poll(() => row(page, "Receipt for order #1042").count(), { timeout: 15_000 }).toBe(1);
    const unreadBefore = await bell(page).getAttribute("aria-label");

    connections[0]!.page.close({ code: 1011, reason: "test: connection lost" });
    connections[0]!.server!.close();
    await expect.poll(() => page.locator("herald-inbox").getAttribute("data-connection")).toBe("offline");
    await expect.poll(() => connections.length, { timeout: 10_000 }).toBe(2); // retried after ~1 s
    await send({ in_app: { title: "Your parcel was delivered", body: "Left with a neighbour at no. 12." } });
    // Delivered to the user's object (not to this page: its socket is held).
    await expect
      .poll(async () => (await api<{ items: Array<{ title: string }> }>("GET", `/api/sites/${site.id}/users/${encodeURIComponent(USER)}/inbox`)).items.map((i) => i.title), { timeout: 15_000 })
      .toContain("Your parcel was delivered");
    expect(await row(page, "Your parcel was delivered").count()).toBe(0);
    release();
    await expect.poll(() => row(page, "Your parcel was delivered").count(), { timeout: 10_000 }).toBe(1);
    await page.locator("herald-inbox[data-connection=online]").waitFor();
    const resume = connections[1]!.sent.map((m) => JSON.parse(m) as { type: string; seq?: number }).find((m) => m.type === "resume");
    expect(resume?.seq, "resume names the highest seq the page saw").toBeGreaterThan(0);
    expect(await bell(page).getAttribute("aria-label")).not.toBe(unreadBefore);
    await ctx.close();
  });

  it("says in a sentence when an action fails offline, and works again once online", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const offlineLog: string[] = []; // the browser itself logs the failed socket attempts
    const page = await openTab(ctx, offlineLog);
    await send({ in_app: { title: "Your invoice is ready", body: "Invoice 2026-114 for €84.00." } });
    await expect.poll(() => row(page, "Your invoice is ready").count(), { timeout: 15_000 }).toBe(1);
    await openPanel(page);
    const first = page.locator("herald-inbox li").first();
    const title = await first.locator(".title").textContent();
    await ctx.setOffline(true);
    await first.locator(".arch").click();
    const alert = page.locator("herald-inbox [role=alert]");
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toBe("Could not reach the notification service. Check your connection and try again.");
    expect(await alert.isVisible()).toBe(true);
    expect(await page.locator("herald-inbox li").first().locator(".title").textContent(), "nothing archived").toBe(title);
    await ctx.setOffline(false);
    await row(page, title!).locator(".arch").click(); // again, online: done, and the sentence goes
    await expect.poll(() => row(page, title!).count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => alert.isHidden(), { timeout: 5_000 }).toBe(true);
    expect(offlineLog.filter((l) => !/WebSocket connection|Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(l)), "only the network's own errors").toEqual([]);
    await ctx.close();
  });

  it("without WebSocket it polls every 30 s, and says so", async () => {
    const noSocket = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await noSocket.addInitScript(() => Object.defineProperty(window, "WebSocket", { value: undefined }));
    const page = await noSocket.newPage();
    page.on("pageerror", (e) => consoleLines.push(`pageerror (no WebSocket): ${e.message}`));
    await page.clock.install();
    await page.goto(demoUrl);
    await page.locator("herald-inbox[data-connection=polling]").waitFor();
    await expect.poll(() => page.textContent("#inbox-status")).toMatch(/^\d+ unread of \d+ in the inbox\.$/); // the first page is in
    const before = await bell(page).getAttribute("aria-label");
    expect(await page.locator("herald-inbox [aria-live]").textContent(), "what was there before is not news").toBe("");
    await send({ in_app: { title: "Your review was published", body: "Thanks for reviewing the Trail boots." } });
    await page.waitForTimeout(1000);
    expect(await bell(page).getAttribute("aria-label"), "nothing before the next poll").toBe(before);
    await page.clock.fastForward(31_000);
    await expect.poll(() => row(page, "Your review was published").count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator("herald-inbox [aria-live]").textContent()).toBe("New notification: Your review was published");
    await openPanel(page);
    expect(await page.locator("herald-inbox .note").textContent()).toBe("Live updates are paused; checking for new notifications every 30 seconds.");
    await noSocket.close();
  });

  it("works on a customer page of another origin that loads /sdk.js under a strict CSP", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    const problems: string[] = [];
    page.on("console", (m) => (m.type() === "error" || m.type() === "warning") && problems.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(`${shop.origin}/`);
    await page
      .locator("herald-inbox[data-connection=online]")
      .waitFor({ timeout: 20_000 })
      .catch((e: Error) => Promise.reject(new Error(`${e.message}\nconsole: ${problems.join("\n")}`)));
    await send({ in_app: { title: "Password changed", body: "Your password was changed from Chrome on Linux. Not you? Reset it now." } });
    await expect.poll(() => bell(page).getAttribute("aria-label"), { timeout: 15_000 }).toMatch(/^Notifications, \d+ unread$/);
    await openPanel(page);
    await row(page, "Password changed").locator(".open").click();
    await expect.poll(() => row(page, "Password changed").getAttribute("class"), { timeout: 10_000 }).toBe("read");
    // The widget's styles applied (a constructed stylesheet: allowed by style-src without 'unsafe-inline').
    expect(await page.locator("herald-inbox .panel").evaluate((e) => getComputedStyle(e).position)).toBe("fixed");
    expect(problems, "console of the customer page").toEqual([]);
    await ctx.close();
  });

  it("answers not_identified before identify(), without loading the inbox bundle", async () => {
    const anonymous = await context.newPage();
    await anonymous.goto(`${edge.origin}/demo/?site=${site.site_key}`);
    await expect.poll(() => anonymous.textContent("#status")).toBe("Ready");
    expect(await anonymous.isVisible("#signin")).toBe(true);
    await mkdir(SCREENSHOTS, { recursive: true });
    await anonymous.locator("#signin-card").screenshot({ path: path.join(SCREENSHOTS, "inbox-demo-signin.png") });
    const code = await anonymous.evaluate(() => window.Herald!.inbox.counts().then(() => "resolved", (e: { code?: string }) => e.code));
    expect(code).toBe("not_identified");
    expect(await anonymous.evaluate(() => [...document.scripts].some((s) => s.src.includes("/sdk/inbox")))).toBe(false);
    await anonymous.close();
  });

  it("is usable from the keyboard: Enter opens, Tab walks tabs → items, Esc closes back to the bell", async () => {
    await tabB.bringToFront();
    if ((await bell(tabB).getAttribute("aria-expanded")) === "true") await bell(tabB).click();
    await bell(tabB).focus();
    await tabB.keyboard.press("Enter");
    expect(await bell(tabB).getAttribute("aria-expanded")).toBe("true");
    const focused = () => tabB.evaluate(() => { const a = document.activeElement?.shadowRoot?.activeElement; return a ? `${a.tagName.toLowerCase()}.${a.className}:${a.textContent?.trim().slice(0, 20)}` : ""; });
    expect(await focused()).toBe("button.tab:Inbox");
    await tabB.keyboard.press("Tab");
    expect(await focused()).toMatch(/^button\.link:Mark all read$|^button\.open:/);
    await tabB.keyboard.press("Escape");
    expect(await bell(tabB).getAttribute("aria-expanded")).toBe("false");
    expect(await focused()).toMatch(/^button\.bell/);
  });

  it("looks right open at 1280 and 390 px wide, and logs nothing to the console", async () => {
    await send({ in_app: { title: "Welcome to Demo Store", body: "Thanks for signing up. Here is 10% off your first order: WELCOME10.", url: "https://demo-store.example/welcome" } });
    await expect.poll(() => row(tabA, "Welcome to Demo Store").count(), { timeout: 15_000 }).toBe(1);
    await mkdir(SCREENSHOTS, { recursive: true });
    await openPanel(tabA);
    await tabA.mouse.move(0, 0);
    await tabA.screenshot({ path: path.join(SCREENSHOTS, "inbox-1280.png") });

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await phone.addInitScript(stubPushService, { endpoint: sinkSub.endpoint, keys: sinkSub.keys });
    const tab = await openTab(phone);
    await openPanel(tab);
    await row(tab, "Welcome to Demo Store").waitFor();
    const box = (await tab.locator("herald-inbox .panel").boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, "the panel fits a 390 px screen").toBeLessThanOrEqual(390);
    await tab.screenshot({ path: path.join(SCREENSHOTS, "inbox-390.png") });
    await tab.locator("herald-inbox [role=tab]", { hasText: "Preferences" }).click();
    await tab.getByRole("switch", { name: "Email" }).waitFor();
    await tab.screenshot({ path: path.join(SCREENSHOTS, "inbox-preferences-390.png") });
    await phone.close();

    expect(consoleLines, "the demo tabs' console").toEqual([]);
  });
  it("loads older items with Load more, each once, however many arrive meanwhile", async () => {
    const total = async () => (await api<{ counts: { total: number } }>("GET", `/api/sites/${site.id}/users/${encodeURIComponent(USER)}/inbox`)).counts.total;
    const need = Math.max(0, 25 - (await total()));
    await Promise.all(Array.from({ length: need }, (_, n) => send({ in_app: { title: `Daily tip ${n + 1}`, body: "Small things, one a day." } })));
    await expect.poll(total, { timeout: 20_000 }).toBeGreaterThanOrEqual(25);
    const page = await openTab(context); // a fresh tab: the first page only
    await openPanel(page);
    const rows = page.locator("herald-inbox li");
    expect(await rows.count()).toBe(20);
    const more = page.locator("herald-inbox .more");
    expect(await more.isVisible()).toBe(true);
    await send({ in_app: { title: "Arrived while scrolling" } }); // lands at the top meanwhile
    await more.click();
    const all = await total();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(all);
    const ids = await rows.evaluateAll((lis) => lis.map((li) => li.getAttribute("data-id")));
    expect(new Set(ids).size, "no item twice").toBe(ids.length);
    expect(await more.isHidden()).toBe(true);
    await page.close();
    expect(consoleLines, "the demo tabs' console").toEqual([]);
  });
});
