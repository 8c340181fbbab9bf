import { describe, expect, it } from "vitest";
import { call, registerUser, tenant } from "../helpers";

async function teamWith(role: "admin" | "member") {
  const t = await tenant("team-owner");
  const user = await registerUser(role);
  const add = await call("POST", `/api/sites/${t.site.id}/members`, { token: t.owner.token, body: { email: user.email, role } });
  expect(add.status).toBe(201);
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
    ["add members", (s) => ["POST", `/api/sites/${s}/members`, { email: "nobody-here@example.com", role: "member" }], ["owner"]],
  ];

  for (const role of ["admin", "member"] as const) {
    for (const [what, req, allowed] of matrix) {
      it(`${role} ${allowed.includes(role) ? "may" : "may not"} ${what}`, async () => {
        const { site, user } = await teamWith(role);
        const [method, path, body] = req(site.id);
        const r = await call(method, path, { token: user.token, body });
        if (allowed.includes(role)) expect(r.status, JSON.stringify(r.body)).toBeLessThan(300 + (what === "add members" ? 200 : 0));
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

  it("refuses to add an unknown email or an existing member", async () => {
    const { owner, site, user } = await teamWith("member");
    const unknown = await call("POST", `/api/sites/${site.id}/members`, { token: owner.token, body: { email: "ghost@example.com", role: "member" } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.fields[0].path).toBe("email");
    const again = await call("POST", `/api/sites/${site.id}/members`, { token: owner.token, body: { email: user.email, role: "admin" } });
    expect(again.body.error.code).toBe("already_member");
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
