// Quiet hours on the send path (issue #9 §3), with the clock injected: a message at 23:00 in the
// user's timezone waits (deferred, with its release time), an urgent one goes at once, and the
// release job at 08:01 sends it exactly once — also when it runs twice, and when its queue
// message is lost (the stalled-send recovery picks the batch up).
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { SEND_STALL_AFTER_MS } from "../../workers/config";
import { runReleaseDeferred } from "../../workers/cron/release-deferred";
import { runScheduledSends } from "../../workers/cron/scheduled-sends";
import { createMessage, getMessage, listRecipients } from "../../workers/services/messages";
import { createNotification, sendNotification } from "../../workers/services/notifications";
import { installFakePush } from "../fixtures/fake-push";
import { call, tenant } from "../helpers";
import { subscribeAs } from "../messages/helpers";
import { manualSender } from "./helpers";

const PARIS_2300 = Date.UTC(2026, 0, 14, 22, 0);
const PARIS_0800 = Date.UTC(2026, 0, 15, 7, 0);

let push: ReturnType<typeof installFakePush>;
afterEach(() => push?.restore());

async function setup(label: string) {
  push = installFakePush();
  const t = await tenant(label);
  const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${t.site.id}${path}`, { token: t.owner.token, body });
  await subscribeAs(push, t.site, "ada");
  await subscribeAs(push, t.site, "bob");
  await api("PATCH", "/users/ada", { timezone: "Europe/Paris" });
  await api("PUT", "/users/ada/preferences", { quiet_hours: { start: "22:00", end: "08:00" } });
  return { ...t, api, sender: manualSender(PARIS_2300) };
}
const titles = () => push.received.map((r) => r.payload.title).sort();

describe("quiet hours", () => {
  it("defers a message at 23:00 in the user's timezone, sends urgent ones at once, and releases it once at 08:01", async () => {
    const { site, sender } = await setup("quiet");
    const { deps, clock, drain } = sender;
    const m = await createMessage(deps, site.id, null, { to: { external_ids: ["ada", "bob"] }, content: { web_push: { title: "Normal" } } });
    await createMessage(deps, site.id, null, { to: { external_ids: ["ada"] }, content: { web_push: { title: "Urgent" } }, priority: "urgent" });
    await drain();
    expect(titles()).toEqual(["Normal", "Urgent"]); // bob's normal one, ada's urgent one
    const held = await getMessage(deps, site.id, m.id);
    expect(held.channels.web_push).toMatchObject({ sent: 1, deferred: 1, state: "done" });
    const rows = await listRecipients(deps, site.id, m.id, { status: "deferred" }, undefined, 10);
    expect(rows.data).toEqual([expect.objectContaining({ external_id: "ada", status: "deferred", reason: "quiet_hours", release_at: PARIS_0800 })]);

    clock.t = PARIS_0800 - 60_000;
    expect((await runReleaseDeferred(deps)).released).toEqual([]);
    clock.t = PARIS_0800 + 60_000;
    const [a, b] = await Promise.all([runReleaseDeferred(deps), runReleaseDeferred(deps)]);
    expect(a.released.length + b.released.length).toBe(1);
    expect((await runReleaseDeferred(deps)).released).toEqual([]);
    await drain();
    await drain();
    expect(titles()).toEqual(["Normal", "Normal", "Urgent"]);
    const after = await getMessage(deps, site.id, m.id);
    expect(after.status).toBe("completed");
    expect(after.channels.web_push).toMatchObject({ sent: 2, deferred: 0, targeted: 2 });
  });

  it("sends a deferred campaign push whose release message was lost, through the stalled-send recovery", async () => {
    const { site, sender } = await setup("quiet-lost");
    const { deps, clock, drain, queued } = sender;
    const n = await createNotification(deps, site.id, null, { title: "Campaign", target: { all: true } });
    await sendNotification(deps, site.id, n.id);
    await drain();
    expect(titles()).toEqual(["Campaign"]); // bob only

    clock.t = PARIS_0800 + 60_000;
    expect((await runReleaseDeferred(deps)).released).toHaveLength(1);
    queued.length = 0; // the edge died before the deliver message reached the queue
    clock.t += SEND_STALL_AFTER_MS + 60_000;
    const recovered = await runScheduledSends(deps);
    expect(recovered.resumed).toEqual([{ notificationId: n.id, batches: 1 }]);
    await drain();
    expect(titles()).toEqual(["Campaign", "Campaign"]);
    const row = await env.DB.prepare("select status from notifications where id = ?").bind(n.id).first<string>("status");
    expect(row).toBe("completed");
  });

  it("applies the site's default window to users without their own, and an opt-out made meanwhile at release", async () => {
    const { site, sender, api } = await setup("quiet-site");
    const { deps, clock, drain } = sender;
    await api("PATCH", "", { settings: { quiet_hours: { start: "21:00", end: "07:00" }, timezone: "Europe/Paris" } });
    const m = await createMessage(deps, site.id, null, { to: { external_ids: ["ada", "bob"] }, content: { web_push: { title: "Late" } } });
    await drain();
    expect(push.received).toHaveLength(0);
    expect((await getMessage(deps, site.id, m.id)).channels.web_push).toMatchObject({ deferred: 2 });
    await api("PUT", "/users/bob/preferences", { channels: { web_push: false } });
    clock.t = Date.UTC(2026, 0, 15, 6, 1); // 07:01 in Paris: bob's (site) window is over, ada's (22–08) not
    await runReleaseDeferred(deps);
    await drain();
    expect((await getMessage(deps, site.id, m.id)).channels.web_push).toMatchObject({ deferred: 1, skipped: 1, sent: 0 });
    clock.t = PARIS_0800 + 60_000;
    await runReleaseDeferred(deps);
    await drain();
    expect((await getMessage(deps, site.id, m.id)).channels.web_push).toMatchObject({ deferred: 0, skipped: 1, sent: 1 });
    expect(titles()).toEqual(["Late"]);
  });
});
