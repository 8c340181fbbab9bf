// Welcome drips (issue #10 §4) through the real path, with the scheduler's clock injected: new
// subscribers enter active campaigns and get each step at subscription time + its delay, once
// (the cron run twice or at once, a run that died after claiming); unsubscribers leave; edits
// move pending steps; drafts and paused campaigns send nothing; the funnel counts each step.
import { afterEach, describe, expect, it } from "vitest";
import { DRIP_CLAIM_STALE_MS } from "../../workers/config";
import { claimDue } from "../../workers/db/queries/drips";
import { runDueSteps } from "../../workers/services/drips";
import { installFakePush } from "../fixtures/fake-push";
import { call, freshIp, tenant } from "../helpers";
import { subscribeAs } from "../messages/helpers";
import { manualSender } from "../preferences/helpers";

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

let push: ReturnType<typeof installFakePush>;
afterEach(() => push?.restore());

const steps = [
  { delay_minutes: 0, content: { title: "Welcome!" } },
  { delay_minutes: 1440, content: { title: "Day 1: best sellers" } },
  { delay_minutes: 3 * 1440, content: { title: "Day 3: 10% off" } },
];

async function setup(label: string) {
  push = installFakePush();
  const t = await tenant(label);
  const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${t.site.id}${path}`, { token: t.owner.token, body });
  // Subscriptions are stamped with the real clock; the scheduler runs on one we move.
  const sender = manualSender(Date.now());
  const T = Date.now();
  const cron = async (t: number) => {
    sender.clock.t = t;
    const runs = [await runDueSteps(sender.deps), await runDueSteps(sender.deps)];
    await sender.drain();
    return runs;
  };
  return { ...t, api, sender, cron, T };
}
const titles = () => push.received.map((r) => r.payload.title as string);

describe("welcome drips", () => {
  it("sends each step at subscription time + its delay, once; an unsubscriber leaves; the funnel counts each step", async () => {
    const { api, site, cron, T } = await setup("drip");
    const d = await api("POST", "/campaigns", { name: "Welcome", steps });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    expect(d.body.status).toBe("draft");
    await subscribeAs(push, site, null); // before activation: never enters
    expect((await api("POST", `/campaigns/${d.body.id}/activate`)).body.status).toBe("active");
    const a = await push.subscription([201]);
    const sub = (endpoint: string, keys: unknown) => call("POST", "/api/subscribe", { body: { site_key: site.site_key, subscription: { endpoint, keys } }, headers: { "CF-Connecting-IP": freshIp() } });
    expect((await sub(a.endpoint, a.keys)).status).toBe(201);
    const b = await push.subscription([201]);
    expect((await sub(b.endpoint, b.keys)).status).toBe(201);

    const [first, second] = await cron(T + MIN);
    expect(first!.sends).toEqual([expect.objectContaining({ recipients: 2 })]);
    expect(second!.claimed).toBe(0); // the cron fired twice: nothing left to claim
    expect(titles()).toEqual(["Welcome!", "Welcome!"]);
    await cron(T + DAY - 5 * MIN);
    expect(push.received).toHaveLength(2);

    // B unsubscribes before day 1: leaves the campaign.
    expect((await call("POST", "/api/unsubscribe", { body: { site_key: site.site_key, endpoint: b.endpoint }, headers: { "CF-Connecting-IP": freshIp() } })).status).toBe(204);
    await cron(T + DAY + MIN);
    expect(titles()).toEqual(["Welcome!", "Welcome!", "Day 1: best sellers"]);
    expect(push.received.at(-1)!.endpoint).toBe(a.endpoint);
    await cron(T + 3 * DAY + MIN);
    await cron(T + 9 * DAY);
    expect(titles()).toEqual(["Welcome!", "Welcome!", "Day 1: best sellers", "Day 3: 10% off"]);

    const view = await api("GET", `/campaigns/${d.body.id}`);
    expect(view.body).toMatchObject({ entered: 2, completed: 1, left: 1 });
    expect(view.body.funnel.map((f: { reached: number; sent: number }) => [f.reached, f.sent])).toEqual([[2, 2], [1, 1], [1, 1]]);
  });

  it("applies edits to pending steps, sends nothing while paused, and lets nobody into a paused campaign", async () => {
    const { api, site, cron, T } = await setup("drip-edit");
    const d = await api("POST", "/campaigns", { name: "Welcome", steps });
    await api("POST", `/campaigns/${d.body.id}/activate`);
    await subscribeAs(push, site, null);
    await cron(T + MIN);
    expect(titles()).toEqual(["Welcome!"]);
    // Rewrite day 1 as day 2 with new words, drop day 3, add day 5.
    const [s0, s1] = d.body.steps;
    const edited = await api("PATCH", `/campaigns/${d.body.id}`, {
      steps: [
        { id: s0.id, delay_minutes: 0, content: { title: "Welcome!" } },
        { id: s1.id, delay_minutes: 2 * 1440, content: { title: "Day 2: new words" } },
        { delay_minutes: 5 * 1440, content: { title: "Day 5" } },
      ],
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    await cron(T + DAY + MIN);
    expect(push.received).toHaveLength(1);
    await cron(T + 2 * DAY + MIN);
    expect(titles()).toEqual(["Welcome!", "Day 2: new words"]);
    await api("POST", `/campaigns/${d.body.id}/pause`);
    await subscribeAs(push, site, null); // does not enter a paused campaign
    await cron(T + 6 * DAY);
    expect(push.received).toHaveLength(2);
    await api("POST", `/campaigns/${d.body.id}/activate`);
    await cron(T + 6 * DAY + MIN); // day 5 fell due while paused: goes out now
    expect(titles()).toEqual(["Welcome!", "Day 2: new words", "Day 5"]);
    expect((await api("GET", `/campaigns/${d.body.id}`)).body).toMatchObject({ entered: 1, completed: 1 });
  });

  it("retakes the claim of a run that died before sending, after the stale time, and sends once", async () => {
    const { api, site, sender, cron, T } = await setup("drip-crash");
    const d = await api("POST", "/campaigns", { name: "Welcome", steps: steps.slice(0, 1) });
    await api("POST", `/campaigns/${d.body.id}/activate`);
    await subscribeAs(push, site, null);
    // A run claims the row, then the edge dies: nothing sent, nothing moved on.
    const dead = await claimDue(sender.deps.db, "dead-run", T + MIN, T + MIN - DRIP_CLAIM_STALE_MS, 100);
    expect(dead.filter((e) => e.dripId === d.body.id)).toHaveLength(1);
    await cron(T + 2 * MIN);
    expect(push.received).toHaveLength(0); // still held by the dead run
    await cron(T + MIN + DRIP_CLAIM_STALE_MS + MIN);
    await cron(T + MIN + DRIP_CLAIM_STALE_MS + 2 * MIN);
    expect(titles()).toEqual(["Welcome!"]);
  });

  it("sends one step once when two scheduler runs overlap", async () => {
    const { api, site, sender, T } = await setup("drip-race");
    const d = await api("POST", "/campaigns", { name: "Welcome", steps: steps.slice(0, 1) });
    await api("POST", `/campaigns/${d.body.id}/activate`);
    for (let i = 0; i < 5; i++) await subscribeAs(push, site, null);
    sender.clock.t = T + MIN;
    const runs = await Promise.all([runDueSteps(sender.deps), runDueSteps(sender.deps)]);
    expect(runs.reduce((a, r) => a + r.claimed, 0)).toBe(5);
    await sender.drain();
    expect(push.received).toHaveLength(5);
    expect(new Set(push.received.map((r) => r.endpoint)).size).toBe(5);
  });

  it("refuses steps out of order, unknown step ids and bad content with the field; another site's campaign is a 404", async () => {
    const { api } = await setup("drip-input");
    const bad: Array<[unknown, string]> = [
      [{ name: "x", steps: [steps[1], steps[0]] }, "steps"],
      [{ name: "x", steps: [] }, "steps"],
      [{ name: "x", steps: [{ delay_minutes: 0, content: { title: "" } }] }, "steps.0.content.title"],
      [{ name: "x", steps: [{ id: "nope", delay_minutes: 0, content: { title: "t" } }] }, "steps.0.id"],
    ];
    for (const [body, path] of bad) {
      const r = await api("POST", "/campaigns", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.fields.map((f: { path: string }) => f.path)).toContain(path);
    }
    const d = await api("POST", "/campaigns", { name: "Mine", steps });
    const other = await tenant("drip-input-other");
    for (const [method, path] of [["GET", ""], ["PATCH", ""], ["DELETE", ""], ["POST", "/activate"]] as const) {
      const r = await call(method, `/api/sites/${other.site.id}/campaigns/${d.body.id}${path}`, { token: other.owner.token, body: method === "PATCH" ? { name: "stolen" } : undefined });
      expect(r.status, `${method} ${path}`).toBe(404);
    }
  });
});
