// Delivery in each recipient's local time (issue #10 §2), through the real send path with the
// clock injected: one campaign "at 09:00 local" to browsers in Tokyo, Paris and New York goes
// out to each when their clock reads 09:00 — three releases across the day, each once even with
// the release job run twice — and rolls up as one send; quiet hours and caps still apply at
// release; a date already past everywhere is refused with the field.
import { afterEach, describe, expect, it } from "vitest";
import { identityHash } from "../../workers/lib/identity";
import { runReleaseDeferred } from "../../workers/cron/release-deferred";
import { createMessage, getMessage } from "../../workers/services/messages";
import { createNotification, getNotification, sendNotification } from "../../workers/services/notifications";
import { installFakePush } from "../fixtures/fake-push";
import { call, freshIp, tenant } from "../helpers";
import { manualSender } from "./helpers";

const START = Date.UTC(2026, 2, 7, 20, 0); // Saturday 7 March 2026, 20:00 UTC (05:00 Sunday in Tokyo)
const HOUR = 3600_000;

let push: ReturnType<typeof installFakePush>;
afterEach(() => push?.restore());

async function browserIn(site: { site_key: string; identity_secret: string }, timezone: string, externalId?: string) {
  const sub = await push.subscription([201]);
  const identity = externalId ? { external_id: externalId, external_id_hash: await identityHash(site.identity_secret, externalId) } : {};
  const r = await call("POST", "/api/subscribe", {
    body: { site_key: site.site_key, subscription: { endpoint: sub.endpoint, keys: sub.keys }, timezone, ...identity },
    headers: { "CF-Connecting-IP": freshIp() },
  });
  expect(r.status).toBe(201);
  return sub.endpoint;
}

async function setup(label: string) {
  push = installFakePush();
  const t = await tenant(label);
  const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${t.site.id}${path}`, { token: t.owner.token, body });
  return { ...t, api, sender: manualSender(START) };
}

/** Runs the release job at `t` (twice, as a doubled cron would) and sends what it released. */
async function releaseAt(s: ReturnType<typeof manualSender>, t: number) {
  s.clock.t = t;
  await runReleaseDeferred(s.deps);
  await runReleaseDeferred(s.deps);
  await s.drain();
}

describe("local-time delivery", () => {
  it("sends a 09:00-local campaign to each browser at 09:00 on its own clock, once, across the US spring-forward night", async () => {
    const { site, sender } = await setup("local-camp");
    const tokyo = await browserIn(site, "Asia/Tokyo");
    const paris = await browserIn(site, "Europe/Paris");
    const ny = await browserIn(site, "America/New_York");
    const { deps, drain } = sender;
    const n = await createNotification(deps, site.id, null, { title: "Good morning", target: { all: true }, local_delivery: { time: "09:00", date: "2026-03-08" } });
    await sendNotification(deps, site.id, n.id);
    await drain();
    expect(push.received).toHaveLength(0);
    expect((await getNotification(deps, site.id, n.id)).channels.web_push).toMatchObject({ deferred: 3, sent: 0 });

    const tokyo9 = Date.UTC(2026, 2, 8, 0, 0); // UTC+9
    const paris9 = Date.UTC(2026, 2, 8, 8, 0); // UTC+1 (Europe changes on 29 March)
    const ny9 = Date.UTC(2026, 2, 8, 13, 0); // EDT, UTC−4: New York sprang forward at 02:00 that night
    await releaseAt(sender, tokyo9 - 60_000);
    expect(push.received).toHaveLength(0);
    await releaseAt(sender, tokyo9 + 30_000);
    expect(push.received.map((r) => r.endpoint)).toEqual([tokyo]);
    await releaseAt(sender, paris9 + 30_000);
    expect(push.received.map((r) => r.endpoint)).toEqual([tokyo, paris]);
    await releaseAt(sender, ny9 - HOUR); // 08:00 in New York: not yet
    expect(push.received).toHaveLength(2);
    await releaseAt(sender, ny9 + 30_000);
    await releaseAt(sender, ny9 + HOUR);
    expect(push.received.map((r) => r.endpoint)).toEqual([tokyo, paris, ny]);
    const done = await getNotification(deps, site.id, n.id);
    expect(done.channels.web_push).toMatchObject({ sent: 3, deferred: 0, failed: 0 });
    expect(done.stats).toMatchObject({ sent: 3 });
    expect(done.local_delivery).toEqual({ time: "09:00", date: "2026-03-08" });
  });

  it("uses the user's profile timezone over the browser's, and quiet hours and caps still apply when a message is released", async () => {
    const { site, api, sender } = await setup("local-msg");
    await browserIn(site, "Asia/Tokyo", "ada"); // Ada's browser says Tokyo, her profile says Paris
    await browserIn(site, "Europe/Paris", "bob");
    await api("PATCH", "/users/ada", { timezone: "Europe/Paris" });
    // Bob's quiet hours run to 10:00: his 09:00 send waits an hour more.
    await api("PUT", "/users/bob/preferences", { quiet_hours: { start: "22:00", end: "10:00" } });
    await api("PATCH", "", { settings: { frequency_cap: { per_day: 1 } } });
    const { deps, drain } = sender;
    const m = await createMessage(deps, site.id, null, { to: { external_ids: ["ada", "bob"] }, content: { web_push: { title: "Local" } }, local_delivery: { time: "09:00" } });
    // A second message at once, not local: it takes today's only slot for both.
    await createMessage(deps, site.id, null, { to: { external_ids: ["bob"] }, content: { web_push: { title: "Now" } } });
    await drain();
    expect(push.received.map((r) => r.payload.title)).toEqual(["Now"]);
    const paris9 = Date.UTC(2026, 2, 8, 8, 0);
    await releaseAt(sender, paris9 + 30_000);
    expect(push.received.map((r) => r.payload.title)).toEqual(["Now", "Local"]); // Ada, at 09:00 Paris
    const atNine = await getMessage(deps, site.id, m.id);
    expect(atNine.channels.web_push).toMatchObject({ sent: 1, deferred: 1 }); // Bob: quiet hours until 10:00
    await releaseAt(sender, paris9 + HOUR + 30_000);
    const final = await getMessage(deps, site.id, m.id);
    expect(final.channels.web_push).toMatchObject({ sent: 1, skipped: 1, deferred: 0 }); // Bob capped: "Now" took his slot
    expect(push.received).toHaveLength(2);
  });

  it("refuses a date and time already past in every timezone, a non-date, and a bad time, with the field", async () => {
    const { api } = await setup("local-input");
    const bad: Array<[unknown, string]> = [
      [{ time: "09:00", date: "2020-01-01" }, "local_delivery.date"],
      [{ time: "09:00", date: "2026-02-30" }, "local_delivery.date"],
      [{ time: "9am" }, "local_delivery.time"],
    ];
    for (const [local_delivery, path] of bad) {
      const r = await api("POST", "/notifications", { title: "x", target: { all: true }, local_delivery });
      expect(r.status, JSON.stringify(local_delivery)).toBe(400);
      expect(r.body.error.fields.map((f: { path: string }) => f.path)).toContain(path);
      const msg = await api("POST", "/messages", { to: { all: true }, content: { web_push: { title: "x" } }, local_delivery });
      expect(msg.status).toBe(400);
    }
    const ok = await api("POST", "/notifications", { title: "x", target: { all: true }, local_delivery: { time: "09:00" } });
    expect(ok.status).toBe(201);
    expect(ok.body.local_delivery).toEqual({ time: "09:00" });
    const cleared = await api("PATCH", `/notifications/${ok.body.id}`, { local_delivery: null });
    expect(cleared.body.local_delivery).toBeNull();
  });
});
