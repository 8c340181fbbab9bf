// Templates API (issue #8 §4): create, edit the draft, publish immutable versions, roll back,
// preview with errors at the template's line, the push size check at publish, another tenant's
// keys, and who may do what.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeDeps } from "../../workers/services/deps";
import { loadTemplateForSend, renderForRecipient } from "../../workers/services/templates";
import { call, registerUser, tenant } from "../helpers";

const orderShipped = {
  key: "order-shipped",
  name: "Order shipped",
  locales: {
    en: {
      web_push: { title: "Order {{ data.order_id }} shipped", body: 'Hi {{ user.name | default: "there" }}', url: "https://shop.example.com/o/{{ data.order_id }}" },
      email: { subject: "Your order {{ data.order_id }}", html: "<p>Hi {{ user.name | default: 'there' }}</p>", text: "Hi" },
      sms: { text: "Order {{ data.order_id }} shipped" },
    },
    fr: { sms: { text: "Commande {{ data.order_id }} expédiée" } },
  },
};

async function withTemplate(label: string, body: object = orderShipped) {
  const { owner, site } = await tenant(label);
  const base = `/api/sites/${site.id}/templates`;
  const created = await call("POST", base, { token: owner.token, body });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { owner, site, base, path: `${base}/${(body as { key: string }).key}` };
}

describe("templates API", () => {
  it("creates, lists, reads, edits per language and channel, and deletes", async () => {
    const { owner, base, path } = await withTemplate("tplcrud");
    expect((await call("POST", base, { token: owner.token, body: orderShipped })).body.error.code).toBe("template_exists");
    const list = await call("GET", base, { token: owner.token });
    expect(list.body.data).toEqual([
      expect.objectContaining({ key: "order-shipped", languages: ["en", "fr"], channels: ["web_push", "email", "sms"], current_version: null, draft_changed: true }),
    ]);

    // A part replaces that part, null removes one, a new language is added, keys are made canonical.
    const patched = await call("PATCH", path, {
      token: owner.token,
      body: { locales: { en: { sms: { text: "Shipped: {{ data.order_id }}" }, email: null }, "pt-br": { sms: { text: "Pedido enviado" } }, fr: null } },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(Object.keys(patched.body.locales)).toEqual(["en", "pt-BR"]);
    expect(patched.body.locales.en).toEqual({ web_push: orderShipped.locales.en.web_push, sms: { text: "Shipped: {{ data.order_id }}" } });
    expect((await call("GET", path, { token: owner.token })).body.name).toBe("Order shipped");

    expect((await call("DELETE", path, { token: owner.token })).status).toBe(204);
    expect((await call("GET", path, { token: owner.token })).status).toBe(404);
  });

  it("keeps both of two edits saved at the same moment, and numbers concurrent publishes apart", async () => {
    const { owner, path } = await withTemplate("tplconcurrent");
    const edits = await Promise.all(
      ["de", "es", "it", "nl"].map((l) => call("PATCH", path, { token: owner.token, body: { locales: { [l]: { sms: { text: `${l} {{ data.order_id }}` } } } } })),
    );
    expect(edits.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(Object.keys((await call("GET", path, { token: owner.token })).body.locales).sort()).toEqual(["de", "en", "es", "fr", "it", "nl"]);

    const published = await Promise.all([1, 2, 3].map(() => call("POST", `${path}/publish`, { token: owner.token })));
    expect(published.every((r) => r.status === 201 || r.status === 200), JSON.stringify(published.map((r) => r.body))).toBe(true);
    const versions = (await call("GET", `${path}/versions`, { token: owner.token })).body.data.map((v: { version: number }) => v.version);
    expect(versions).toEqual([...versions].sort((a, b) => b - a));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it("refuses a draft that does not parse, pointing at the language, part, line and column", async () => {
    const { owner, base, path } = await withTemplate("tplsyntax");
    const r = await call("PATCH", path, { token: owner.token, body: { locales: { fr: { email: { subject: "Hi", text: "Bonjour\n{{ user.name | shout }}" } } } } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("template_syntax_error");
    expect(r.body.error.fields).toEqual([{ path: "locales.fr.email.text", message: expect.stringContaining("Undefined filter: shout"), line: 2, column: 1 }]);
    const bad = await call("POST", base, { token: owner.token, body: { key: "Bad Key", name: "x" } });
    expect(bad.body.error.fields[0].path).toBe("key");
    const badLocale = await call("POST", base, { token: owner.token, body: { key: "x", name: "x", locales: { "not a tag": { sms: { text: "x" } } } } });
    expect(badLocale.status).toBe(400);
  });

  it("publishes immutable versions: editing the draft after publishing leaves version 1 and sends unchanged", async () => {
    const { owner, site, path } = await withTemplate("tplversions");
    const v1 = await call("POST", `${path}/publish`, { token: owner.token });
    expect(v1.status, JSON.stringify(v1.body)).toBe(201);
    expect(v1.body).toMatchObject({ version: 1, source_version: null, published_by: owner.user.id });
    expect((await call("POST", `${path}/publish`, { token: owner.token, body: {} })).status).toBe(200); // nothing new: still 1

    await call("PATCH", path, { token: owner.token, body: { locales: { en: { sms: { text: "Changed {{ data.order_id }}" } } } } });
    const tpl = await call("GET", path, { token: owner.token });
    expect(tpl.body).toMatchObject({ current_version: 1, draft_changed: true });
    expect((await call("GET", `${path}/versions/1`, { token: owner.token })).body.locales.en.sms.text).toBe("Order {{ data.order_id }} shipped");

    const deps = makeDeps(env);
    const send = (await loadTemplateForSend(deps, site.id, "order-shipped"))!;
    expect(send.version).toBe(1);
    expect(await renderForRecipient(send, "sms", { data: { order_id: "A1" } })).toMatchObject({ ok: true, content: { text: "Order A1 shipped" } });

    const v2 = await call("POST", `${path}/publish`, { token: owner.token, body: {} });
    expect(v2.body.version).toBe(2);
    const now = (await loadTemplateForSend(deps, site.id, "order-shipped"))!;
    expect(await renderForRecipient(now, "sms", { data: { order_id: "A1" } })).toMatchObject({ content: { text: "Changed A1" } });
    // A message pinned to version 1 keeps rendering version 1.
    expect(await renderForRecipient((await loadTemplateForSend(deps, site.id, "order-shipped", 1))!, "sms", { data: { order_id: "A1" } })).toMatchObject({ content: { text: "Order A1 shipped" } });
    expect(await loadTemplateForSend(deps, site.id, "order-shipped", 9)).toBeNull();
    expect(await loadTemplateForSend(deps, site.id, "nope")).toBeNull();
  });

  it("rolls back by publishing an older version's content as the next version", async () => {
    const { owner, path } = await withTemplate("tplrollback");
    await call("POST", `${path}/publish`, { token: owner.token });
    await call("PATCH", path, { token: owner.token, body: { locales: { en: { sms: { text: "Broken promise" } } } } });
    await call("POST", `${path}/publish`, { token: owner.token });
    const back = await call("POST", `${path}/publish`, { token: owner.token, body: { version: 1 } });
    expect(back.status).toBe(201);
    expect(back.body).toMatchObject({ version: 3, source_version: 1 });
    expect(back.body.locales).toEqual((await call("GET", `${path}/versions/1`, { token: owner.token })).body.locales);
    const versions = await call("GET", `${path}/versions`, { token: owner.token });
    expect(versions.body.data.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    const tpl = await call("GET", path, { token: owner.token });
    expect(tpl.body.current_version).toBe(3);
    expect(tpl.body.locales.en.sms.text).toBe("Broken promise"); // the draft is left as it was
    expect((await call("POST", `${path}/publish`, { token: owner.token, body: { version: 3 } })).status).toBe(200);
    expect((await call("POST", `${path}/publish`, { token: owner.token, body: { version: 7 } })).status).toBe(404);
    const paged = await call("GET", `${path}/versions?limit=2`, { token: owner.token });
    expect(paged.body.next_cursor).toBe("2");
    expect((await call("GET", `${path}/versions?limit=2&cursor=2`, { token: owner.token })).body.data.map((v: { version: number }) => v.version)).toEqual([1]);
  });

  it("refuses to publish without the default language, or a web push whose fixed text is over 4096 bytes", async () => {
    const { owner, base } = await withTemplate("tplpublish", { key: "fr-only", name: "FR", locales: { fr: { sms: { text: "Bonjour" } } } });
    const noDefault = await call("POST", `${base}/fr-only/publish`, { token: owner.token });
    expect(noDefault.status).toBe(400);
    expect(noDefault.body.error.fields[0].path).toBe("default_locale");

    const long = { title: "Big", body: `${"b".repeat(3000)} {{ data.x | default: "" }}`, url: `https://shop.example.com/${"u".repeat(1500)}` };
    await call("POST", base, { token: owner.token, body: { key: "big", name: "Big", locales: { en: { web_push: long } } } });
    const big = await call("POST", `${base}/big/publish`, { token: owner.token });
    expect(big.status).toBe(400);
    expect(big.body.error).toMatchObject({ code: "push_payload_too_large", fields: [{ path: "locales.en.web_push" }] });
    await call("PATCH", `${base}/big`, { token: owner.token, body: { locales: { en: { web_push: { ...long, body: "{{ data.body }}" } } } } });
    expect((await call("POST", `${base}/big/publish`, { token: owner.token })).status).toBe(201); // the variable part is checked per recipient
  });

  it("previews what would be sent, and errors at the template's line", async () => {
    const { owner, site, path } = await withTemplate("tplpreview");
    const pv = (body: object) => call("POST", `${path}/preview`, { token: owner.token, body });
    expect((await pv({ channel: "sms", data: { order_id: "1" } })).body.error.code).toBe("template_unpublished");

    const draft = await pv({ channel: "email", draft: true, data: { order_id: "A-7" }, user: { attributes: { name: "<Ada>" } } });
    expect(draft.status, JSON.stringify(draft.body)).toBe(200);
    expect(draft.body).toEqual({ channel: "email", locale: "en", version: null, content: { subject: "Your order A-7", html: "<p>Hi &lt;Ada&gt;</p>", text: "Hi" } });

    await call("POST", `${path}/publish`, { token: owner.token });
    expect((await pv({ channel: "sms", locale: "fr-CA", data: { order_id: "9" } })).body).toMatchObject({ locale: "fr", version: 1, content: { text: "Commande 9 expédiée" } });
    expect((await pv({ channel: "fcm", data: { order_id: "9" } })).body.content).toEqual({ title: "Order 9 shipped", body: "Hi there", url: "https://shop.example.com/o/9" });

    const missing = await pv({ channel: "sms", version: 1 });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({ code: "template_missing_variable", fields: [{ path: "locales.en.sms.text", line: 1, column: 10 }] });
    expect((await pv({ channel: "whatsapp", data: {} })).body.error.code).toBe("template_no_channel");
    expect((await pv({ channel: "sms", version: 5, data: {} })).status).toBe(404);
    expect((await pv({ channel: "sms", draft: true, version: 1 })).status).toBe(400);

    // Unsaved content (the editor's live preview): rendered, never stored; its syntax errors at their field.
    const unsaved = await pv({ channel: "sms", locale: "de", locales: { de: { sms: { text: "Bestellung {{ data.order_id }}" } } }, data: { order_id: "5" } });
    expect(unsaved.body).toMatchObject({ locale: "de", version: null, content: { text: "Bestellung 5" } });
    expect((await call("GET", path, { token: owner.token })).body.locales.de).toBeUndefined();
    const broken = await pv({ channel: "sms", locales: { en: { sms: { text: "{% if %}" } } } });
    expect(broken.body.error).toMatchObject({ code: "template_syntax_error", fields: [{ path: "locales.en.sms.text", line: 1 }] });

    await call("POST", `/api/sites/${site.id}/users`, { token: owner.token, body: { external_id: "u-fr", locale: "fr", attributes: { name: "Zoé" } } });
    expect((await pv({ channel: "sms", external_id: "u-fr", data: { order_id: "3" } })).body).toMatchObject({ locale: "fr", content: { text: "Commande 3 expédiée" } });
    expect((await pv({ channel: "sms", external_id: "nobody", data: {} })).status).toBe(404);
  });

  it("answers 404 for another tenant's template key, under either site", async () => {
    const a = await withTemplate("tplowner");
    const b = await tenant("tplother");
    const other = `/api/sites/${b.site.id}/templates/order-shipped`;
    for (const [method, suffix, body] of [["GET", "", undefined], ["PATCH", "", { name: "x" }], ["DELETE", "", undefined], ["POST", "/publish", {}], ["GET", "/versions", undefined], ["POST", "/preview", { channel: "sms", draft: true }]] as const) {
      expect((await call(method, `${other}${suffix}`, { token: b.owner.token, body })).status, `${method} ${suffix}`).toBe(404);
      expect((await call(method, `${a.path}${suffix}`, { token: b.owner.token, body })).status, `${method} ${suffix} under a's site`).toBe(404);
    }
    expect((await call("GET", a.path, { token: a.owner.token })).body.name).toBe("Order shipped");
    expect(await loadTemplateForSend(makeDeps(env), b.site.id, "order-shipped")).toBeNull();
  });

  it("lets members edit drafts and preview, admins publish, and keys only within their scopes", async () => {
    const { owner, site, path } = await withTemplate("tplroles");
    const member = await registerUser("tplmember");
    await env.DB.prepare("insert into site_members (site_id, user_id, role, created_at) values (?, ?, 'member', 0)").bind(site.id, member.user.id).run();
    expect((await call("PATCH", path, { token: member.token, body: { name: "Renamed" } })).status).toBe(200);
    expect((await call("POST", `${path}/preview`, { token: member.token, body: { channel: "sms", draft: true, data: { order_id: 1 } } })).status).toBe(200);
    expect((await call("POST", `${path}/publish`, { token: member.token })).status).toBe(403);
    expect((await call("DELETE", path, { token: member.token })).status).toBe(403);

    const readKey = await call("POST", `/api/sites/${site.id}/api-keys`, { token: owner.token, body: { name: "r", scopes: ["templates:read"] } });
    expect((await call("GET", `/api/sites/${site.id}/templates`, { token: readKey.body.key })).status).toBe(200);
    expect((await call("PATCH", path, { token: readKey.body.key, body: { name: "x" } })).body.error.code).toBe("insufficient_scope");
    const writeKey = await call("POST", `/api/sites/${site.id}/api-keys`, { token: owner.token, body: { name: "w", scopes: ["templates:write"] } });
    const published = await call("POST", `${path}/publish`, { token: writeKey.body.key });
    expect(published.status).toBe(201);
    expect(published.body.published_by).toBe(writeKey.body.id);
  });
});
