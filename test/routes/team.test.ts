import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, registerUser, tenant } from "../helpers";

async function teamWith(role: "admin" | "member") {
  const t = await tenant("team-owner");
  const user = await registerUser(role);
  const invite = await call("POST", `/api/sites/${t.site.id}/invitations`, { token: t.owner.token, body: { email: user.email, role } });
  expect(invite.status).toBe(201);
  const accept = await call("POST", `/api/me/invitations/${invite.body.id}/accept`, { token: user.token });
  expect(accept.body).toEqual({ site_id: t.site.id, role });
  return { ...t, user };
}

describe("roles", () => {
  // [permission exercised, request, who may]
  const matrix: Array<[string, (siteId: string) => [string, string, unknown?], Array<"owner" | "admin" | "member">]> = [
    ["read the site", (s) => ["GET", `/api/sites/${s}`], ["owner", "admin", "member"]],
    ["list members", (s) => ["GET", `/api/sites/${s}/members`], ["owner", "admin", "member"]],
    ["change settings", (s) => ["PATCH", `/api/sites/${s}`, { name: "Renamed" }], ["owner", "admin"]],
    ["list API keys", (s) => ["GET", `/api/sites/${s}/api-keys`], ["owner", "admin"]],
    ["create API keys", (s) => ["POST", `/api/sites/${s}/api-keys`, { name: "k", scopes: ["send"] }], ["owner", "admin"]],
    ["invite members", (s) => ["POST", `/api/sites/${s}/invitations`, { email: "nobody-here@example.com", role: "member" }], ["owner"]],
    ["list invitations", (s) => ["GET", `/api/sites/${s}/invitations`], ["owner", "admin", "member"]],
  ];

  for (const role of ["admin", "member"] as const) {
    for (const [what, req, allowed] of matrix) {
      it(`${role} ${allowed.includes(role) ? "may" : "may not"} ${what}`, async () => {
        const { site, user } = await teamWith(role);
        const [method, path, body] = req(site.id);
        const r = await call(method, path, { token: user.token, body });
        if (allowed.includes(role)) expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
        else {
          expect(r.status).toBe(403);
          expect(r.body.error.code).toBe("forbidden");
        }
      });
    }
  }

  it("only the owner deletes the site", async () => {
    const { site, user } = await teamWith("admin");
    expect((await call("DELETE", `/api/sites/${site.id}`, { token: user.token })).status).toBe(403);
  });

  it("keeps at least one owner", async () => {
    const { owner, site, user } = await teamWith("admin");
    const demote = await call("PATCH", `/api/sites/${site.id}/members/${owner.user.id}`, { token: owner.token, body: { role: "admin" } });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe("last_owner");
    const leave = await call("DELETE", `/api/sites/${site.id}/members/${owner.user.id}`, { token: owner.token });
    expect(leave.body.error.code).toBe("last_owner");
    // With a second owner, the first may step down.
    expect((await call("PATCH", `/api/sites/${site.id}/members/${user.user.id}`, { token: owner.token, body: { role: "owner" } })).status).toBe(200);
    expect((await call("PATCH", `/api/sites/${site.id}/members/${owner.user.id}`, { token: owner.token, body: { role: "member" } })).status).toBe(200);
  });

  it("lets a member leave but not remove others", async () => {
    const { owner, site, user } = await teamWith("member");
    expect((await call("DELETE", `/api/sites/${site.id}/members/${owner.user.id}`, { token: user.token })).status).toBe(403);
    expect((await call("DELETE", `/api/sites/${site.id}/members/${user.user.id}`, { token: user.token })).status).toBe(204);
    expect((await call("GET", `/api/sites/${site.id}`, { token: user.token })).status).toBe(404);
  });

  it("refuses to invite someone already on the team", async () => {
    const { owner, site, user } = await teamWith("member");
    const again = await call("POST", `/api/sites/${site.id}/invitations`, { token: owner.token, body: { email: user.email.toUpperCase(), role: "admin" } });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "already_member", fields: [{ path: "email" }] });
  });
});

describe("notification permissions", () => {
  const future = () => Date.now() + 3600_000;
  async function scheduledBy(owner: { token: string }, siteId: string) {
    const n = await call("POST", `/api/sites/${siteId}/notifications`, { token: owner.token, body: { title: "Admin's", target: { all: true }, scheduled_at: future() } });
    expect(n.body.status).toBe("scheduled");
    return n.body.id as string;
  }

  for (const who of ["member", "write-only API key"] as const) {
    it(`a ${who} edits drafts but cannot rewrite, unschedule or delete a scheduled notification`, async () => {
      const { owner, site, user } = await teamWith("member");
      const key = await call("POST", `/api/sites/${site.id}/api-keys`, { token: owner.token, body: { name: "w", scopes: ["notifications:read", "notifications:write"] } });
      const token = who === "member" ? user.token : (key.body.key as string);
      const denied = who === "member" ? "forbidden" : "insufficient_scope";

      const draft = await call("POST", `/api/sites/${site.id}/notifications`, { token, body: { title: "Mine", target: { all: true } } });
      expect(draft.status).toBe(201);
      expect((await call("PATCH", `/api/sites/${site.id}/notifications/${draft.body.id}`, { token, body: { title: "Mine, edited" } })).status).toBe(200);
      const schedule = await call("PATCH", `/api/sites/${site.id}/notifications/${draft.body.id}`, { token, body: { scheduled_at: future() } });
      expect(schedule.status).toBe(403);

      const id = await scheduledBy(owner, site.id);
      const attempts: Array<[string, string, unknown?]> = [
        ["PATCH", `/api/sites/${site.id}/notifications/${id}`, { title: "Rewritten by a member", url: "https://evil.example.com" }],
        ["PATCH", `/api/sites/${site.id}/notifications/${id}`, { scheduled_at: null }],
        ["DELETE", `/api/sites/${site.id}/notifications/${id}`],
        ["POST", `/api/sites/${site.id}/notifications/${id}/send`],
        ["POST", `/api/sites/${site.id}/notifications/${id}/cancel`],
      ];
      for (const [method, path, body] of attempts) {
        const r = await call(method, path, { token, body });
        expect(r.status, `${method} ${JSON.stringify(body)}`).toBe(403);
        expect(["forbidden", denied]).toContain(r.body.error.code);
      }
      const after = await call("GET", `/api/sites/${site.id}/notifications/${id}`, { token: owner.token });
      expect(after.body).toMatchObject({ status: "scheduled", title: "Admin's" });
      expect(after.body).not.toHaveProperty("url");

      expect((await call("DELETE", `/api/sites/${site.id}/notifications/${draft.body.id}`, { token })).status).toBe(204);
    });
  }

  it("an admin may change, unschedule and delete a scheduled notification", async () => {
    const { owner, site, user } = await teamWith("admin");
    const id = await scheduledBy(owner, site.id);
    expect((await call("PATCH", `/api/sites/${site.id}/notifications/${id}`, { token: user.token, body: { title: "Better" } })).body.status).toBe("scheduled");
    expect((await call("PATCH", `/api/sites/${site.id}/notifications/${id}`, { token: user.token, body: { scheduled_at: null } })).body.status).toBe("draft");
    const again = await scheduledBy(owner, site.id);
    expect((await call("DELETE", `/api/sites/${site.id}/notifications/${again}`, { token: user.token })).status).toBe(204);
  });

  it("keeps a sent notification's statistics: it is archived, not deleted, with one answer", async () => {
    const { owner, site } = await tenant("archive");
    const n = await call("POST", `/api/sites/${site.id}/notifications`, { token: owner.token, body: { title: "Sent", target: { all: true } } });
    expect((await call("POST", `/api/sites/${site.id}/notifications/${n.body.id}/send`, { token: owner.token })).status).toBe(202);
    await env.DB.prepare("update notifications set status = 'completed', completed_at = ? where id = ?").bind(Date.now(), n.body.id).run();

    const del = await call("DELETE", `/api/sites/${site.id}/notifications/${n.body.id}`, { token: owner.token });
    expect(del.status).toBe(409);
    expect(del.body.error.message).toMatch(/archive/i);
    const cancel = await call("POST", `/api/sites/${site.id}/notifications/${n.body.id}/cancel`, { token: owner.token });
    expect(cancel.status).toBe(409);

    const archived = await call("POST", `/api/sites/${site.id}/notifications/${n.body.id}/archive`, { token: owner.token });
    expect(archived.status).toBe(200);
    expect(archived.body.archived_at).toBeGreaterThan(0);
    const ids = async (q = "") => (await call("GET", `/api/sites/${site.id}/notifications${q}`, { token: owner.token })).body.data.map((x: { id: string }) => x.id);
    expect(await ids()).not.toContain(n.body.id);
    expect(await ids("?archived=true")).toEqual([n.body.id]);
    expect((await call("GET", `/api/sites/${site.id}/notifications/${n.body.id}/stats`, { token: owner.token })).status).toBe(200);
    await call("POST", `/api/sites/${site.id}/notifications/${n.body.id}/unarchive`, { token: owner.token });
    expect(await ids()).toContain(n.body.id);

    // A draft is deleted, not archived.
    const draft = await call("POST", `/api/sites/${site.id}/notifications`, { token: owner.token, body: { title: "Draft", target: { all: true } } });
    expect((await call("POST", `/api/sites/${site.id}/notifications/${draft.body.id}/archive`, { token: owner.token })).status).toBe(409);
    expect((await call("DELETE", `/api/sites/${site.id}/notifications/${draft.body.id}`, { token: owner.token })).status).toBe(204);
  });
});

describe("invitations", () => {
  it("puts nobody into a site without their consent, and answers alike whether the e-mail has an account", async () => {
    const { owner, site } = await tenant("inviter");
    const invitee = await registerUser("invitee");
    const known = await call("POST", `/api/sites/${site.id}/invitations`, { token: owner.token, body: { email: invitee.email, role: "admin" } });
    const unknown = await call("POST", `/api/sites/${site.id}/invitations`, { token: owner.token, body: { email: "no-account-yet@example.com", role: "admin" } });
    expect(known.status).toBe(201);
    expect(unknown.status).toBe(201);
    const shape = (b: Record<string, unknown>) => Object.keys(b).sort();
    expect(shape(known.body)).toEqual(shape(unknown.body));
    expect(known.body).toMatchObject({ status: "pending", role: "admin" });

    // Invited is not joined: the site is not in their account and its routes answer 404.
    expect((await call("GET", "/api/me", { token: invitee.token })).body.sites).toEqual([]);
    expect((await call("GET", `/api/sites/${site.id}`, { token: invitee.token })).status).toBe(404);

    const mine = await call("GET", "/api/me/invitations", { token: invitee.token });
    expect(mine.body.data).toEqual([expect.objectContaining({ id: known.body.id, site: expect.objectContaining({ id: site.id }), invited_by: "inviter" })]);
    // Someone else cannot take it.
    const stranger = await registerUser("stranger");
    expect((await call("POST", `/api/me/invitations/${known.body.id}/accept`, { token: stranger.token })).status).toBe(404);
    expect((await call("GET", "/api/me/invitations", { token: stranger.token })).body.data).toEqual([]);

    expect((await call("POST", `/api/me/invitations/${known.body.id}/accept`, { token: invitee.token })).status).toBe(200);
    expect((await call("GET", `/api/sites/${site.id}`, { token: invitee.token })).body.role).toBe("admin");
    // Accepting twice does nothing more.
    expect((await call("POST", `/api/me/invitations/${known.body.id}/accept`, { token: invitee.token })).status).toBe(404);
    const pending = await call("GET", `/api/sites/${site.id}/invitations`, { token: owner.token });
    expect(pending.body.data.map((i: { email: string }) => i.email)).toEqual(["no-account-yet@example.com"]);
  });

  it("cannot be accepted once declined, withdrawn or expired", async () => {
    const { owner, site } = await tenant("inviter2");
    const invitee = await registerUser("invitee2");
    const invite = () => call("POST", `/api/sites/${site.id}/invitations`, { token: owner.token, body: { email: invitee.email, role: "member" } });

    const declined = await invite();
    expect((await call("POST", `/api/me/invitations/${declined.body.id}/decline`, { token: invitee.token })).status).toBe(204);
    expect((await call("POST", `/api/me/invitations/${declined.body.id}/accept`, { token: invitee.token })).status).toBe(404);

    const withdrawn = await invite(); // inviting again renews the same invitation
    expect(withdrawn.body.status).toBe("pending");
    expect((await call("DELETE", `/api/sites/${site.id}/invitations/${withdrawn.body.id}`, { token: owner.token })).status).toBe(204);
    expect((await call("POST", `/api/me/invitations/${withdrawn.body.id}/accept`, { token: invitee.token })).status).toBe(404);

    const expired = await invite();
    await env.DB.prepare("update site_invitations set expires_at = ? where id = ?").bind(Date.now() - 1, expired.body.id).run();
    expect((await call("POST", `/api/me/invitations/${expired.body.id}/accept`, { token: invitee.token })).status).toBe(404);
    expect((await call("GET", `/api/sites/${site.id}`, { token: invitee.token })).status).toBe(404);
  });
});

describe("API keys", () => {
  it("is shown once, stored hashed, works within its scopes and stops working when revoked", async () => {
    const { owner, site } = await tenant("keys");
    const created = await call("POST", `/api/sites/${site.id}/api-keys`, { token: owner.token, body: { name: "backend", scopes: ["notifications:read"] } });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect(key).toMatch(/^hk_/);
    const list = await call("GET", `/api/sites/${site.id}/api-keys`, { token: owner.token });
    expect(list.body.data[0].prefix).toBe(key.slice(0, 11));
    expect(JSON.stringify(list.body)).not.toContain(key);

    expect((await call("GET", `/api/sites/${site.id}`, { token: key })).status).toBe(200);
    const noScope = await call("PATCH", `/api/sites/${site.id}`, { token: key, body: { name: "x" } });
    expect(noScope.status).toBe(403);
    expect(noScope.body.error.code).toBe("insufficient_scope");
    expect((await call("GET", "/api/me", { token: key })).status).toBe(403);
    const used = await call("GET", `/api/sites/${site.id}/api-keys`, { token: owner.token });
    expect(used.body.data[0].last_used_at).toBeGreaterThan(0);

    expect((await call("DELETE", `/api/sites/${site.id}/api-keys/${created.body.id}`, { token: owner.token })).status).toBe(204);
    const after = await call("GET", `/api/sites/${site.id}`, { token: key });
    expect(after.status).toBe(401);
  });

  it("rejects unknown scopes with the failing field", async () => {
    const { owner, site } = await tenant("scopes");
    const r = await call("POST", `/api/sites/${site.id}/api-keys`, { token: owner.token, body: { name: "x", scopes: ["root"] } });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0].path).toBe("scopes.0");
  });
});
