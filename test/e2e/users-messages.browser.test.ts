// The dashboard's Users and Messages pages end to end (issue #8 §2, §5): the built Preact app on
// the real local edge (wrangler dev), driven in Debian Chromium, with users, devices and
// messages made through the API — web push to the local push sink, e-mail through the SendGrid
// stand-in (its failure modes chosen by address: invalid…, slow…; an unverified sender).
// Every page's console is watched: an error or warning nobody asked for fails the test.
//   npx vitest run --config vitest.e2e.config.ts test/e2e/users-messages.browser.test.ts
// SHOTS_DIR=/tmp/some-dir also saves screenshots of each page at 1280 and 390 px there.
import { execFile } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type PushSink, startPushSink } from "../push-sink/sink";
import { type Api, type ProviderStandIns, type TestEdge, apiClient, startEdge, startProviderStandIns } from "./harness";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS_DIR = process.env.SHOTS_DIR;
const root = path.resolve(import.meta.dirname, "../..");
const PASSWORD = "correct horse battery staple";
const SITE_URL = "https://shop.example.com";
const CHROME_ON_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

/** expect.poll's default 1 s is too short for a lazy chunk plus an API round trip on a cold edge. */
const eventually = <T>(fn: () => T | Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout, interval: 100 });

let edge: TestEdge;
let sink: PushSink;
let providers: ProviderStandIns;
let browser: Browser;
let token = "";
let api: Api;
const stamp = Date.now().toString(36);
const owner = { name: "Ada Lovelace", email: `ada+${stamp}@example.com` };
const member = { name: "Grace Hopper", email: `grace+${stamp}@example.com` };
let site = { id: "", site_key: "", identity_secret: "" };
const siteApi = (p = "") => `/api/sites/${site.id}${p}`;

let consoleProblems: string[] = [];
let expectedConsole: RegExp[] = [];
const expectConsoleError = (pattern: RegExp) => expectedConsole.push(pattern);

afterEach(() => {
  const [problems, missing] = [consoleProblems, expectedConsole.map(String)];
  consoleProblems = [];
  expectedConsole = [];
  expect(problems, "console errors or warnings").toEqual([]);
  expect(missing, "console errors a test expected (is the listener still attached?)").toEqual([]);
});

async function newPage(email: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() !== "error" && m.type() !== "warning") return;
    const text = `${m.type()}: ${m.text()} (${m.location().url || page.url()})`;
    const expected = expectedConsole.findIndex((re) => re.test(text));
    if (expected >= 0) expectedConsole.splice(expected, 1);
    else consoleProblems.push(text);
  });
  page.on("pageerror", (e) => consoleProblems.push(`pageerror: ${e.message} (${page.url()})`));
  await page.goto(`${edge.origin}/signin`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${edge.origin}/`);
  return page;
}

/** How far the page scrolls sideways (0: everything is reachable at this width). */
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - innerWidth);

async function shot(page: Page, name: string) {
  if (!SHOTS_DIR) return;
  await mkdir(SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS_DIR, `${name}-${page.viewportSize()!.width}.png`), fullPage: true });
}

/** A browser that subscribed through the public endpoint, as the SDK does, signed in as `externalId`. */
async function subscribeBrowser(externalId: string | null) {
  const [sub] = sink.createSubscriptions(1, "ok");
  const identity = externalId ? { external_id: externalId, external_id_hash: createHmac("sha256", site.identity_secret).update(externalId).digest("hex") } : {};
  await api("POST", "/api/subscribe", { site_key: site.site_key, subscription: { endpoint: sub!.endpoint, keys: sub!.keys }, ...identity }, {
    origin: SITE_URL,
    "user-agent": CHROME_ON_MAC,
  });
  return sub!;
}

const fcmToken = () => `tok${randomBytes(40).toString("base64url")}`;
const sendMessage = (body: object) => api<{ id: string }>("POST", siteApi("/messages"), body, { "idempotency-key": randomBytes(8).toString("hex") });

beforeAll(async () => {
  // vitest sets NODE_ENV=test, which would make this a development build of Preact.
  await promisify(execFile)("npx", ["vite", "build"], { cwd: root, env: { ...process.env, NODE_ENV: "production" } });
  sink = await startPushSink();
  providers = await startProviderStandIns();
  edge = await startEdge({ extraPushOrigins: [sink.origin], providers });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  api = apiClient(() => edge, () => token || undefined);
  token = (await api<{ access_token: string }>("POST", "/api/auth/register", { ...owner, password: PASSWORD })).access_token;
  site = await api("POST", "/api/sites", { name: "Acme Shop", url: SITE_URL });
  // The member's account, invited and joined: the read-only view.
  const memberToken = (await apiClient(() => edge, () => undefined)<{ access_token: string }>("POST", "/api/auth/register", { ...member, password: PASSWORD })).access_token;
  const invitation = await api<{ id: string }>("POST", siteApi("/invitations"), { email: member.email, role: "member" });
  await apiClient(() => edge, () => memberToken)("POST", `/api/me/invitations/${invitation.id}/accept`, {});
});

afterAll(async () => {
  await browser?.close();
  await edge?.stop();
  await providers?.close();
  await sink?.close();
});

describe("users and messages pages", () => {
  it("says how users and messages appear while there are none", async () => {
    const page = await newPage(owner.email);
    await page.goto(`${edge.origin}/sites/${site.id}`);
    await page.getByRole("navigation", { name: "Site sections" }).getByRole("link", { name: "Users" }).click();
    await eventually(() => page.getByRole("heading", { name: "No users yet" }).isVisible()).toBe(true);
    await expect(page.locator(".state-empty").textContent()).resolves.toContain("identify()");
    await expect(page.getByRole("link", { name: "Link signed-in users" }).getAttribute("href")).resolves.toBe(`/sites/${site.id}/install`);
    await page.getByRole("navigation", { name: "Site sections" }).getByRole("link", { name: "Messages" }).click();
    await eventually(() => page.getByRole("heading", { name: "No messages yet" }).isVisible()).toBe(true);
    await expect(page.locator(".state-empty").textContent()).resolves.toContain("POST /messages");
    await page.context().close();
  });

  it("lists users newest first in pages of 50 and finds one by exact e-mail or id", async () => {
    for (let i = 0; i < 52; i++) await api("POST", siteApi("/users"), { external_id: `bulk-${String(i).padStart(2, "0")}`, email: `bulk${i}@example.com` });
    await api("POST", siteApi("/users"), { external_id: "auth0|ada", email: "ada@example.com", phone: "+14155550123", locale: "en-GB" });
    const page = await newPage(owner.email);
    await page.goto(`${edge.origin}/sites/${site.id}/users`);
    const rows = page.locator("tbody tr");
    await eventually(() => rows.count()).toBe(50);
    await expect(rows.first().textContent()).resolves.toContain("auth0|ada");
    await page.getByRole("button", { name: "Next →" }).click();
    await eventually(() => page.getByText("Page 2").isVisible()).toBe(true);
    await eventually(() => rows.count()).toBe(3);
    await expect(rows.last().textContent()).resolves.toContain("bulk-00");
    await page.getByRole("button", { name: "← Previous" }).click();
    await eventually(() => rows.count()).toBe(50);

    // By the start of an e-mail (any case) or of an id (exact case): the API's q filter.
    await page.getByLabel("User ID or e-mail").fill("ADA@example.com");
    await page.getByRole("button", { name: "Search" }).click();
    await eventually(() => rows.count()).toBe(1);
    await expect(rows.first().textContent()).resolves.toContain("auth0|ada");
    expect(new URL(page.url()).searchParams.get("q")).toBe("ADA@example.com");
    await page.getByLabel("User ID or e-mail").fill("bulk-07");
    await page.getByRole("button", { name: "Search" }).click();
    await eventually(() => rows.first().textContent()).toContain("bulk7@example.com");
    await expect(rows.count()).resolves.toBe(1);
    await page.getByLabel("User ID or e-mail").fill("bulk-0");
    await page.getByRole("button", { name: "Search" }).click();
    await eventually(() => rows.count()).toBe(10);
    // A miss is an empty list, said in words.
    await page.getByLabel("User ID or e-mail").fill("nobody-here");
    await page.getByRole("button", { name: "Search" }).click();
    await eventually(() => page.getByRole("heading", { name: "No user matches" }).isVisible()).toBe(true);
    await page.locator(".state-empty").getByRole("button", { name: "Show all users" }).click();
    await eventually(() => rows.count()).toBe(50);

    await page.locator("a", { hasText: "auth0|ada" }).click();
    await page.waitForURL(`${edge.origin}/sites/${site.id}/users/${encodeURIComponent("auth0|ada")}`);
    await eventually(() => page.getByRole("heading", { name: "auth0|ada" }).isVisible()).toBe(true);
    await page.context().close();
  });

  it("edits a profile, showing the API's message at the field, and sends only what changed", async () => {
    await api("POST", siteApi("/users"), { external_id: "user-edit", email: "edit@example.com", locale: "fr-FR", attributes: { plan: "pro" } });
    const page = await newPage(owner.email);
    const patches: string[] = [];
    page.on("request", (r) => r.method() === "PATCH" && r.url().includes("/users/") && patches.push(r.postData() ?? ""));
    await page.goto(`${edge.origin}/sites/${site.id}/users/user-edit`);
    await eventually(() => page.getByLabel("E-mail").inputValue()).toBe("edit@example.com");

    // The API refuses a phone number that is not E.164: its sentence under the field, focus there.
    expectConsoleError(/status of 400/);
    await page.getByLabel("Phone").fill("0612345678");
    await page.getByRole("button", { name: "Save profile" }).click();
    const phone = page.locator(".field", { has: page.getByLabel("Phone") });
    await eventually(() => phone.locator(".field-error").textContent()).toContain("E.164");
    await expect(page.getByLabel("Phone").getAttribute("aria-invalid")).resolves.toBe("true");
    await eventually(() => page.evaluate(() => document.activeElement?.getAttribute("type"))).toBe("tel");
    expect(patches).toEqual(['{"phone":"0612345678"}']);

    // Attributes that are not a JSON object are caught before anything is sent.
    await page.getByLabel("Phone").fill("+33 6 12 34 56 78");
    await page.getByLabel("Attributes").fill('["not", "an", "object"]');
    await page.getByRole("button", { name: "Save profile" }).click();
    await eventually(() => page.locator(".field", { has: page.getByLabel("Attributes") }).locator(".field-error").textContent()).toContain("JSON object");
    expect(patches).toHaveLength(1);

    await page.getByLabel("Attributes").fill('{ "plan": "team", "seats": 5 }');
    await page.getByLabel("Time zone").selectOption("Europe/Paris");
    await page.getByRole("button", { name: "Save profile" }).click();
    await eventually(() => page.getByText("Profile saved").isVisible()).toBe(true);
    // The unchanged e-mail and language were left out (a named e-mail would reset its unreachable mark).
    expect(JSON.parse(patches[1]!)).toEqual({ phone: "+33612345678", timezone: "Europe/Paris", attributes: { plan: "team", seats: 5 } });
    const stored = await api<{ phone: string; timezone: string; attributes: unknown; email: string }>("GET", siteApi("/users/user-edit"));
    expect(stored).toMatchObject({ phone: "+33612345678", timezone: "Europe/Paris", attributes: { plan: "team", seats: 5 }, email: "edit@example.com" });
    await page.reload();
    await eventually(() => page.getByLabel("Phone").inputValue()).toBe("+33612345678");
    await page.context().close();
  });

  it("shows a user's channels and devices, unlinks a browser and removes an FCM token", async () => {
    await api("POST", siteApi("/users"), { external_id: "user-devices", email: "devices@example.com" });
    await subscribeBrowser("user-devices");
    await api("POST", siteApi("/users/user-devices/devices"), { type: "fcm", token: fcmToken(), platform: "android" });
    const page = await newPage(owner.email);
    await page.goto(`${edge.origin}/sites/${site.id}/users/user-devices`);
    const devices = page.locator(".device-list li");
    await eventually(() => devices.count()).toBe(2);
    await expect(devices.allTextContents()).resolves.toEqual([expect.stringContaining("Chrome on macOS"), expect.stringContaining("Android app")]);
    const channels = page.locator(".card", { has: page.getByRole("heading", { name: "Channels" }) });
    await expect(channels.textContent()).resolves.toContain("1 subscribed browser");
    await expect(channels.textContent()).resolves.toContain("No phone number");
    await shot(page, "user");

    await page.getByRole("button", { name: "Remove Android app" }).click();
    await eventually(() => page.getByRole("dialog").textContent()).toContain("FCM registration token is deleted");
    await page.getByRole("dialog").getByRole("button", { name: "Remove device" }).click();
    await eventually(() => devices.count()).toBe(1);
    await page.getByRole("button", { name: "Unlink Chrome on macOS" }).click();
    await eventually(() => page.getByRole("dialog").textContent()).toContain("stays subscribed");
    await page.getByRole("dialog").getByRole("button", { name: "Unlink browser" }).click();
    await eventually(() => page.getByText(/^No devices\./).isVisible()).toBe(true);
    await expect(api<{ data: unknown[] }>("GET", siteApi("/users/user-devices/devices"))).resolves.toEqual({ data: [] });
    // The browser is still a subscriber, just no longer this user's.
    await expect(api<{ data: { external_id: string | null }[] }>("GET", siteApi("/subscribers?active=true"))).resolves.toMatchObject({ data: [{ external_id: null }] });
    await page.context().close();
  });

  it("exports a user's data as JSON, then erases them after saying it is permanent", async () => {
    await api("POST", siteApi("/users"), { external_id: "user-gdpr", email: "gdpr@example.com" });
    await api("POST", siteApi("/users/user-gdpr/devices"), { type: "fcm", token: fcmToken(), platform: "ios" });
    const page = await newPage(owner.email);
    await page.goto(`${edge.origin}/sites/${site.id}/users/user-gdpr`);
    await eventually(() => page.getByRole("button", { name: "Export data" }).isVisible()).toBe(true);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export data" }).click()]);
    expect(download.suggestedFilename()).toBe("user-user-gdpr.json");
    const exported = JSON.parse(await readFile((await download.path())!, "utf8"));
    expect(exported.user).toMatchObject({ external_id: "user-gdpr", email: "gdpr@example.com" });
    expect(exported.mobile_devices).toHaveLength(1);

    await page.getByRole("button", { name: "Erase user…" }).click();
    const dialog = page.getByRole("dialog");
    await eventually(() => dialog.textContent()).toContain("cannot be undone");
    await expect(dialog.textContent()).resolves.toContain("GDPR");
    await dialog.getByRole("button", { name: "Erase permanently" }).click();
    await page.waitForURL(`${edge.origin}/sites/${site.id}/users`);
    await eventually(() => page.getByText("User user-gdpr erased").isVisible()).toBe(true);
    await expect(api("GET", siteApi("/users/user-gdpr"))).rejects.toThrow(/→ 404/);
    await page.context().close();
  });

  it("follows a message's channels while it sends, stops polling when done, and filters its recipients", async () => {
    const integration = await api<{ id: string }>("POST", siteApi("/integrations"), {
      channel: "email", provider: "sendgrid", name: "SendGrid",
      credentials: { api_key: `SG.${"k".repeat(22)}.${"s".repeat(43)}` }, settings: { from_email: "news@shop.example.com", from_name: "Acme" },
    });
    // Eight slow addresses take two rounds of the provider's concurrent connections (about 6 s):
    // long enough to watch the page follow a message that is still sending.
    const people = [
      ...Array.from({ length: 3 }, (_, i) => ({ external_id: `ok-${i}`, email: `ok${i}@example.com` })),
      ...Array.from({ length: 8 }, (_, i) => ({ external_id: `slow-${i}`, email: `slow${i}@example.com` })),
      { external_id: "bad-address", email: "invalid.one@example.com" },
    ];
    for (const p of people) await api("POST", siteApi("/users"), p);
    await subscribeBrowser("ok-0");
    const page = await newPage(owner.email);
    const listReads: number[] = [];
    page.on("request", (r) => new URL(r.url()).pathname === siteApi("/messages") && listReads.push(Date.now()));
    await page.goto(`${edge.origin}/sites/${site.id}/messages`);
    await eventually(() => page.getByRole("heading", { name: "No messages yet" }).isVisible()).toBe(true);

    const { id } = await sendMessage({
      to: { external_ids: people.map((p) => p.external_id) },
      content: { web_push: { title: "Your order shipped" }, email: { subject: "Your order shipped", text: "It is on its way." } },
    });
    await page.reload();
    const row = page.locator("tbody tr", { has: page.locator(`a[href$="/messages/${id}"]`) });
    await eventually(() => row.isVisible()).toBe(true);
    await eventually(() => page.locator(".live-dot").isVisible()).toBe(true);
    await eventually(() => row.locator(".chan-chip").allTextContents(), 30_000).toEqual(["Web push: 1 sent", "Email: 11 sent · 1 unreachable"]);
    await eventually(() => page.locator(".live-dot").count()).toBe(0);
    expect(listReads.length, "re-read while sending").toBeGreaterThan(2);
    const readsWhenDone = listReads.length;
    await page.waitForTimeout(7000); // more than two polling beats
    expect(listReads.length, "nothing polled once every channel is done").toBe(readsWhenDone);
    await shot(page, "messages");

    // A second message from a sender SendGrid does not know: every e-mail fails with that reason.
    await api("PATCH", siteApi(`/integrations/${integration.id}`), { settings: { from_email: "unverified@shop.example.com" } });
    const failed = await sendMessage({ to: { external_ids: ["ok-1", "ok-2"] }, content: { email: { subject: "Hello", text: "Hi." } } });
    await page.reload();
    const failedRow = page.locator("tbody tr", { has: page.locator(`a[href$="/messages/${failed.id}"]`) });
    await eventually(() => failedRow.locator(".chan-chip").allTextContents(), 30_000).toEqual(["Email: 0 sent · 2 failed"]);
    await failedRow.getByRole("link").click();
    await page.waitForURL(`${edge.origin}/sites/${site.id}/messages/${failed.id}`);
    const reason = page.getByRole("button", { name: /^Show recipients: The provider does not allow the site's sender/ });
    await eventually(() => reason.isVisible()).toBe(true);
    await expect(page.locator(".chan-reasons li").textContent()).resolves.toMatch(/2$/);
    await reason.click();
    await eventually(() => page.getByLabel("Status").inputValue()).toBe("failed");
    await eventually(() => page.locator("#recipients tbody tr").count()).toBe(2);
    await expect(page.locator("#recipients tbody").textContent()).resolves.toContain("(HTTP 403)");

    // The first message: a card per channel, then its recipients by status and by channel.
    await page.goto(`${edge.origin}/sites/${site.id}/messages/${id}`);
    const email = page.locator(".chan-cards .card", { has: page.getByRole("heading", { name: "Email" }) });
    await eventually(() => email.locator(".chan-counts").textContent()).toBe("Targeted12Sent11Delivered0Failed0Unreachable1");
    await expect(page.locator(".chan-cards .card", { has: page.getByRole("heading", { name: "Web push" }) }).locator(".badge").textContent()).resolves.toBe("done");
    const recipients = page.locator("#recipients tbody tr");
    await eventually(() => recipients.count()).toBe(13);
    await page.getByLabel("Status").selectOption("pruned");
    await eventually(() => recipients.count()).toBe(1);
    await expect(recipients.first().textContent()).resolves.toContain("invalid.one@example.com");
    await expect(recipients.first().textContent()).resolves.toContain("no longer exists or cannot receive messages");
    await recipients.first().getByRole("link", { name: "bad-address" }).click();
    await page.waitForURL(`${edge.origin}/sites/${site.id}/users/bad-address`);
    // The user page says the e-mail proved unusable, and lists what they received.
    await eventually(() => page.locator(".card", { has: page.getByRole("heading", { name: "Channels" }) }).textContent()).toContain("unreachable");
    await eventually(() => page.locator(".card", { has: page.getByRole("heading", { name: "Messages received" }) }).locator("tbody tr").count()).toBe(1);
    await page.goBack();
    await eventually(() => recipients.count()).toBe(13);
    await page.getByLabel("Channel").selectOption("web_push");
    await eventually(() => recipients.count()).toBe(1);
    await expect(recipients.first().textContent()).resolves.toContain("ok-0");
    await shot(page, "message");
    await page.context().close();
  });

  it("shows a member users and messages without the actions only admins may take", async () => {
    const page = await newPage(member.email);
    await page.goto(`${edge.origin}/sites/${site.id}/users/${encodeURIComponent("auth0|ada")}`);
    await eventually(() => page.getByRole("heading", { name: "Profile" }).isVisible()).toBe(true);
    await expect(page.locator(".card", { has: page.getByRole("heading", { name: "Profile" }) }).textContent()).resolves.toContain("+14155550123");
    expect(await page.getByRole("button", { name: "Save profile" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /Erase/ }).count()).toBe(0);
    await expect(page.getByRole("button", { name: "Export data" }).isVisible()).resolves.toBe(true);
    await page.goto(`${edge.origin}/sites/${site.id}/users/ok-0`);
    await eventually(() => page.locator(".device-list li").count()).toBe(1);
    expect(await page.getByRole("button", { name: /Unlink|Remove/ }).count()).toBe(0);
    await page.context().close();
  });

  it("fits a 390 px phone: every page without sideways scrolling", async () => {
    const page = await newPage(owner.email, 390);
    const [message] = (await api<{ data: { id: string }[] }>("GET", siteApi("/messages"))).data.slice(-1);
    for (const [name, p] of [
      ["users", "/users"],
      ["user", `/users/${encodeURIComponent("auth0|ada")}`],
      ["user-devices", "/users/ok-0"],
      ["messages", "/messages"],
      ["message", `/messages/${message!.id}`],
    ] as const) {
      await page.goto(`${edge.origin}/sites/${site.id}${p}`);
      await eventually(() => page.locator(".page-header h1").isVisible()).toBe(true);
      await page.waitForLoadState("networkidle");
      expect(await sideways(page), name).toBeLessThanOrEqual(0);
      await shot(page, name);
    }
    await page.context().close();
  });
});
