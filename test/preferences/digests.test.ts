// Digests (issue #9 §3), with the clock injected: events of a digest category collect per user
// and channel while the inbox still gets each one; when the window ends the flush sends ONE
// message listing them all — once, however often the flush runs — and a new event opens a new
// window. Anonymous browsers get each event on its own.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { flushDigests } from "../../workers/services/preferences/digests";
import { digestContent } from "../../workers/services/preferences/digest-content";
import { createMessage, getMessage, listMessages } from "../../workers/services/messages";
import { createNotification, sendNotification } from "../../workers/services/notifications";
import { installFakePush } from "../fixtures/fake-push";
import { call, tenant } from "../helpers";
import { subscribeAs } from "../messages/helpers";
import { manualSender } from "./helpers";

const T0 = Date.UTC(2026, 0, 14, 10, 0); // 11:00 in Paris: outside any quiet hours here
const MIN = 60_000;

let push: ReturnType<typeof installFakePush>;
afterEach(() => push?.restore());

async function setup(label: string) {
  push = installFakePush();
  const t = await tenant(label);
  const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${t.site.id}${path}`, { token: t.owner.token, body });
  await api("POST", "/categories", { key: "comments", name: "Comments", digest: { window_minutes: 30 } });
  await subscribeAs(push, t.site, "ada");
  return { ...t, api, sender: manualSender(T0) };
}

describe("digests", () => {
  it("collects 3 events into one push per user after the window, while the inbox gets each; a flush run twice sends once", async () => {
    const { site, api, sender } = await setup("digest");
    const { deps, clock, drain } = sender;
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) {
      clock.t = T0 + (i - 1) * MIN;
      const content = { web_push: { title: `Comment ${i}`, url: `https://acme.example.com/c/${i}` }, in_app: { title: `Comment ${i}` } };
      ids.push((await createMessage(deps, site.id, null, { to: { external_ids: ["ada"] }, content, category: "comments" })).id);
      await drain();
    }
    expect(push.received).toHaveLength(0);
    for (const id of ids) expect((await getMessage(deps, site.id, id)).channels).toMatchObject({ web_push: { digested: 1, sent: 0 }, in_app: { sent: 1 } });
    expect((await api("GET", "/users/ada/inbox")).body.items).toHaveLength(3);

    clock.t = T0 + 29 * MIN; // the window runs 30 minutes from the first event
    expect((await flushDigests(deps, 100)).sent).toEqual([]);
    clock.t = T0 + 31 * MIN;
    const runs = await Promise.all([flushDigests(deps, 100), flushDigests(deps, 100)]);
    const again = await flushDigests(deps, 100);
    const sent = [...runs, again].flatMap((r) => r.sent);
    expect(sent).toEqual([expect.objectContaining({ channel: "web_push", items: 3 })]);
    await drain();
    expect(push.received).toHaveLength(1);
    expect(push.received[0]!.payload).toMatchObject({ title: "Comments: 3 new", body: "Comment 1\nComment 2\nComment 3" });
    const digest = await getMessage(deps, site.id, sent[0]!.messageId);
    expect(digest).toMatchObject({ status: "completed", category: "comments", to: { external_ids: ["ada"] }, channels: { web_push: { sent: 1, digested: 0 } } });

    // A later event opens a new window; the one just sent is not sent again.
    clock.t = T0 + 40 * MIN;
    await createMessage(deps, site.id, null, { to: { external_ids: ["ada"] }, content: { web_push: { title: "Comment 4" } }, category: "comments" });
    await drain();
    clock.t = T0 + 60 * MIN;
    expect((await flushDigests(deps, 100)).sent).toEqual([]);
    clock.t = T0 + 71 * MIN;
    expect((await flushDigests(deps, 100)).sent).toEqual([expect.objectContaining({ items: 1 })]);
    await drain();
    expect(push.received.map((r) => r.payload.title)).toEqual(["Comments: 3 new", "Comments: 1 new"]);
    const all = await listMessages(deps, site.id, undefined, 20);
    expect(all.data.filter((m) => m.headline?.startsWith("Comments:"))).toHaveLength(2);
  });

  it("sends a campaign of a digest category to anonymous browsers at once and digests it for users", async () => {
    const { site, sender } = await setup("digest-camp");
    await subscribeAs(push, site, null);
    const { deps, clock, drain } = sender;
    const n = await createNotification(deps, site.id, null, { title: "New thread", target: { all: true }, category: "comments" });
    await sendNotification(deps, site.id, n.id);
    await drain();
    expect(push.received).toHaveLength(1); // the anonymous browser
    clock.t = T0 + 31 * MIN;
    expect((await flushDigests(deps, 100)).sent).toHaveLength(1);
    await drain();
    expect(push.received.map((r) => r.payload.title)).toEqual(["New thread", "Comments: 1 new"]);
  });

  it("collects the sends of a digest template, each line rendered for the user; a category's own rule wins; null switches it off", async () => {
    const { site, api, sender } = await setup("digest-tpl");
    await subscribeAs(push, site, "bob");
    await api("PATCH", "/users/ada", { attributes: { first_name: "Ada" } });
    await api("PATCH", "/users/bob", { attributes: { first_name: "Bob" } });
    const tpl = await api("POST", "/templates", {
      key: "order-shipped",
      name: "Order updates",
      locales: { en: { web_push: { title: "{{ user.first_name }}, order {{ data.order }} shipped", url: "https://acme.example.com/o/{{ data.order }}" } } },
      digest: { window_minutes: 60 },
    });
    expect(tpl.status, JSON.stringify(tpl.body)).toBe(201);
    expect(tpl.body.digest).toEqual({ window_minutes: 60 });
    expect((await api("POST", "/templates/order-shipped/publish")).status).toBe(201);
    const { deps, clock, drain } = sender;
    for (const order of [7, 8]) {
      await createMessage(deps, site.id, null, { to: { external_ids: ["ada", "bob"] }, template: "order-shipped", data: { order } });
      await drain();
      clock.t += MIN;
    }
    // A category with its own rule collects under the category's key instead.
    await createMessage(deps, site.id, null, { to: { external_ids: ["ada"] }, template: "order-shipped", data: { order: 9 }, category: "comments" });
    await drain();
    expect(push.received).toHaveLength(0);
    clock.t = T0 + 61 * MIN;
    const flushed = await flushDigests(deps, 100);
    expect(flushed.sent.map((s) => s.items).sort()).toEqual([1, 2, 2]);
    await drain();
    const byTitle = Object.fromEntries(push.received.map((r) => [`${r.payload.title}|${r.payload.body}`, r.payload.url ?? null]));
    expect(byTitle).toEqual({
      "Order updates: 2 new|Ada, order 7 shipped\nAda, order 8 shipped": null,
      "Order updates: 2 new|Bob, order 7 shipped\nBob, order 8 shipped": null,
      "Comments: 1 new|Ada, order 9 shipped": "https://acme.example.com/o/9",
    });
    // The template's digest switched off: the next send goes at once.
    expect((await api("PATCH", "/templates/order-shipped", { digest: null })).body.digest).toBeNull();
    await createMessage(deps, site.id, null, { to: { external_ids: ["ada"] }, template: "order-shipped", data: { order: 10 } });
    await drain();
    expect(push.received.at(-1)!.payload.title).toBe("Ada, order 10 shipped");
  });

  it("drops the window of a user erased before it ended", async () => {
    const { site, api, sender } = await setup("digest-erase");
    const { deps, clock, drain } = sender;
    await createMessage(deps, site.id, null, { to: { external_ids: ["ada"] }, content: { web_push: { title: "x" } }, category: "comments" });
    await drain();
    expect((await api("DELETE", "/users/ada")).status).toBe(204);
    clock.t = T0 + 31 * MIN;
    expect(await flushDigests(deps, 100)).toEqual({ sent: [], dropped: 1 });
    const left = await env.DB.prepare("select count(*) n from digest_entries where site_id = ?").bind(site.id).first<number>("n");
    expect(left).toBe(0);
  });

  it("writes an email digest as an HTML and a text list, escaped, and a short SMS", () => {
    const items = [
      { title: "Ada <admin> replied", url: "https://acme.example.com/c/1?a=1&b=2" },
      { title: "Bob replied", url: null },
    ];
    const email = digestContent("email", "Comments", items) as { subject: string; text: string; html: string };
    expect(email.subject).toBe("Comments: 2 new");
    expect(email.text).toBe("Comments: 2 new\n\n- Ada <admin> replied\n  https://acme.example.com/c/1?a=1&b=2\n- Bob replied");
    expect(email.html).toContain('<li><a href="https://acme.example.com/c/1?a=1&#38;b=2">Ada &#60;admin&#62; replied</a></li>');
    expect(email.html).toContain("<li>Bob replied</li>");
    expect(digestContent("sms", "Comments", items)).toEqual({ text: "Comments: 2 new: Ada <admin> replied; Bob replied" });
    const many = Array.from({ length: 5 }, (_, i) => ({ title: `T${i}`, url: null }));
    expect(digestContent("web_push", "Comments", many)).toEqual({ title: "Comments: 5 new", body: "T0\nT1\nT2\n…and 2 more" });
  });
});
