// The decision on every send path (issue #9 §3): messages, campaigns and in-app sends through the
// real queue honour channel and category opt-outs, a required category still delivers, status
// counts what was held back and the recipients list says why; unknown categories are refused.
import { afterEach, describe, expect, it } from "vitest";
import { installFakePush } from "../fixtures/fake-push";
import { call, tenant } from "../helpers";
import { subscribeAs as subscribe, waitFor } from "../messages/helpers";

let push: ReturnType<typeof installFakePush> | undefined;
afterEach(() => {
  push?.restore();
  push = undefined;
});
const subscribeAs = (site: { site_key: string; identity_secret: string }, externalId: string | null) => subscribe((push ??= installFakePush()), site, externalId);

async function setup(label: string) {
  const t = await tenant(label);
  const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${t.site.id}${path}`, { token: t.owner.token, body });
  return { ...t, api };
}
type Api = Awaited<ReturnType<typeof setup>>["api"];
const finished = (api: Api, path: string) =>
  waitFor(() => api("GET", path), (r) => r.body.status === "completed");

describe("preferences on every send path", () => {
  it("a message skips a user who switched the channel off, and says so per recipient", async () => {
    const { api, site } = await setup("pref-msg");
    await subscribeAs(site, "ada");
    await subscribeAs(site, "bob");
    await api("PUT", "/users/ada/preferences", { channels: { web_push: false } });
    const m = await api("POST", "/messages", { to: { external_ids: ["ada", "bob"] }, content: { web_push: { title: "Hello" } } });
    expect(m.status).toBe(202);
    const done = await finished(api, `/messages/${m.body.id}`);
    expect(done.body.channels.web_push).toMatchObject({ state: "done", sent: 1, skipped: 1, deferred: 0, digested: 0, failed: 0 });
    expect(push!.received).toHaveLength(1);
    const skipped = await api("GET", `/messages/${m.body.id}/recipients?status=skipped`);
    expect(skipped.body.data).toEqual([
      expect.objectContaining({ external_id: "ada", status: "skipped", send_status: "skipped", reason: "opted_out", reason_label: "The user switched this channel or this category off" }),
    ]);
  });

  it("a campaign push does not reach the browser of a user who switched web push off; anonymous browsers get it", async () => {
    const { api, site } = await setup("pref-camp");
    await subscribeAs(site, "ada");
    await subscribeAs(site, null);
    await api("PUT", "/users/ada/preferences", { channels: { web_push: false } });
    const n = await api("POST", "/notifications", { title: "Sale", target: { all: true } });
    expect((await api("POST", `/notifications/${n.body.id}/send`)).status).toBe(202);
    const done = await finished(api, `/notifications/${n.body.id}`);
    expect(done.body.channels.web_push).toMatchObject({ sent: 1, skipped: 1 });
    expect(done.body.stats).toMatchObject({ sent: 1, failed: 0 });
    expect(push!.received).toHaveLength(1);
  });

  it("honours a category opt-out and its channel defaults; a required category reaches users who opted out", async () => {
    const { api, site } = await setup("pref-cat");
    await subscribeAs(site, "ada");
    await api("POST", "/categories", { key: "comments", name: "Comments" });
    await api("POST", "/categories", { key: "security", name: "Security", required: true });
    await api("POST", "/categories", { key: "promo", name: "Promotions", channels: { web_push: false } });
    await api("PUT", "/users/ada/preferences", { categories: { comments: { enabled: false } } });

    const send = async (category: string) => {
      const m = await api("POST", "/messages", { to: { external_ids: ["ada"] }, content: { web_push: { title: category } }, category });
      expect(m.status, JSON.stringify(m.body)).toBe(202);
      return (await finished(api, `/messages/${m.body.id}`)).body.channels.web_push;
    };
    expect(await send("comments")).toMatchObject({ sent: 0, skipped: 1 });
    expect(await send("promo")).toMatchObject({ sent: 0, skipped: 1 });
    await api("PUT", "/users/ada/preferences", { channels: { web_push: false } });
    expect(await send("security")).toMatchObject({ sent: 1, skipped: 0 });
    expect(push!.received.map((r) => r.payload.title)).toEqual(["security"]);
  });

  it("an in-app send skips a user who switched the inbox off", async () => {
    const { api } = await setup("pref-inapp");
    await api("POST", "/users", { external_id: "ada" });
    await api("POST", "/users", { external_id: "bob" });
    await api("PUT", "/users/ada/preferences", { channels: { in_app: false } });
    const m = await api("POST", "/messages", { to: { external_ids: ["ada", "bob"] }, content: { in_app: { title: "Welcome" } } });
    expect(m.status, JSON.stringify(m.body)).toBe(202);
    const done = await finished(api, `/messages/${m.body.id}`);
    expect(done.body.channels.in_app).toMatchObject({ sent: 1, skipped: 1 });
    expect((await api("GET", "/users/ada/inbox")).body.items).toHaveLength(0);
    expect((await api("GET", "/users/bob/inbox")).body.items).toHaveLength(1);
  });

  it("refuses a message or campaign naming a category the site does not have, naming the field", async () => {
    const { api } = await setup("pref-unknown");
    const m = await api("POST", "/messages", { to: { external_ids: ["ada"] }, content: { web_push: { title: "x" } }, category: "nope" });
    expect(m.status).toBe(400);
    expect(m.body.error.fields[0].path).toBe("category");
    const n = await api("POST", "/notifications", { title: "x", target: { all: true }, category: "nope" });
    expect(n.status).toBe(400);
    expect(n.body.error.fields[0].path).toBe("category");
    await api("POST", "/categories", { key: "news", name: "News" });
    const ok = await api("POST", "/notifications", { title: "x", target: { all: true }, category: "news", priority: "urgent" });
    expect(ok.body).toMatchObject({ category: "news", priority: "urgent" });
    expect((await api("GET", "/messages")).body.data).toHaveLength(0);
  });
});
