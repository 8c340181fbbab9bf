import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runScheduledSends } from "../../workers/cron/scheduled-sends";
import { makeDeps } from "../../workers/services/deps";
import { call, tenant } from "../helpers";

describe("scheduled sends cron", () => {
  it("claims a due notification exactly once even when the trigger fires twice at the same time", async () => {
    const { owner, site } = await tenant("cron");
    const at = Date.now() + 60_000;
    const n = await call("POST", `/api/sites/${site.id}/notifications`, { token: owner.token, body: { title: "Later", target: { all: true }, scheduled_at: at } });
    expect(n.body.status).toBe("scheduled");

    const early = await runScheduledSends(makeDeps(env, () => at - 1));
    expect(early.claimed).toBe(0);
    const deps = makeDeps(env, () => at + 1);
    const [a, b] = await Promise.all([runScheduledSends(deps), runScheduledSends(deps)]);
    expect(a.claimed + b.claimed).toBe(1);
    const row = await env.DB.prepare("select status from notifications where id = ?").bind(n.body.id).first<string>("status");
    expect(["sending", "completed"]).toContain(row);
  });

  it("rejects a schedule in the past, lets a scheduled notification become a draft again and clears fields set to null", async () => {
    const { owner, site } = await tenant("cron2");
    const past = await call("POST", `/api/sites/${site.id}/notifications`, { token: owner.token, body: { title: "x", target: { all: true }, scheduled_at: 1000 } });
    expect(past.status).toBe(400);
    expect(past.body.error.fields[0].path).toBe("scheduled_at");
    const n = await call("POST", `/api/sites/${site.id}/notifications`, {
      token: owner.token,
      body: { title: "x", image: "https://acme.example.com/a.png", target: { all: true }, scheduled_at: Date.now() + 3600_000 },
    });
    const draft = await call("PATCH", `/api/sites/${site.id}/notifications/${n.body.id}`, { token: owner.token, body: { scheduled_at: null, title: "y", image: null } });
    expect(draft.body).toMatchObject({ status: "draft", title: "y", scheduled_at: null });
    expect(draft.body).not.toHaveProperty("image");
    const noTitle = await call("PATCH", `/api/sites/${site.id}/notifications/${n.body.id}`, { token: owner.token, body: { title: null } });
    expect(noTitle.status).toBe(400);
  });

  it("re-plans a send whose plan message was lost", async () => {
    const { owner, site } = await tenant("cron3");
    const n = await call("POST", `/api/sites/${site.id}/notifications`, { token: owner.token, body: { title: "x", target: { all: true } } });
    const startedAt = Date.now() - 10 * 60_000;
    await env.DB.prepare("update notifications set status = 'sending', started_at = ? where id = ?").bind(startedAt, n.body.id).run();
    const r = await runScheduledSends(makeDeps(env));
    expect(r.recovered).toBeGreaterThanOrEqual(1);
  });
});
