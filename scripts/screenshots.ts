// Screenshots of every dashboard page at 1280 px and 390 px wide, against the real local
// edge with seeded data: docs/screenshots/dashboard-<page>-<width>.png.
//   node_modules/.bin/node scripts/screenshots.ts                      builds, starts its own edge
//   node_modules/.bin/node scripts/screenshots.ts --origin http://localhost:8787   uses a running one
// Endpoints that are not deployed yet are skipped while seeding; their pages then show
// their empty / "not available yet" states, which is worth a picture too.
import { execFile } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { type Page, chromium } from "playwright-core";
import { type Edge, startEdge } from "../test/e2e/harness.ts";
import { type PushSink, startPushSink } from "../test/push-sink/sink.ts";

const root = path.resolve(import.meta.dirname, "..");
const OUT = path.join(root, "docs/screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const WIDTHS = [1280, 390];
const PASSWORD = "correct horse battery staple";

const originArg = process.argv.indexOf("--origin");
let edge: Edge | null = null;
// With our own edge, subscribers point at the local push sink, so sends really deliver
// (and some really fail); against a running edge they get unreachable FCM endpoints.
let sink: PushSink | null = null;
let origin: string;
if (originArg > 0) origin = process.argv[originArg + 1]!;
else {
  await promisify(execFile)("npx", ["vite", "build"], { cwd: root });
  sink = await startPushSink();
  edge = await startEdge({ extraPushOrigins: [sink.origin] });
  origin = edge.origin;
}

type Json = Record<string, any>;
async function api(token: string | null, method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<Json | null> {
  const res = await fetch(origin + route, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    console.warn(`  seed: ${method} ${route} → ${res.status} ${text.slice(0, 160)}`);
    return null;
  }
  return text ? JSON.parse(text) : {};
}

// ---- seed ----
const stamp = Date.now().toString(36);
const owner = { email: `ada+${stamp}@example.com`, password: PASSWORD, name: "Ada Lovelace" };
const member = { email: `grace+${stamp}@example.com`, password: PASSWORD, name: "Grace Hopper" };
const session = (await api(null, "POST", "/api/auth/register", owner))!;
const token = session.access_token as string;
await api(null, "POST", "/api/auth/register", member);
const site = (await api(token, "POST", "/api/sites", {
  name: "Acme Shop",
  url: "https://shop.example.com",
  settings: { timezone: "Europe/Paris", value_per_click: 0.35, currency: "EUR", allowed_origins: ["https://shop.example.com", "https://www.shop.example.com"] },
}))!;
const S = `/api/sites/${site.id}`;
/** What the site's backend would compute: hex HMAC-SHA256 of the external id under the identity secret (shown once, at creation). */
const identityHash = (externalId: string) => createHmac("sha256", String(site.identity_secret ?? "")).update(externalId).digest("hex");
// The member is invited and accepts (from their own account), as through the dashboard.
const invitation = await api(token, "POST", `${S}/invitations`, { email: member.email, role: "member" });
const memberToken = (await api(null, "POST", "/api/auth/login", { email: member.email, password: member.password }))?.access_token as string;
if (invitation) await api(memberToken, "POST", `/api/me/invitations/${invitation.id}/accept`, {});
// Someone invited who has not answered yet: listed on the Team page, asked on their sites page.
const invitee = { email: `linus+${stamp}@example.com`, password: PASSWORD, name: "Linus Torvalds" };
await api(null, "POST", "/api/auth/register", invitee);
await api(token, "POST", `${S}/invitations`, { email: invitee.email, role: "admin" });
await api(token, "POST", `${S}/api-keys`, { name: "Backend (production)", scopes: ["send", "subscribers:read"] });
await api(token, "POST", `${S}/api-keys`, { name: "Analytics export", scopes: ["analytics:read"] });

// Subscribers through the public subscribe endpoint, as the SDK would (Origin = the site).
const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:144.0) Gecko/20100101 Firefox/144.0",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
];
const COUNTRIES = ["FR", "DE", "US", "GB", "ES"];
const tagsFor = (i: number) => [["news"], ["news", "vip"], ["sale"], [], ["vip"]][i % 5]!;
const endpoints = sink
  ? [...sink.createSubscriptions(18, "ok"), ...sink.createSubscriptions(3, "gone410"), ...sink.createSubscriptions(3, "too_large413")]
  : Array.from({ length: 24 }, (_, i) => ({
      id: "",
      endpoint: `https://fcm.googleapis.com/fcm/send/seed-${stamp}-${i}`,
      keys: { p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", auth: "tBHItJI5svbpez7KI4CCXg" },
    }));
let subscribed = 0;
for (const [i, sub] of endpoints.entries()) {
  const r = await api(null, "POST", "/api/subscribe", {
    site_key: site.site_key,
    subscription: { endpoint: sub.endpoint, keys: sub.keys },
    tags: tagsFor(i),
    // external_id needs the site server's signature (identity verification, workers/lib/identity.ts).
    ...(i % 3 === 0 ? { external_id: `customer-${1000 + i}`, external_id_hash: identityHash(`customer-${1000 + i}`) } : {}),
    timezone: "Europe/Paris",
    language: "fr-FR",
  }, { origin: "https://shop.example.com", "user-agent": USER_AGENTS[i % USER_AGENTS.length]!, "cf-ipcountry": COUNTRIES[i % COUNTRIES.length]! });
  if (!r) break;
  subscribed++;
}
console.log(`seeded ${subscribed} subscribers`);

const notif = (title: string, extra: Json = {}) =>
  api(token, "POST", `${S}/notifications`, {
    title, body: "Up to 40% off our autumn collection, this weekend only.", url: "https://shop.example.com/sale", target: { all: true }, ...extra,
  });
await notif("Autumn sale starts now");
await notif("New arrivals: the winter edit", { target: { tags: { any: ["vip"] } }, scheduled_at: Date.now() + 3 * 86_400_000 });
const sent = await notif("Your cart is waiting", { body: "Complete your order and get free shipping today." });
if (sent) await api(token, "POST", `${S}/notifications/${sent.id}/send`, {});
if (sent && sink) {
  // Wait for delivery, then play the service worker: impressions, some clicks, a dismissal.
  for (let i = 0; i < 60; i++) {
    const n = await api(token, "GET", `${S}/notifications/${sent.id}`);
    if (n && n.status !== "sending") break;
    await new Promise((r) => setTimeout(r, 500));
  }
  let k = 0;
  for (const sub of endpoints) {
    for (const m of sink.messages(sub.id)) {
      const t = (m.payload as { token?: string }).token;
      if (!t) continue;
      await api(null, "POST", "/api/events", { token: t, type: "impression" });
      if (k % 3 === 0) await api(null, "POST", "/api/events", { token: t, type: "click" });
      else if (k % 5 === 1) await api(null, "POST", "/api/events", { token: t, type: "dismiss" });
      k++;
    }
  }
  console.log(`played ${k} deliveries`);
}
// A finished notification archived: listed only under "Show archived".
const archived = await notif("Flash sale: last hours", { body: "Everything at 40% off until midnight." });
if (archived) {
  await api(token, "POST", `${S}/notifications/${archived.id}/send`, {});
  for (let i = 0; i < 60; i++) {
    const n = await api(token, "GET", `${S}/notifications/${archived.id}`);
    if (n && n.status !== "sending") break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await api(token, "POST", `${S}/notifications/${archived.id}/archive`, {});
}

// ---- shoot ----
await mkdir(OUT, { recursive: true });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const problems: string[] = [];

async function settle(page: Page) {
  await page.waitForLoadState("networkidle").catch(() => {});
  await page.waitForFunction(() => !document.querySelector(".state-loading"), null, { timeout: 10_000 }).catch(() => {});
  await page.waitForTimeout(250);
}

async function shoot(page: Page, name: string, width: number) {
  await settle(page);
  const file = path.join(OUT, `dashboard-${name}-${width}.png`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  // Grow the viewport to the whole page instead of fullPage capture, which paints sticky
  // headers mid-page.
  const viewport = page.viewportSize()!;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height: Math.min(Math.max(height, viewport.height), 6000) });
  await page.waitForTimeout(150);
  await page.screenshot({ path: file });
  await page.setViewportSize(viewport);
  if (overflow > 1) problems.push(`${name}@${width}: page is ${overflow}px wider than the viewport`);
  console.log(`  ${path.relative(root, file)}`);
}

for (const width of WIDTHS) {
  const context = await browser.newContext({ viewport: { width, height: width > 600 ? 860 : 844 }, deviceScaleFactor: 1, timezoneId: "Europe/London" });
  const page = await context.newPage();
  // Normal use logs nothing and no request fails (the failed submit below is caught before sending).
  page.on("console", (m) => (m.type() === "error" || m.type() === "warning") && problems.push(`${width}: console ${m.type()}: ${m.text()} (${page.url()})`));
  page.on("response", (r) => r.status() >= 400 && problems.push(`${width}: ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`));
  page.on("pageerror", (e) => problems.push(`${width}: pageerror: ${e.message}`));

  await page.goto(`${origin}/signin`);
  await shoot(page, "signin", width);
  await page.goto(`${origin}/signup`);
  await shoot(page, "signup", width);

  await page.goto(`${origin}/signin`);
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${origin}/`);
  await shoot(page, "sites", width);

  const base = `${origin}/sites/${site.id}`;
  const pages: [string, string][] = [
    ["overview", base], ["install", `${base}/install`], ["notifications", `${base}/notifications`],
    ["subscribers", `${base}/subscribers`], ["settings", `${base}/settings`], ["team", `${base}/team`], ["api-keys", `${base}/api-keys`],
  ];
  for (const [name, url] of pages) {
    await page.goto(url);
    await shoot(page, name, width);
  }
  // The installation check's answer (this site's address serves no Herald file), in view.
  {
    await page.goto(`${base}/install`);
    await settle(page);
    await page.getByRole("button", { name: "Check my installation" }).click();
    await page.locator(".check-result").waitFor({ timeout: 20_000 }).catch(() => problems.push(`${width}: no install check result`));
    await page.locator('[data-step="check"]').evaluate((el) => el.scrollIntoView({ block: "center" }));
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(OUT, `dashboard-install-check-${width}.png`) });
    console.log(`  docs/screenshots/dashboard-install-check-${width}.png`);
  }
  await page.goto(`${base}/notifications?archived=1`);
  await shoot(page, "notifications-archived", width);
  if (archived) {
    await page.goto(`${base}/notifications/${archived.id}`);
    await shoot(page, "notification-detail-archived", width);
  }

  // Settings → Identity verification, right after issuing a new secret (shown once), in view.
  {
    await page.goto(`${base}/settings`);
    await settle(page);
    await page.getByRole("button", { name: /Issue a new secret/ }).click();
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(OUT, `dashboard-settings-identity-confirm-${width}.png`) });
    console.log(`  docs/screenshots/dashboard-settings-identity-confirm-${width}.png`);
    await page.getByRole("dialog").getByRole("button", { name: "Issue new secret" }).click();
    const secret = page.getByTestId("one-time-secret");
    await secret.waitFor();
    await page.waitForTimeout(4500); // the toast fades
    await page.locator(".card", { hasText: "Identity verification" }).evaluate((el) => el.scrollIntoView({ block: "center" }));
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(OUT, `dashboard-settings-identity-${width}.png`) });
    console.log(`  docs/screenshots/dashboard-settings-identity-${width}.png`);
  }

  // Compose, filled in, with buttons and a tag audience.
  await page.goto(`${base}/compose`);
  await settle(page);
  await page.getByLabel("Title").fill("Autumn sale: 40% off everything");
  await page.getByLabel("Message").fill("This weekend only. Free shipping on orders over €50 — tap to shop the collection.");
  await page.getByLabel("Link when clicked").fill("https://shop.example.com/sale");
  await page.getByRole("button", { name: "Add button" }).click();
  await page.getByLabel("Button 1 label").fill("Shop now");
  await page.getByRole("radio", { name: /By tags/ }).check();
  await page.getByLabel("Has any of").fill("vip, sale");
  await page.getByText("Tracking and delivery options").click(); // open: time to live in units
  await page.waitForTimeout(700);
  await shoot(page, "compose", width);
  // A failed submit (no tag given): the field to fix is scrolled to mid-screen, above the sticky
  // action bar, and focused; no count is asked for meanwhile ("Add a tag"). Viewport-sized shot.
  {
    await page.getByLabel("Has any of").fill("");
    await page.evaluate(() => scrollTo(0, 0));
    await page.getByRole("button", { name: "Send now…" }).click();
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(OUT, `dashboard-compose-errors-${width}.png`) });
    await page.getByLabel("Has any of").fill("vip, sale");
    await page.waitForTimeout(700);
  }
  if (await page.getByRole("button", { name: "Send now…" }).isEnabled()) {
    await page.getByRole("button", { name: "Send now…" }).click();
    await page.waitForTimeout(600);
    await page.screenshot({ path: path.join(OUT, `dashboard-compose-confirm-${width}.png`) });
    await page.keyboard.press("Escape");
  }

  // Details: the first notification and subscriber listed.
  await page.goto(`${base}/notifications`);
  await settle(page);
  const firstNotification = page.locator("table a").first();
  if (await firstNotification.count()) {
    await page.goto(origin + (await firstNotification.getAttribute("href")));
    await shoot(page, "notification-detail", width);
  }
  await page.goto(`${base}/subscribers`);
  await settle(page);
  const firstSubscriber = page.locator("table a").first();
  if (await firstSubscriber.count()) {
    await page.goto(origin + (await firstSubscriber.getAttribute("href")));
    await shoot(page, "subscriber-detail", width);
  }
  await context.close();
}

// The member's view: no send button, no API keys.
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto(`${origin}/signin`);
  await page.getByLabel("Email").fill(member.email);
  await page.getByLabel("Password").fill(member.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${origin}/`);
  await page.goto(`${origin}/sites/${site.id}/compose`);
  await shoot(page, "compose-member", 1280);
  await context.close();
}

// The invitee's sites page: the invitation to join, at both widths.
for (const width of WIDTHS) {
  const context = await browser.newContext({ viewport: { width, height: width > 600 ? 860 : 844 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on("response", (r) => r.status() >= 400 && problems.push(`invitee ${width}: ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`));
  await page.goto(`${origin}/signin`);
  await page.getByLabel("Email").fill(invitee.email);
  await page.getByLabel("Password").fill(invitee.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${origin}/`);
  await page.getByRole("heading", { name: "Invitations" }).waitFor().catch(() => problems.push(`invitee ${width}: no invitation shown`));
  await shoot(page, "sites-invitation", width);
  await context.close();
}

// A new account adds its first site and lands on the install page, which shows the site's
// identity secret once.
for (const width of WIDTHS) {
  const fresh = { email: `ida+${width}-${stamp}@example.com`, password: PASSWORD, name: "Ida Rhodes" };
  await api(null, "POST", "/api/auth/register", fresh);
  const context = await browser.newContext({ viewport: { width, height: width > 600 ? 860 : 844 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on("console", (m) => (m.type() === "error" || m.type() === "warning") && problems.push(`new site ${width}: console ${m.type()}: ${m.text()}`));
  page.on("response", (r) => r.status() >= 400 && problems.push(`new site ${width}: ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`));
  await page.goto(`${origin}/signin`);
  await page.getByLabel("Email").fill(fresh.email);
  await page.getByLabel("Password").fill(fresh.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${origin}/`);
  await page.getByLabel("Site name").fill("Rhodes Bakery");
  await page.getByLabel("Website address").fill("https://bakery.example.com");
  await page.getByRole("button", { name: "Create site" }).click();
  await page.getByTestId("one-time-secret").waitFor().catch(() => problems.push(`new site ${width}: no identity secret shown`));
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(OUT, `dashboard-install-new-site-${width}.png`) });
  console.log(`  docs/screenshots/dashboard-install-new-site-${width}.png`);
  await context.close();
}

await browser.close();
await edge?.stop();
await sink?.close();
if (problems.length) {
  console.warn(`\n${problems.length} problem(s):\n  ${problems.join("\n  ")}`);
  process.exitCode = 1;
}
