// A/B tests (issue #10 §7) through the real send path, with the clock injected: the test share
// is split evenly between the variants (by each subscriber's id bucket), nobody gets two, the
// variant with the best click-through goes to the rest when the window ends (once, however often
// the cron runs), or when the marketer picks; per-variant numbers carry their intervals.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { chooseWinner, decideDueTests } from "../../workers/services/ab-tests";
import { createNotification, getNotification, listNotifications, sendNotification } from "../../workers/services/notifications";
import { installFakePush } from "../fixtures/fake-push";
import { call, tenant } from "../helpers";
import { subscribeAs, waitFor } from "../messages/helpers";
import { manualSender } from "../preferences/helpers";

const MIN = 60_000;
let push: ReturnType<typeof installFakePush>;
afterEach(() => push?.restore());

async function setup(label: string, subscribers: number) {
  push = installFakePush();
  const t = await tenant(label);
  for (let i = 0; i < subscribers; i++) await subscribeAs(push, t.site, null);
  const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${t.site.id}${path}`, { token: t.owner.token, body });
  return { ...t, api, sender: manualSender(Date.now()) };
}
const ab = (extra: Record<string, unknown> = {}) => ({ variants: [{ title: "A: 30% off" }, { title: "B: your deal is here" }], test_share: 0.5, window_minutes: 60, ...extra });

describe("A/B tests", () => {
  it("splits the test share between variants, then sends the best click-through to the rest, once", async () => {
    const { site, sender } = await setup("ab", 40);
    const { deps, clock, drain } = sender;
    const n = await createNotification(deps, site.id, null, { title: "Sale", target: { all: true }, ab_test: ab() });
    await sendNotification(deps, site.id, n.id);
    await drain();
    const during = await getNotification(deps, site.id, n.id);
    expect(during.status).toBe("sending");
    expect(during.ab_test).toMatchObject({ phase: "testing", results: [expect.objectContaining({ variant: 0 }), expect.objectContaining({ variant: 1 })] });
    const tested = push.received.length;
    expect(tested).toBeGreaterThan(5);
    expect(tested).toBeLessThan(35);
    const [a, b] = during.ab_test!.results;
    expect(a!.sent + b!.sent).toBe(tested);
    expect(new Set(push.received.map((r) => r.endpoint)).size).toBe(tested); // nobody got two
    expect((await listNotifications(deps, site.id, {}, undefined, 50)).data.map((x) => x.id)).toEqual([n.id]); // variant sends show on their campaign

    // B's recipients click, A's do not.
    const bRecipients = await env.DB.prepare("select subscriber_id from deliveries where notification_id = ? and status = 'sent'").bind(b!.notification_id).all<{ subscriber_id: string }>();
    for (const [i, r] of bRecipients.results.entries()) {
      await env.DB.prepare("insert into events (id, site_id, notification_id, subscriber_id, type, created_at) values (?, ?, ?, ?, 'click', ?)").bind(`evt_ab${i}`, site.id, b!.notification_id, r.subscriber_id, Date.now()).run();
    }
    clock.t += 59 * MIN;
    expect(await decideDueTests(deps)).toEqual([]);
    clock.t += 2 * MIN;
    const [first, again] = [await decideDueTests(deps), await decideDueTests(deps)];
    expect(first).toEqual([expect.objectContaining({ notificationId: n.id, winner: 1 })]);
    expect(again).toEqual([]);
    await drain();
    expect(push.received).toHaveLength(40);
    expect(new Set(push.received.map((r) => r.endpoint)).size).toBe(40);
    const rest = push.received.slice(tested).map((r) => r.payload.title);
    expect(new Set(rest)).toEqual(new Set(["B: your deal is here"]));
    const after = await getNotification(deps, site.id, n.id);
    expect(after).toMatchObject({ status: "completed", ab_test: { phase: "decided", winner: 1 }, stats: { sent: 40 } });
  });

  it("waits for the marketer with pick manual; a second pick is refused", async () => {
    const { site, api, sender } = await setup("ab-manual", 12);
    const { deps, clock, drain } = sender;
    const n = await createNotification(deps, site.id, null, { title: "Sale", target: { all: true }, ab_test: ab({ pick: "manual", test_share: 0.3 }) });
    await sendNotification(deps, site.id, n.id);
    await drain();
    clock.t += 3 * 60 * MIN;
    expect(await decideDueTests(deps)).toEqual([]);
    const picked = await api("POST", `/notifications/${n.id}/ab-test/winner`, { variant: 0 });
    expect(picked.status, JSON.stringify(picked.body)).toBe(200);
    expect(picked.body.ab_test).toMatchObject({ phase: "decided", winner: 0 });
    expect((await api("POST", `/notifications/${n.id}/ab-test/winner`, { variant: 1 })).status).toBe(409);
    // The pick came through the API: the winner goes out through the real queue.
    await waitFor(async () => push.received.length, (k) => k >= 12);
    expect(new Set(push.received.map((r) => r.endpoint)).size).toBe(12);
  });

  it("does not crown a winner on noise, and refuses tests it cannot run, with the field", async () => {
    const r = (variant: number, ctr: number, low: number, high: number) => ({ variant, notification_id: `v${variant}`, sent: 10, impressions: 10, clicks: 1, ctr, ctr_low: low, ctr_high: high });
    expect(chooseWinner([r(0, 0.1, 0.02, 0.4), r(1, 0.2, 0.06, 0.5)])).toEqual({ variant: 1, confident: false });
    expect(chooseWinner([r(0, 0.1, 0.08, 0.12), r(1, 0.3, 0.27, 0.33)])).toEqual({ variant: 1, confident: true });
    const { api } = await setup("ab-input", 0);
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ ab_test: ab({ variants: [{ title: "only one" }] }) }, "ab_test.variants"],
      [{ ab_test: ab({ test_share: 0.9 }) }, "ab_test.test_share"],
      [{ ab_test: ab(), local_delivery: { time: "09:00" } }, "ab_test"],
      [{ ab_test: ab(), channels: ["in_app"], channel_content: { in_app: { title: "x" } }, target: { all: true } }, "ab_test"],
    ];
    for (const [extra, path] of bad) {
      const res = await api("POST", "/notifications", { title: "x", target: { all: true }, ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain(path);
    }
  });
});
