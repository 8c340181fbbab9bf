import { chromium } from "playwright-core";
const [origin, path] = process.argv.slice(2) as [string, string];
const email = `dbg${Date.now()}@example.com`;
const post = async (u: string, body: unknown, token?: string) => (await fetch(origin + u, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: "Bearer " + token } : {}) }, body: JSON.stringify(body) })).json();
const s = await post("/api/auth/register", { email, password: "correct horse battery staple", name: "Dee Bug" });
const site = await post("/api/sites", { name: "Acme", url: "https://shop.example.com" }, s.access_token);
await post(`/api/sites/${site.id}/api-keys`, { name: "Backend (production)", scopes: ["send", "subscribers:read"] }, s.access_token);
const url = path.replace("SITE", site.id);
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const p = await (await b.newContext({ viewport: { width: 390, height: 844 } })).newPage();
await p.goto(origin + "/signin");
await p.getByLabel("Email").fill(email);
await p.getByLabel("Password").fill("correct horse battery staple");
await p.getByRole("button", { name: "Sign in" }).click();
await p.waitForURL(origin + "/");
await p.goto(origin + url);
await p.waitForTimeout(1500);
console.log(await p.evaluate(() => {
  const out: string[] = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.right > innerWidth + 1) out.push(`${el.tagName}.${el.className} right=${Math.round(r.right)} w=${Math.round(r.width)}`);
  }
  for (const sel of [".page", ".table-wrap", ".site-content", ".site-area", ".app", "#main", ".section-nav", "body", "html"]) { const e = document.querySelector(sel)!; out.push(sel + " " + Math.round(e.getBoundingClientRect().width) + " sw=" + e.scrollWidth); }
  return out.slice(-9).join("\n");
}));
await b.close();
