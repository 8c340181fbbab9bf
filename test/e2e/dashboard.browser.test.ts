// The marketer's dashboard end to end: the built Preact app served as the Worker's static
// assets on the real local edge (wrangler dev), driven in Debian Chromium. Covers sign-up,
// site creation (its identity secret shown once), the install steps, settings (a new identity
// secret shown once), team, role-aware actions for a member, archiving and deleting
// notifications, and the API's own error messages, and compose → send → delivered: subscribers point at the local
// push sink, which verifies VAPID and decrypts what the real sender posts. Every page's
// console is watched: an error or warning nobody asked for fails the test it happened in.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type PushSink, startPushSink } from "../push-sink/sink";
import { type Edge, startEdge } from "./harness";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const root = path.resolve(import.meta.dirname, "../..");
const PASSWORD = "correct horse battery staple";

/** expect.poll's default 1 s is too short for a lazy chunk plus an API round trip on a cold edge. */
const eventually = <T>(fn: () => T | Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout, interval: 100 });

let edge: Edge;
let sink: PushSink;
let browser: Browser;
const stamp = Date.now().toString(36);
const owner = { name: "Ada Lovelace", email: `ada+${stamp}@example.com` };
const member = { name: "Grace Hopper", email: `grace+${stamp}@example.com` };
let siteId = "";

/** Console errors and warnings (and uncaught exceptions) of the current test's pages. */
let consoleProblems: string[] = [];
/** Errors a test causes on purpose (a request the API must refuse): each excuses one message. */
let expectedConsole: RegExp[] = [];
const expectConsoleError = (pattern: RegExp) => expectedConsole.push(pattern);

afterEach(() => {
  const [problems, missing] = [consoleProblems, expectedConsole.map(String)];
  consoleProblems = [];
  expectedConsole = [];
  expect(problems, "console errors or warnings").toEqual([]);
  expect(missing, "console errors a test expected (is the listener still attached?)").toEqual([]);
});

async function newPage(width = 1280): Promise<Page> {
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
  return page;
}

/** Whether the element's box lies inside the viewport horizontally (reachable without scrolling sideways). */
async function withinViewportWidth(page: Page, selector: ReturnType<Page["locator"]>): Promise<boolean> {
  const box = await selector.boundingBox();
  const width = page.viewportSize()!.width;
  return !!box && box.width > 0 && box.x >= 0 && box.x + box.width <= width;
}

async function accessTokenOf(email: string): Promise<string> {
  const res = await fetch(`${edge.origin}/api/auth/login`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: PASSWORD }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Whether the element has the focus and is the topmost thing at its centre (not under a sticky bar). */
const focusedInView = (locator: ReturnType<Page["locator"]>) =>
  locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return el === document.activeElement && r.top >= 0 && r.bottom <= innerHeight && document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === el;
  });

async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto(`${edge.origin}/signin`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

beforeAll(async () => {
  // The harness builds the SDK; the dashboard bundle is ours to build.
  // vitest sets NODE_ENV=test, which would make this a development build of Preact.
  await promisify(execFile)("npx", ["vite", "build"], { cwd: root, env: { ...process.env, NODE_ENV: "production" } });
  sink = await startPushSink();
  edge = await startEdge({ extraPushOrigins: [sink.origin] });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  // The second user exists before the owner adds them (the API adds existing accounts only).
  const res = await fetch(`${edge.origin}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...member, password: PASSWORD }),
  });
  expect(res.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await edge?.stop();
  await sink?.close();
});

describe("dashboard", () => {
  it("serves the app with a strict CSP and no inline script", async () => {
    // The policy is a response header (workers/http/security-headers.ts, the assets' _headers).
    const res = await fetch(`${edge.origin}/sites/anything/settings`);
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'self'(;|$)/);
    expect(await res.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it("signs up, creates a site, shows the install snippets, saves settings and lists the team", async () => {
    const page = await newPage();
    const refreshes: string[] = [];
    page.on("request", (r) => r.url().endsWith("/api/auth/refresh") && refreshes.push(page.url()));
    await page.goto(`${edge.origin}/`);
    await page.waitForURL(/\/signin/);
    await page.waitForLoadState("networkidle");
    // A first visit has no session to restore, so it asks for none (that request would 400).
    expect(refreshes).toEqual([]);
    await page.getByRole("link", { name: "Create an account" }).click();
    // The password rule is said before it is broken (workers/config.ts PASSWORD_MIN_LENGTH).
    await eventually(() => page.getByText("At least 10 characters").isVisible()).toBe(true);
    await page.getByLabel("Your name").fill(owner.name);
    await page.getByLabel("Work email").fill(owner.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();

    await eventually(() => page.getByRole("heading", { name: "Your sites" }).isVisible()).toBe(true);
    await page.getByLabel("Site name").fill("Acme Shop");
    await page.getByLabel("Website address").fill("https://shop.example.com");
    await page.getByRole("button", { name: "Create site" }).click();
    await page.waitForURL(/\/sites\/[^/]+\/install$/);
    siteId = page.url().split("/sites/")[1]!.split("/")[0]!;

    // The site's identity secret, shown once on the page the new site lands on, kept nowhere.
    const created = page.getByTestId("one-time-secret");
    await eventually(() => created.textContent()).toMatch(/^hid_/);
    const firstSecret = (await created.textContent())!;
    await expect(page.getByText("Copy it now: it will not be shown again.").isVisible()).resolves.toBe(true);
    await expect(page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).resolves.not.toContain(firstSecret);

    // Install: the API's five steps in its order, each with its own snippets and copy buttons.
    const installCode = (await (await fetch(`${edge.origin}/api/sites/${siteId}/install-code`, {
      headers: { authorization: `Bearer ${await accessTokenOf(owner.email)}` },
    })).json()) as { steps: { id: string; title: string; snippets: { label: string; code: string }[] }[] };
    expect(installCode.steps.map((st) => st.id)).toEqual(["service_worker", "sdk_tag", "subscribe", "identify", "check"]);
    const steps = page.locator(".steps > li");
    await eventually(() => steps.count()).toBe(5);
    for (const [i, step] of installCode.steps.entries()) {
      await expect(steps.nth(i).getByRole("heading").textContent()).resolves.toBe(step.title);
      for (const snippet of step.snippets) {
        const name = `${step.title}: ${snippet.label}`;
        await expect(steps.nth(i).getByLabel(name, { exact: true }).textContent()).resolves.toBe(snippet.code);
        await expect(steps.nth(i).getByRole("button", { name: `Copy ${name}` }).isVisible()).resolves.toBe(true);
      }
    }
    // Linking signed-in users: the server-side (Node, PHP) and page snippets; the tag carries the site key.
    const identify = page.locator('.steps > li[data-step="identify"]');
    await expect(identify.locator(".code-head").allTextContents()).resolves.toEqual(["NodeCopy", "PHPCopy", "PageCopy"]);
    await expect(identify.textContent()).resolves.toContain("createHmac");
    await expect(page.locator('[data-step="sdk_tag"] pre').textContent()).resolves.toMatch(/<script[^>]+pk_/);
    // The check form sits at the check step, labelled for what it takes, and says which file it fetches.
    const check = page.locator('.steps > li[data-step="check"]');
    await expect(check.getByLabel("Your site's address").inputValue()).resolves.toBe("https://shop.example.com");
    await expect(check.textContent()).resolves.toContain("https://shop.example.com/herald-sw.js");
    // The section nav shows the site, and a reload keeps the session (refresh cookie); the secret is gone.
    await page.reload();
    await eventually(() => page.getByRole("heading", { name: "Install Herald" }).isVisible()).toBe(true);
    expect(refreshes.length, "the reload restores the session through one refresh").toBeGreaterThan(0);
    await eventually(() => steps.count()).toBe(5);
    expect(await page.getByTestId("one-time-secret").count(), "the identity secret is shown only once").toBe(0);

    // Settings: save (value in euros, time to live in hours), and the change survives a reload.
    await page.getByRole("link", { name: "Settings", exact: true }).click();
    await page.getByLabel("Site name").fill("Acme Store");
    await page.getByLabel("Currency").selectOption("EUR");
    await page.getByLabel("Value per click").fill("0.4");
    const ttl = page.locator(".field", { hasText: "Default time to live" });
    await ttl.getByRole("spinbutton").fill("12");
    await ttl.getByRole("combobox", { name: "Unit" }).selectOption("hours");
    await page.getByRole("button", { name: "Save settings" }).click();
    await eventually(() => page.getByText("Settings saved").isVisible()).toBe(true);
    await page.reload();
    await eventually(() => page.getByLabel("Site name").inputValue()).toBe("Acme Store");
    await expect(ttl.getByRole("spinbutton").inputValue()).resolves.toBe("12");
    await expect(ttl.getByRole("combobox", { name: "Unit" }).inputValue()).resolves.toBe("hours");
    await expect(page.getByText(/Each click counts as €0\.40/).isVisible()).resolves.toBe(true);

    // Identity verification: the secret given at creation, by its last four characters; a new one
    // is shown once, the previous one keeps working for 24 hours, and a reload shows neither.
    const identity = page.locator(".card", { hasText: "Identity verification" });
    await eventually(() => identity.textContent()).toContain(`Secret ending in ••••${firstSecret.slice(-4)}`);
    await identity.getByRole("button", { name: "Issue a new secret…" }).click();
    await eventually(() => page.getByRole("dialog").textContent()).toContain("keeps working for 24 hours");
    await page.getByRole("dialog").getByRole("button", { name: "Issue new secret" }).click();
    const rotated = identity.getByTestId("one-time-secret");
    await eventually(() => rotated.textContent()).toMatch(/^hid_/);
    const newSecret = (await rotated.textContent())!;
    expect(newSecret).not.toBe(firstSecret);
    await expect(identity.textContent()).resolves.toMatch(/Copy it now: it will not be shown again\..*The previous secret keeps working until/);
    await expect(identity.getByRole("button", { name: "Copy the new identity secret" }).isVisible()).resolves.toBe(true);
    await expect(page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).resolves.not.toContain(newSecret);
    await page.reload();
    await eventually(() => identity.textContent()).toContain(`Secret ending in ••••${newSecret.slice(-4)}`);
    await expect(identity.textContent()).resolves.toContain("The previous secret keeps working until");
    expect(await page.getByTestId("one-time-secret").count(), "the new secret is shown only once").toBe(0);
    expect(await page.content()).not.toContain(newSecret);

    // A bad value shows the API's field message next to the field, and that field gets the focus.
    expectConsoleError(/status of 400/);
    await page.getByLabel("Default icon URL").fill("not a url");
    await page.getByRole("button", { name: "Save settings" }).click();
    await eventually(() => page.locator(".field-invalid .field-error").count()).toBeGreaterThan(0);
    await eventually(() => page.evaluate(() => document.activeElement?.getAttribute("placeholder"))).toContain("icon");

    // Team: the owner invites the second user as a member (they accept in the next test).
    await page.getByRole("link", { name: "Team" }).click();
    await page.getByLabel("Email").fill(member.email);
    await page.getByRole("button", { name: "Send invitation" }).click();
    await eventually(() => page.getByText(`Invitation sent to ${member.email}`).isVisible()).toBe(true);
    await expect(page.getByRole("button", { name: `Withdraw the invitation to ${member.email}` }).isVisible()).resolves.toBe(true);

    // API keys: created and shown once.
    await page.getByRole("link", { name: "API keys" }).click();
    await page.getByLabel("Key name").fill("Backend");
    await page.getByRole("button", { name: "Create key" }).click();
    await eventually(() => page.getByTestId("new-api-key").textContent()).toMatch(/^hk_/);
    await page.context().close();
  });

  it("lets the invited user join, and does not offer a member send, settings or API-key actions", async () => {
    expect(siteId).not.toBe("");
    const page = await newPage();
    await signIn(page, member.email);
    await page.waitForURL(`${edge.origin}/`);
    await page.getByRole("button", { name: "Join Acme Store" }).click();
    await eventually(() => page.locator(".site-card", { hasText: "Acme Store" }).isVisible()).toBe(true);
    await page.goto(`${edge.origin}/sites/${siteId}/compose`);
    await eventually(() => page.getByRole("button", { name: "Save draft" }).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: /Send now|Schedule/ }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "API keys" }).count()).toBe(0);

    await page.goto(`${edge.origin}/sites/${siteId}/settings`);
    await eventually(() => page.getByText("Only admins and owners can change settings.").isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Save settings" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /Delete site/ }).count()).toBe(0);
    // Identity verification is for admins (its status would answer a member 403): not shown, not asked for.
    expect(await page.getByRole("heading", { name: "Identity verification" }).count()).toBe(0);

    // A member writes drafts (and may delete them) but may not touch a scheduled notification:
    // it goes out by itself, so changing, unscheduling or deleting it needs the send permission.
    const ownerToken = await accessTokenOf(owner.email);
    const create = async (body: object) => (await (await fetch(`${edge.origin}/api/sites/${siteId}/notifications`, {
      method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${ownerToken}` },
      body: JSON.stringify({ target: { all: true }, ...body }),
    })).json()) as { id: string };
    await create({ title: "Owner's draft" });
    const scheduled = await create({ title: "Winter edit", scheduled_at: Date.now() + 7 * 86_400_000 });
    await page.goto(`${edge.origin}/sites/${siteId}/notifications`);
    await eventually(() => page.getByRole("button", { name: "Delete Owner's draft" }).isVisible()).toBe(true);
    await expect(page.locator("tr", { hasText: "Winter edit" }).getByRole("button").count()).resolves.toBe(0);
    await page.goto(`${edge.origin}/sites/${siteId}/notifications/${scheduled.id}`);
    await eventually(() => page.locator(".page-header .badge").first().textContent()).toMatch(/scheduled/i);
    for (const action of [/Cancel schedule/, /Move to drafts/, /Delete/, /Edit/]) {
      expect(await page.locator(".page-header").getByRole("button", { name: action }).count(), String(action)).toBe(0);
    }

    await page.goto(`${edge.origin}/sites/${siteId}/team`);
    await eventually(() => page.getByText(owner.email).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Send invitation" }).count()).toBe(0);
    await page.context().close();
  });

  it("shows the API's message for a wrong password", async () => {
    const page = await newPage();
    expectConsoleError(/status of 401/);
    await signIn(page, owner.email, "definitely the wrong one");
    await eventually(() => page.getByRole("alert").textContent()).toContain("Email or password is incorrect.");
    expect(page.url()).toContain("/signin");
    await page.context().close();
  });

  it("composes, confirms the audience size and follows delivery live", async () => {
    expect(siteId).not.toBe("");
    const session = (await (await fetch(`${edge.origin}/api/auth/login`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: owner.email, password: PASSWORD }),
    })).json()) as { access_token: string };
    const siteKey = ((await (await fetch(`${edge.origin}/api/sites/${siteId}`, { headers: { authorization: `Bearer ${session.access_token}` } })).json()) as { site_key: string }).site_key;
    // Three browsers subscribe through the public endpoint, as the SDK does.
    const subs = sink.createSubscriptions(3, "ok");
    for (const sub of subs) {
      const res = await fetch(`${edge.origin}/api/subscribe`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://shop.example.com" },
        body: JSON.stringify({ site_key: siteKey, subscription: { endpoint: sub.endpoint, keys: sub.keys } }),
      });
      expect(res.status, await res.text()).toBeLessThan(300);
    }

    const page = await newPage();
    await signIn(page, owner.email);
    await page.waitForURL(`${edge.origin}/`);
    await page.goto(`${edge.origin}/sites/${siteId}/compose`);
    // "By tags" with no tag yet: no count is asked for (it would be a 400), the page says what is missing.
    const counts: string[] = [];
    page.on("request", (r) => r.url().includes("/audience/count") && counts.push(r.postData() ?? ""));
    await page.getByRole("radio", { name: /By tags/ }).check();
    await eventually(() => page.locator(".audience-count").textContent()).toContain("Add a tag");
    await page.waitForTimeout(600); // longer than the count's debounce
    expect(counts.filter((b) => b.includes('"tags"'))).toEqual([]);
    // Sending without a title or a tag moves to the first field to fix, in view above the action bar.
    await page.getByRole("button", { name: "Send now…" }).click();
    await eventually(() => focusedInView(page.getByLabel("Title"))).toBe(true);
    await expect(page.getByLabel("Has any of").getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.getByRole("dialog").isVisible()).resolves.toBe(false);
    // With the title given, the next one down the page is scrolled to.
    await page.getByLabel("Title").fill("Autumn sale");
    await page.evaluate(() => scrollTo(0, 0));
    await page.getByRole("button", { name: "Send now…" }).click();
    await eventually(() => focusedInView(page.getByLabel("Has any of"))).toBe(true);
    await page.getByLabel("Has any of").fill("sale");
    await eventually(() => page.locator(".audience-count").textContent()).toContain("0 subscribers match");
    await page.getByRole("radio", { name: /Everyone/ }).check();

    await page.getByLabel("Title").fill("Autumn sale");
    await page.getByLabel("Message").fill("40% off this weekend.");
    await eventually(() => page.locator(".audience-count").textContent()).toContain("3 subscribers match");
    await page.getByRole("button", { name: "Send now…" }).click();
    const dialog = page.getByRole("dialog");
    await eventually(() => dialog.textContent()).toContain("3 subscribers");
    await dialog.getByRole("button", { name: "Send to 3" }).click();
    await page.waitForURL(/\/notifications\/[^/]+$/);

    // The detail page follows the send to completion without a reload.
    await eventually(() => page.locator(".page-header .badge").textContent(), 30_000).toMatch(/completed/i);
    await eventually(() => page.locator(".stat", { hasText: "Sent" }).locator(".stat-value").textContent(), 15_000).toBe("3");
    for (const sub of subs) expect(sink.messages(sub.id).map((m) => (m.payload as { title?: string }).title)).toEqual(["Autumn sale"]);

    // A click reported through the API (as the service worker does) moves the counter on
    // screen: pushed over the WebSocket, no reload.
    await eventually(() => page.locator(".live-dot").isVisible()).toBe(true);
    const clicks = page.locator(".stat", { hasText: "Clicks" }).locator(".stat-value");
    expect(await clicks.textContent()).toBe("0");
    const token = (sink.messages(subs[0]!.id)[0]!.payload as { token: string }).token;
    const event = await fetch(`${edge.origin}/api/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token, type: "click" }),
    });
    expect(event.status).toBe(204);
    await eventually(() => clicks.textContent(), 10_000).toBe("1");
    // Money is in the site's currency (EUR, set in Settings above).
    await expect(page.locator(".stat", { hasText: "Value" }).locator(".stat-value").textContent()).resolves.toBe("€0.40");
    await page.context().close();
  });

  it("archives a sent notification, finds it under Show archived, and deletes one that never went out", async () => {
    expect(siteId).not.toBe("");
    const page = await newPage();
    await signIn(page, owner.email);
    await page.waitForURL(`${edge.origin}/`);
    await page.goto(`${edge.origin}/sites/${siteId}/notifications`);
    // The sent one can only be archived (its statistics are kept), never deleted.
    const archive = page.getByRole("button", { name: "Archive Autumn sale" });
    await eventually(() => archive.isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Delete Autumn sale" }).count()).toBe(0);
    await archive.click();
    await eventually(() => page.getByText("“Autumn sale” archived. Find it under Show archived.").isVisible()).toBe(true);
    await eventually(() => page.getByRole("link", { name: "Autumn sale" }).count()).toBe(0);

    await page.getByLabel("Show archived").check();
    await page.waitForURL(/\?archived=1$/);
    await eventually(() => page.getByRole("link", { name: "Autumn sale" }).isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Owner's draft" }).count(), "the archived list shows only archived ones").toBe(0);
    await page.getByRole("link", { name: "Autumn sale" }).click();
    await eventually(() => page.getByText(/^Archived .* It is left out of the notifications list; its statistics are kept\.$/).isVisible()).toBe(true);
    await expect(page.locator(".stat", { hasText: "Sent" }).locator(".stat-value").textContent()).resolves.toBe("3");
    // Back to the archived list, and out of the archive again.
    await page.getByRole("link", { name: "← Notifications" }).click();
    await page.waitForURL(/\?archived=1$/);
    await page.getByRole("button", { name: "Unarchive Autumn sale" }).click();
    await eventually(() => page.getByRole("link", { name: "Autumn sale" }).count()).toBe(0);
    await page.getByLabel("Show archived").uncheck();
    await eventually(() => page.getByRole("link", { name: "Autumn sale" }).isVisible()).toBe(true);

    // A scheduled notification never went out: its owner may delete it, after a confirmation.
    await page.getByRole("link", { name: "Winter edit" }).click();
    await page.locator(".page-header").getByRole("button", { name: "Delete" }).click();
    await eventually(() => page.getByRole("dialog").textContent()).toContain("will not be sent, and it will be removed.");
    await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
    await page.waitForURL(/\/notifications$/);
    await eventually(() => page.getByText("Scheduled notification deleted").isVisible()).toBe(true);
    await eventually(() => page.getByRole("link", { name: "Owner's draft" }).isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Winter edit" }).count()).toBe(0);
    await page.context().close();
  });

  it("shows a notification with an unreadable scheduled_at instead of crashing", async () => {
    // Old rows may hold scheduled_at = 2^53 − 1: the list and detail render, with the Cancel action.
    const page = await newPage();
    await signIn(page, owner.email);
    await page.waitForURL(`${edge.origin}/`);
    const odd = { status: "scheduled", scheduled_at: Number.MAX_SAFE_INTEGER, started_at: null, completed_at: null, stats: null };
    await page.route(`**/api/sites/${siteId}/notifications**`, async (route) => {
      if (route.request().method() !== "GET" || /\/(stats|performance)$/.test(new URL(route.request().url()).pathname)) return route.fallback();
      const res = await route.fetch();
      const body = await res.json();
      const json = Array.isArray(body.data) ? { ...body, data: body.data.map((n: object) => ({ ...n, ...odd })) } : { ...body, ...odd };
      await route.fulfill({ response: res, json });
    });
    await page.goto(`${edge.origin}/sites/${siteId}/notifications`);
    await eventually(() => page.getByText("Scheduled (date unreadable)").first().isVisible()).toBe(true);
    await page.locator("table a").first().click();
    await eventually(() => page.getByRole("button", { name: "Cancel schedule" }).isVisible()).toBe(true);
    await expect(page.getByText("Its send date cannot be read").isVisible()).resolves.toBe(true);
    await page.context().close();
  });

  it("signs out for good: a reload asks for no session, and signing in again works", async () => {
    const page = await newPage();
    // The sites list is still loading when "Sign out" is clicked: the logout revokes the token
    // at once, and the request in flight must not come back as a 401 and a failed refresh.
    await page.route("**/api/sites", async (route) => (await new Promise((r) => setTimeout(r, 800)), route.fallback()));
    await signIn(page, owner.email);
    await page.waitForURL(`${edge.origin}/`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/signin/);
    const refreshes: string[] = [];
    page.on("request", (r) => r.url().endsWith("/api/auth/refresh") && refreshes.push(r.url()));
    await page.reload();
    await page.waitForLoadState("networkidle");
    expect(refreshes).toEqual([]);
    await signIn(page, owner.email);
    await page.waitForURL(`${edge.origin}/`);
    await eventually(() => page.getByRole("heading", { name: "Your sites" }).isVisible()).toBe(true);
    await page.context().close();
  });

  it("fits a 390 px phone without sideways scrolling", async () => {
    const page = await newPage(390);
    await signIn(page, owner.email);
    await page.waitForURL(`${edge.origin}/`);
    for (const section of ["", "/compose", "/notifications", "/subscribers", "/install", "/settings", "/team", "/api-keys"]) {
      await page.goto(`${edge.origin}/sites/${siteId}${section}`);
      await eventually(() => page.locator(".section-nav").isVisible()).toBe(true);
      await page.waitForLoadState("networkidle");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      expect(overflow, `${section || "/"} overflows by ${overflow}px`).toBeLessThanOrEqual(0);
      // Every section link is on screen (the nav wraps instead of scrolling sideways).
      for (const link of await page.locator(".section-nav a").all()) expect(await withinViewportWidth(page, link), await link.textContent() ?? "").toBe(true);

      if (section === "/team") {
        const remove = page.getByRole("button", { name: `Remove ${member.name}` });
        await eventually(() => remove.isVisible()).toBe(true);
        expect(await withinViewportWidth(page, remove), "Team: the Remove button is within the screen").toBe(true);
      }
      if (section === "/subscribers") {
        const row = page.locator("tbody tr").first();
        await eventually(() => row.isVisible()).toBe(true);
        for (const cell of [row.locator("td.cell-main a"), row.locator('td[data-label="Browser"]'), row.locator('td[data-label="Status"]'), row.locator('td[data-label="Subscribed"]')]) {
          expect(await withinViewportWidth(page, cell), `Subscribers: ${await cell.textContent()} is within the screen`).toBe(true);
        }
      }
    }
    await page.context().close();
  });
});
