// Categories and preferences APIs (issue #9 §3): categories per site with unique keys, a user's
// preferences read and merged by the server, the end user's limits (a required category stays
// on), and the site's default quiet hours.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeDeps } from "../../workers/services/deps";
import { getPreferences, updatePreferences } from "../../workers/services/preferences";
import { call, tenant } from "../helpers";

async function site(label: string) {
  const t = await tenant(label);
  const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${t.site.id}${path}`, { token: t.owner.token, body });
  return { ...t, api };
}

describe("categories", () => {
  it("creates, lists, edits and deletes categories; a key is unique per site and other tenants see none", async () => {
    const { api, site: s } = await site("cats");
    const created = await api("POST", "/categories", { key: "comments", name: "Comments", channels: { sms: false }, digest: { window_minutes: 30 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: "comments", name: "Comments", default_enabled: true, required: false, channels: { sms: false }, digest: { window_minutes: 30 }, description: null });
    expect((await api("POST", "/categories", { key: "security", name: "Security alerts", required: true })).status).toBe(201);

    const dup = await api("POST", "/categories", { key: "comments", name: "Again" });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: "category_exists", fields: [{ path: "key" }] });

    expect((await api("GET", "/categories")).body.data.map((c: { key: string }) => c.key)).toEqual(["comments", "security"]);
    const edited = await api("PATCH", "/categories/comments", { digest: null, default_enabled: false });
    expect(edited.body).toMatchObject({ digest: null, default_enabled: false, name: "Comments" });
    expect((await api("GET", "/categories/comments")).body.default_enabled).toBe(false);

    const bad = await api("POST", "/categories", { key: "x", name: "X", digest: { window_minutes: 5, daily_at: "09:00" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe("digest.window_minutes");
    expect((await api("POST", "/categories", { key: "Bad Key", name: "X" })).body.error.fields[0].path).toBe("key");

    const other = await tenant("cats-other");
    expect((await call("GET", `/api/sites/${other.site.id}/categories`, { token: other.owner.token })).body.data).toEqual([]);
    expect((await call("GET", `/api/sites/${other.site.id}/categories/comments`, { token: other.owner.token })).status).toBe(404);
    expect((await call("DELETE", `/api/sites/${s.id}/categories/comments`, { token: other.owner.token })).status).toBe(404);

    expect((await api("DELETE", "/categories/comments")).status).toBe(204);
    expect((await api("DELETE", "/categories/comments")).status).toBe(404);
  });
});

describe("preferences", () => {
  it("reads a user's resolved preferences, merges changes, and refuses unknown users and categories", async () => {
    const { api } = await site("prefs");
    await api("POST", "/categories", { key: "comments", name: "Comments", channels: { sms: false } });
    await api("POST", "/categories", { key: "security", name: "Security", required: true });
    expect((await api("GET", "/users/ada/preferences")).status).toBe(404);
    expect((await api("PUT", "/users/ada/preferences", { channels: { email: false } })).status).toBe(404);
    await api("POST", "/users", { external_id: "ada" });

    const initial = await api("GET", "/users/ada/preferences");
    expect(initial.status).toBe(200);
    expect(initial.body.channels).toMatchObject({ web_push: true, in_app: true, email: true, sms: true });
    expect(initial.body.categories).toEqual([
      expect.objectContaining({ key: "comments", enabled: true, required: false, channels: expect.objectContaining({ sms: false, email: true }) }),
      expect.objectContaining({ key: "security", enabled: true, required: true }),
    ]);
    expect(initial.body).toMatchObject({ quiet_hours: null, site_quiet_hours: null });

    await api("PUT", "/users/ada/preferences", { channels: { email: false } });
    const merged = await api("PUT", "/users/ada/preferences", {
      channels: { sms: false },
      categories: { comments: { enabled: false }, security: { enabled: false } }, // the server may set anything
      quiet_hours: { start: "22:00", end: "08:00", timezone: "Europe/Paris" },
    });
    expect(merged.status).toBe(200);
    expect(merged.body.channels).toMatchObject({ email: false, sms: false, web_push: true });
    expect(merged.body.categories[0]).toMatchObject({ key: "comments", enabled: false });
    expect(merged.body.categories[1]).toMatchObject({ key: "security", enabled: true }); // required: always on
    expect(merged.body.quiet_hours).toEqual({ start: "22:00", end: "08:00", timezone: "Europe/Paris" });

    // A new window replaces the old one whole; null drops an override.
    const replaced = await api("PUT", "/users/ada/preferences", { quiet_hours: { start: "23:00", end: "07:00" }, categories: { comments: null } });
    expect(replaced.body.quiet_hours).toEqual({ start: "23:00", end: "07:00" });
    expect(replaced.body.categories[0]).toMatchObject({ key: "comments", enabled: true });
    expect((await api("PUT", "/users/ada/preferences", { quiet_hours: null })).body.quiet_hours).toBeNull();

    const unknown = await api("PUT", "/users/ada/preferences", { categories: { nope: { enabled: false } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields[0].path).toBe("categories.nope");
    const badTz = await api("PUT", "/users/ada/preferences", { quiet_hours: { start: "22:00", end: "08:00", timezone: "Mars/Olympus" } });
    expect(badTz.status).toBe(400);
    expect(badTz.body.error.fields[0].path).toBe("quiet_hours.timezone");
    const same = await api("PUT", "/users/ada/preferences", { quiet_hours: { start: "22:00", end: "22:00" } });
    expect(same.body.error.fields[0].path).toBe("quiet_hours.end");
    // Nothing of the refused changes was stored.
    expect((await api("GET", "/users/ada/preferences")).body.channels).toMatchObject({ email: false, sms: false });
  });

  it("keeps both of two concurrent changes", async () => {
    const { api } = await site("prefs-race");
    await api("POST", "/users", { external_id: "bob" });
    await Promise.all([api("PUT", "/users/bob/preferences", { channels: { email: false } }), api("PUT", "/users/bob/preferences", { channels: { sms: false } })]);
    expect((await api("GET", "/users/bob/preferences")).body.channels).toMatchObject({ email: false, sms: false, web_push: true });
  });

  it("lets an end user change their own choices but not switch off a required category; their first choice creates them", async () => {
    const { api, site: s } = await site("prefs-end");
    await api("POST", "/categories", { key: "security", name: "Security alerts", required: true });
    await api("POST", "/categories", { key: "news", name: "News", default_enabled: false });
    const deps = makeDeps(env);
    const fresh = await getPreferences(deps, s.id, "carol", { asEndUser: true });
    expect(fresh.categories.find((c) => c.key === "news")?.enabled).toBe(false);
    await expect(getPreferences(deps, s.id, "carol")).rejects.toMatchObject({ code: "not_found" });

    await expect(updatePreferences(deps, s.id, "carol", { categories: { security: { enabled: false } } }, { asEndUser: true })).rejects.toMatchObject({
      code: "category_required",
      fields: [{ path: "categories.security.enabled" }],
    });
    await expect(updatePreferences(deps, s.id, "carol", { categories: { security: { channels: { email: false } } } }, { asEndUser: true })).rejects.toMatchObject({
      code: "category_required",
      fields: [{ path: "categories.security.channels.email" }],
    });
    const view = await updatePreferences(deps, s.id, "carol", { categories: { news: { enabled: true } }, channels: { sms: false } }, { asEndUser: true });
    expect(view.categories.find((c) => c.key === "news")?.enabled).toBe(true);
    expect((await api("GET", "/users/carol/preferences")).body.channels.sms).toBe(false);
  });

  it("takes the site's default quiet hours in its settings, validated", async () => {
    const { api } = await site("prefs-site");
    const set = await api("PATCH", "", { settings: { quiet_hours: { start: "21:00", end: "07:30" } } });
    expect(set.status).toBe(200);
    expect(set.body.settings.quiet_hours).toEqual({ start: "21:00", end: "07:30" });
    await api("POST", "/users", { external_id: "dan" });
    expect((await api("GET", "/users/dan/preferences")).body.site_quiet_hours).toEqual({ start: "21:00", end: "07:30" });
    const bad = await api("PATCH", "", { settings: { quiet_hours: { start: "25:00", end: "07:30" } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe("settings.quiet_hours.start");
    const badTz = await api("PATCH", "", { settings: { quiet_hours: { start: "21:00", end: "07:30", timezone: "Nowhere/City" } } });
    expect(badTz.body.error.fields[0].path).toBe("settings.quiet_hours.timezone");
    expect((await api("PATCH", "", { settings: { quiet_hours: null } })).body.settings.quiet_hours).toBeNull();
  });
});
