// Recurring notifications through the real path (issue #10 §3), with the clock injected: a weekly
// series creates one scheduled campaign per run that the scheduled-sends job starts and the push
// fake receives; a cron fired twice creates each run once; after downtime at most the latest
// missed run is sent (or none, without catch-up); pause and resume; runs list their numbers; bad
// rules and another site's ids are refused.
import { afterEach, describe, expect, it } from "vitest";
import { runScheduledSends } from "../../workers/cron/scheduled-sends";
import { runDueSeries } from "../../workers/services/recurring";
import { installFakePush } from "../fixtures/fake-push";
import { call, tenant } from "../helpers";
import { subscribeAs } from "../messages/helpers";
import { manualSender } from "../preferences/helpers";

const MON = Date.UTC(2026, 0, 5, 6, 0); // Monday 5 January 2026, 07:00 in Paris
const HOUR = 3600_000;
const DAY = 24 * HOUR;

let push: ReturnType<typeof installFakePush>;
afterEach(() => push?.restore());

async function setup(label: string) {
  push = installFakePush();
  const t = await tenant(label);
  const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${t.site.id}${path}`, { token: t.owner.token, body });
  await api("PATCH", "", { settings: { timezone: "Europe/Paris" } });
  await subscribeAs(push, t.site, null);
  const sender = manualSender(MON);
  /** One cron minute at `t`: recurring, then scheduled sends, then the queue — the recurring part twice. */
  const cron = async (t: number) => {
    sender.clock.t = t;
    const [a, b] = [await runDueSeries(sender.deps), await runDueSeries(sender.deps)];
    await runScheduledSends(sender.deps);
    await sender.drain();
    return [a, b] as const;
  };
  return { ...t, api, sender, cron };
}

const weekly = { frequency: "weekly", weekdays: [1, 3], time: "09:00", start_date: "2026-01-05" }; // Mondays and Wednesdays

describe("recurring notifications", () => {
  it("sends each run once at 09:00 Paris, with its own stats linked to the series", async () => {
    const { api, site, cron } = await setup("rec-weekly");
    // The API answers with the real clock; the scheduler runs on the injected one.
    const created = await call("POST", `/api/sites/${site.id}/recurring`, {
      token: (await tenant("rec-weekly-other")).owner.token,
      body: { name: "x", recurrence: weekly, notification: { title: "x", target: { all: true } } },
    });
    expect(created.status).toBe(404); // another tenant's site
    const s = await api("POST", "/recurring", { name: "Weekly tips", recurrence: weekly, notification: { title: "Tip of the day", target: { all: true } } });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    expect(s.body).toMatchObject({ status: "active", runs_count: 0 });
    expect(s.body.next_runs.length).toBe(5);
    // Make the series due from the injected clock: move its next run to Monday 09:00 Paris.
    const env = (await import("cloudflare:workers")).env;
    await env.DB.prepare("update recurring_series set next_run_date = '2026-01-05', next_run_at = ? where id = ?").bind(Date.UTC(2026, 0, 5, 8, 0), s.body.id).run();

    await cron(Date.UTC(2026, 0, 5, 7, 59));
    expect(push.received).toHaveLength(0);
    const [first, twice] = await cron(Date.UTC(2026, 0, 5, 8, 0, 20));
    expect(first.created).toHaveLength(1);
    expect(twice.created).toHaveLength(0); // the cron fired twice: one run
    expect(push.received.map((r) => r.payload.title)).toEqual(["Tip of the day"]);
    await cron(Date.UTC(2026, 0, 6, 8, 0, 20)); // Tuesday: nothing
    await cron(Date.UTC(2026, 0, 7, 8, 0, 20)); // Wednesday
    expect(push.received).toHaveLength(2);

    const runs = await api("GET", `/recurring/${s.body.id}/runs`);
    expect(runs.body.data.map((r: { date: string }) => r.date)).toEqual(["2026-01-07", "2026-01-05"]);
    expect(runs.body.data[0]).toMatchObject({ status: "completed", stats: expect.objectContaining({ sent: 1 }) });
    const n = await api("GET", `/notifications/${runs.body.data[0].notification_id}`);
    expect(n.body).toMatchObject({ title: "Tip of the day", status: "completed" });
    const after = await api("GET", `/recurring/${s.body.id}`);
    expect(after.body).toMatchObject({ runs_count: 2, last_run_at: Date.UTC(2026, 0, 7, 8, 0) });
  });

  it("after downtime sends only the latest missed run (catch_up), or none without it; never a burst", async () => {
    const { api, cron } = await setup("rec-late");
    const env = (await import("cloudflare:workers")).env;
    const daily = { frequency: "daily", time: "09:00", start_date: "2026-01-01" };
    const a = await api("POST", "/recurring", { name: "Catch up", recurrence: daily, notification: { title: "A", target: { all: true } } });
    const b = await api("POST", "/recurring", { name: "Skip", recurrence: daily, catch_up: false, notification: { title: "B", target: { all: true } } });
    for (const id of [a.body.id, b.body.id]) {
      await env.DB.prepare("update recurring_series set next_run_date = '2026-01-05', next_run_at = ? where id = ?").bind(Date.UTC(2026, 0, 5, 8, 0), id).run();
    }
    // The edge was down from Monday morning to Thursday 10:30: runs of Mon, Tue, Wed and Thu missed.
    const [res] = await cron(Date.UTC(2026, 0, 8, 9, 30));
    expect(res.created.map((c) => c.date)).toEqual(["2026-01-08"]);
    expect(res.skipped).toBe(3 + 4);
    expect(push.received.map((r) => r.payload.title)).toEqual(["A"]);
    for (const id of [a.body.id, b.body.id]) expect((await api("GET", `/recurring/${id}`)).body.next_run_at).toBe(Date.UTC(2026, 0, 9, 8, 0));
  });

  it("pauses and resumes from the next run after now; validates rules with the field; 404 for another site's series", async () => {
    const { api, cron } = await setup("rec-pause");
    const daily = { frequency: "daily", time: "09:00", start_date: "2026-01-01" };
    const s = await api("POST", "/recurring", { name: "Daily", recurrence: daily, notification: { title: "D", target: { all: true } } });
    expect((await api("POST", `/recurring/${s.body.id}/pause`)).body).toMatchObject({ status: "paused", next_runs: [] });
    await cron(Date.now() + 3 * DAY);
    expect(push.received).toHaveLength(0);
    const resumed = await api("POST", `/recurring/${s.body.id}/resume`);
    expect(resumed.body.status).toBe("active");
    expect(resumed.body.next_run_at).toBeGreaterThan(Date.now());

    const bad: Array<[unknown, string]> = [
      [{ ...daily, frequency: "weekly" }, "recurrence.weekdays"],
      [{ ...daily, frequency: "monthly" }, "recurrence.day_of_month"],
      [{ ...daily, end_date: "2025-12-31" }, "recurrence.end_date"],
      [{ ...daily, start_date: "2020-01-01", end_date: "2020-02-01" }, "recurrence.end_date"],
      [{ ...daily, time: "25:00" }, "recurrence.time"],
    ];
    for (const [recurrence, path] of bad) {
      const r = await api("POST", "/recurring", { name: "Bad", recurrence, notification: { title: "x", target: { all: true } } });
      expect(r.status, JSON.stringify(recurrence)).toBe(400);
      expect(r.body.error.fields.map((f: { path: string }) => f.path)).toContain(path);
    }
    const noProvider = await api("POST", "/recurring", { name: "Mail", recurrence: daily, notification: { title: "x", target: { all: true }, channels: ["email"], channel_content: { email: { subject: "s", text: "t" } } } });
    expect(noProvider.status).toBe(409);
    expect(noProvider.body.error.fields[0].path).toMatch(/^notification\./);

    const other = await tenant("rec-pause-other");
    const foreign = (path: string, method = "GET") => call(method, `/api/sites/${other.site.id}/recurring/${s.body.id}${path}`, { token: other.owner.token });
    for (const [path, method] of [["", "GET"], ["", "DELETE"], ["/pause", "POST"], ["/runs", "GET"]] as const) expect((await foreign(path, method)).status).toBe(404);
    expect((await api("DELETE", `/recurring/${s.body.id}`)).status).toBe(204);
    expect((await api("GET", `/recurring/${s.body.id}`)).status).toBe(404);
  });

  it("on subscribers' clocks: each run carries a local delivery time for its date", async () => {
    const { api, cron } = await setup("rec-local");
    const env = (await import("cloudflare:workers")).env;
    const s = await api("POST", "/recurring", {
      name: "Local",
      recurrence: { frequency: "daily", time: "09:00", start_date: "2026-01-01", timezone: "subscriber" },
      notification: { title: "L", target: { all: true } },
    });
    await env.DB.prepare("update recurring_series set next_run_date = '2026-01-05', next_run_at = ? where id = ?").bind(Date.UTC(2026, 0, 4, 19, 0), s.body.id).run();
    await cron(Date.UTC(2026, 0, 4, 19, 0, 30));
    const runs = await api("GET", `/recurring/${s.body.id}/runs`);
    const n = await api("GET", `/notifications/${runs.body.data[0].notification_id}`);
    expect(n.body.local_delivery).toEqual({ time: "09:00", date: "2026-01-05" });
    // The browser has no timezone and the site is in Paris: it waits for 09:00 Paris.
    expect(n.body.channels.web_push).toMatchObject({ deferred: 1, sent: 0 });
  });
});
