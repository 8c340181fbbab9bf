// Frequency caps (issue #9 §3 "caps", the cap of issue #10 §8), with the clock injected: at most
// per_day notifications per recipient in any 24 hours and per_week in any 7 days, across every
// send path, counted once per notification however many channels carry it; urgent sends and
// required categories pass; skipped recipients are counted with the reason; two sends at once
// never both take the last slot; a redelivered batch keeps its slot.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { runHousekeeping } from "../../workers/cron/housekeeping";
import { createMessage, getMessage, listRecipients } from "../../workers/services/messages";
import { createNotification, sendNotification } from "../../workers/services/notifications";
import { findNotification } from "../../workers/db/queries/notifications";
import { decideBatch } from "../../workers/services/preferences/policy";
import { deliverBatch } from "../../workers/services/sending/deliver";
import { planSend } from "../../workers/services/sending/planner";
import { installFakePush } from "../fixtures/fake-push";
import { call, tenant } from "../helpers";
import { subscribeAs } from "../messages/helpers";
import { manualSender } from "./helpers";

const T0 = Date.UTC(2026, 0, 14, 10, 0);
const HOUR = 3600_000;
const DAY = 24 * HOUR;

let push: ReturnType<typeof installFakePush>;
afterEach(() => push?.restore());

async function setup(label: string, cap: Record<string, unknown>) {
  push = installFakePush();
  const t = await tenant(label);
  const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${t.site.id}${path}`, { token: t.owner.token, body });
  const patched = await api("PATCH", "", { settings: { frequency_cap: cap } });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  return { ...t, api, sender: manualSender(T0) };
}
const pushTitles = () => push.received.map((r) => r.payload.title as string);

describe("frequency caps", () => {
  it("sends at most per_day in any 24 hours and per_week in any 7 days, and counts the skipped ones with the reason", async () => {
    const { site, sender, api } = await setup("cap-day", { per_day: 2, per_week: 3 });
    await subscribeAs(push, site, "ada");
    const { deps, clock, drain } = sender;
    const send = async (title: string) => {
      const m = await createMessage(deps, site.id, null, { to: { external_ids: ["ada"] }, content: { web_push: { title } } });
      await drain();
      return m.id;
    };
    await send("1");
    clock.t += HOUR;
    await send("2");
    clock.t += HOUR;
    const third = await send("3");
    expect(pushTitles()).toEqual(["1", "2"]);
    expect((await getMessage(deps, site.id, third)).channels.web_push).toMatchObject({ state: "done", sent: 0, skipped: 1, failed: 0 });
    const rows = await listRecipients(deps, site.id, third, { status: "skipped" }, undefined, 10);
    expect(rows.data).toEqual([expect.objectContaining({ external_id: "ada", reason: "capped", reason_label: expect.stringContaining("frequency cap") })]);
    // The site's numbers: the capped send is neither sent nor failed.
    const view = await api("GET", `/messages/${third}`);
    expect(view.body.channels.web_push.skipped).toBe(1);

    // 24 hours after the first: one slot of the day is free again; the week's third goes.
    clock.t = T0 + DAY + 1;
    await send("4");
    clock.t += 2 * HOUR;
    await send("5"); // day: 2 in 24 h (2 and 4)… but the week has 1, 2, 4 = 3: capped
    expect(pushTitles()).toEqual(["1", "2", "4"]);
    clock.t = T0 + 7 * DAY + 1; // "1" leaves the week
    await send("6");
    expect(pushTitles()).toEqual(["1", "2", "4", "6"]);
  });

  it("counts a notification once however many channels carry it, across messages and campaigns; urgent and required sends pass", async () => {
    const { site, sender, api } = await setup("cap-paths", { per_day: 2, channels: ["web_push", "in_app"] });
    await subscribeAs(push, site, "ada");
    await api("POST", "/categories", { key: "security", name: "Security", required: true });
    const { deps, clock, drain } = sender;
    const both = { web_push: { title: "M1" }, in_app: { title: "M1" } };
    const m1 = await createMessage(deps, site.id, null, { to: { external_ids: ["ada"] }, content: both });
    await drain();
    expect((await getMessage(deps, site.id, m1.id)).channels).toMatchObject({ web_push: { sent: 1 }, in_app: { sent: 1 } });
    clock.t += 1000;
    // A campaign to every browser is the second notification of the day for ada.
    const n = await createNotification(deps, site.id, null, { title: "Campaign", target: { all: true } });
    await sendNotification(deps, site.id, n.id);
    await drain();
    clock.t += 1000;
    const m3 = await createMessage(deps, site.id, null, { to: { external_ids: ["ada"] }, content: { web_push: { title: "M3" }, in_app: { title: "M3" } } });
    await drain();
    expect((await getMessage(deps, site.id, m3.id)).channels).toMatchObject({ web_push: { sent: 0, skipped: 1 }, in_app: { sent: 0, skipped: 1 } });
    const urgent = await createMessage(deps, site.id, null, { to: { external_ids: ["ada"] }, content: { web_push: { title: "Urgent" } }, priority: "urgent" });
    const required = await createMessage(deps, site.id, null, { to: { external_ids: ["ada"] }, content: { web_push: { title: "Security" } }, category: "security" });
    await drain();
    expect((await getMessage(deps, site.id, urgent.id)).channels.web_push).toMatchObject({ sent: 1 });
    expect((await getMessage(deps, site.id, required.id)).channels.web_push).toMatchObject({ sent: 1 });
    expect(pushTitles()).toEqual(["M1", "Campaign", "Urgent", "Security"]);
    expect((await api("GET", "/users/ada/inbox")).body.items.map((i: { title: string }) => i.title)).toEqual(["M1"]);
  });

  it("caps anonymous browsers one by one, and leaves in_app uncapped by default", async () => {
    const { site, sender } = await setup("cap-anon", { per_day: 1 });
    await subscribeAs(push, site, null);
    await subscribeAs(push, site, null);
    const { deps, clock, drain } = sender;
    for (const title of ["A", "B"]) {
      const n = await createNotification(deps, site.id, null, { title, target: { all: true } });
      await sendNotification(deps, site.id, n.id);
      await drain();
      clock.t += 1000;
    }
    expect(pushTitles()).toEqual(["A", "A"]);
  });

  it("gives the last slot to one of two sends running at once, for every recipient", async () => {
    const { site, sender } = await setup("cap-race", { per_day: 1 });
    const users = ["u1", "u2", "u3", "u4", "u5", "u6"];
    for (const u of users) await subscribeAs(push, site, u);
    const { deps, queued } = sender;
    const a = await createMessage(deps, site.id, null, { to: { external_ids: users }, content: { web_push: { title: "A" } } });
    const b = await createMessage(deps, site.id, null, { to: { external_ids: users }, content: { web_push: { title: "B" } } });
    const plans = queued.splice(0);
    for (const m of plans) if (m.type === "plan") await planSend(deps, m.siteId, m.notificationId);
    const batches = queued.splice(0);
    expect(batches.filter((m) => m.type === "deliver")).toHaveLength(2);
    await Promise.all(batches.map((m) => m.type === "deliver" && deliverBatch(deps, m, 1)));
    // Each user got exactly one of the two, whichever won.
    expect(push.received).toHaveLength(users.length);
    const [va, vb] = [await getMessage(deps, site.id, a.id), await getMessage(deps, site.id, b.id)];
    expect(va.channels.web_push!.sent + vb.channels.web_push!.sent).toBe(users.length);
    expect(va.channels.web_push!.skipped + vb.channels.web_push!.skipped).toBe(users.length);
  });

  it("keeps a redelivered batch's slot: deciding the same batch again sends again, to the same people", async () => {
    const { site, sender } = await setup("cap-redeliver", { per_day: 1 });
    await subscribeAs(push, site, "ada");
    const { deps } = sender;
    const m = await createMessage(deps, site.id, null, { to: { external_ids: ["ada"] }, content: { web_push: { title: "Once" } } });
    const n = (await findNotification(deps.db, site.id, m.id))!;
    const recipients = [{ id: "sub_x", externalId: "ada" }];
    const first = await decideBatch(deps, n, "web_push", recipients);
    const again = await decideBatch(deps, n, "web_push", recipients);
    expect(first.send).toEqual(recipients);
    expect(again.send).toEqual(recipients);
    const other = await createMessage(deps, site.id, null, { to: { external_ids: ["ada"] }, content: { web_push: { title: "Other" } } });
    const next = await decideBatch(deps, (await findNotification(deps.db, site.id, other.id))!, "web_push", recipients);
    expect(next.send).toEqual([]);
    expect(next.held).toEqual([expect.objectContaining({ subscriberId: "sub_x", status: "skipped", reason: "capped" })]);
  });

  it("forgets the ledger past a week (housekeeping) and for an erased user", async () => {
    const { site, sender, api } = await setup("cap-prune", { per_week: 5 });
    await subscribeAs(push, site, "ada");
    await subscribeAs(push, site, "bob");
    const { deps, clock, drain } = sender;
    await createMessage(deps, site.id, null, { to: { external_ids: ["ada", "bob"] }, content: { web_push: { title: "1" } } });
    await drain();
    const count = async () => (await env.DB.prepare("select count(*) as n from cap_ledger where site_id = ?").bind(site.id).first<{ n: number }>())!.n;
    expect(await count()).toBe(2);
    expect((await api("DELETE", "/users/bob")).status).toBe(204);
    expect(await count()).toBe(1);
    clock.t = T0 + 7 * DAY + 1;
    expect((await runHousekeeping(deps)).capLedgerRowsDeleted).toBeGreaterThanOrEqual(1);
    expect(await count()).toBe(0);
  });

  it("refuses a cap without limits, a week below a day and unknown channels, with the field; null removes it", async () => {
    const { api } = await setup("cap-input", { per_day: 3 });
    const bad: Array<[unknown, string]> = [
      [{}, "settings.frequency_cap.per_day"],
      [{ per_day: 5, per_week: 2 }, "settings.frequency_cap.per_week"],
      [{ per_day: 0 }, "settings.frequency_cap.per_day"],
      [{ per_day: 1, channels: ["pigeon"] }, "settings.frequency_cap.channels.0"],
    ];
    for (const [cap, path] of bad) {
      const r = await api("PATCH", "", { settings: { frequency_cap: cap } });
      expect(r.status, JSON.stringify(cap)).toBe(400);
      expect(r.body.error.fields.map((f: { path: string }) => f.path)).toContain(path);
    }
    expect((await api("GET", "")).body.settings.frequency_cap).toEqual({ per_day: 3 });
    const cleared = await api("PATCH", "", { settings: { frequency_cap: null } });
    expect(cleared.body.settings.frequency_cap).toBeNull();
  });
});
