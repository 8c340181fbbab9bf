// Template rendering inside workerd (issue #8 §4): LiquidJS runs where eval and new Function are
// forbidden; defaults, missing variables, HTML escaping, the locale fallback chain, syntax errors
// with their line, the render bounds, and the checks of the rendered content.
import { describe, expect, it } from "vitest";
import type { TemplateLocales } from "../../workers/contracts/template";
import { compile, compileOrThrow, renderCompiled, templateScope } from "../../workers/services/templates/render";
import { localeChain } from "../../workers/services/templates/locales";

const render = (locales: TemplateLocales, channel: Parameters<typeof renderCompiled>[1], ctx: Parameters<typeof renderCompiled>[2] = {}, defaultLocale = "en") =>
  renderCompiled(compileOrThrow(locales, defaultLocale), channel, ctx);

describe("template rendering in workerd", () => {
  it("parses and renders without eval or new Function", () => {
    // Deployed Workers refuse code generation from strings; the test pool allows it (vitest needs
    // it), so this test takes both away while LiquidJS parses and renders.
    const proto = Function.prototype;
    const saved = { eval: globalThis.eval, Function: globalThis.Function, ctor: Object.getOwnPropertyDescriptor(proto, "constructor")! };
    const refuse = () => {
      throw new EvalError("Code generation from strings disallowed for this context");
    };
    try {
      globalThis.eval = refuse as typeof eval;
      globalThis.Function = refuse as unknown as FunctionConstructor;
      Object.defineProperty(proto, "constructor", { value: refuse, configurable: true, writable: true });
      expect(() => new Function("return 1")).toThrow();
      expect(() => (() => 0).constructor("return 1")).toThrow();
      const source = "{% assign n = data.n | plus: 1 %}{% for i in (1..3) %}{{ i }}{% endfor %} {{ n }} {{ user.name | default: 'x' | upcase }}";
      const r = render({ en: { sms: { text: source } } }, "sms", { data: { n: 41 } });
      expect(r).toEqual({ ok: true, content: { text: "123 42 X" }, locale: "en" });
    } finally {
      globalThis.eval = saved.eval;
      globalThis.Function = saved.Function;
      Object.defineProperty(proto, "constructor", saved.ctor);
    }
  });

  it("uses the default when a variable is not set, and the value when it is", () => {
    const t = { en: { sms: { text: 'Hi {{ user.name | default: "there" }}, order {{ data.order | default: "?" }}' } } };
    expect(render(t, "sms", { user: { attributes: {} } })).toMatchObject({ ok: true, content: { text: "Hi there, order ?" } });
    expect(render(t, "sms", { user: { attributes: { name: "Ada" } }, data: { order: "A-7" } })).toMatchObject({ content: { text: "Hi Ada, order A-7" } });
  });

  it("fails a recipient whose data lacks a variable without a default, naming it with line and column", () => {
    const r = render({ en: { email: { subject: "Order", text: "Hello\n  {{ data.order.total }} due" } } }, "email", { data: { order: {} } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe("template_missing_variable");
    expect(r.fields).toEqual([{ path: "locales.en.email.text", message: expect.stringContaining("data.order.total is not set"), line: 2, column: 6 }]);
  });

  it("treats a profile field that is null as not set", () => {
    const t = { en: { sms: { text: "Call {{ user.phone }}" } } };
    expect(render(t, "sms", { user: { phone: null } })).toMatchObject({ ok: false, reason: "template_missing_variable" });
    expect(render(t, "sms", { user: { phone: "+33612345678" } })).toMatchObject({ ok: true, content: { text: "Call +33612345678" } });
  });

  it("tests an unset variable with if without failing", () => {
    const t = { en: { sms: { text: "{% if user.vip %}VIP {% endif %}{% unless data.muted %}ok{% endunless %}" } } };
    expect(render(t, "sms")).toMatchObject({ ok: true, content: { text: "ok" } });
  });

  it("exposes attributes as user.attributes.* and on user when the name is free", () => {
    const scope = templateScope({ user: { external_id: "u1", email: "a@example.com", attributes: { plan: "pro", email: "other@example.com", __proto__: "x" } as Record<string, unknown> } });
    const user = scope.user as Record<string, unknown>;
    expect(user.plan).toBe("pro");
    expect(user.email).toBe("a@example.com"); // the profile field wins over an attribute of the same name
    expect((user.attributes as Record<string, unknown>).email).toBe("other@example.com");
    expect(Object.getPrototypeOf(user)).toBe(Object.prototype);
  });

  it("escapes variables in the HTML email body only, unless | raw", () => {
    const t = { en: { email: { subject: "For {{ data.name }}", html: "<p>{{ data.name }}</p>{{ data.html | raw }}", text: "{{ data.name }}" } } };
    const r = render(t, "email", { data: { name: "<b>Tom & Jerry</b>", html: "<i>ok</i>" } });
    expect(r).toMatchObject({
      ok: true,
      content: { subject: "For <b>Tom & Jerry</b>", html: "<p>&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;</p><i>ok</i>", text: "<b>Tom & Jerry</b>" },
    });
  });

  it("falls back from the user's locale to its language, then to the template's default", () => {
    expect(localeChain("fr-CA", "en")).toEqual(["fr-CA", "fr", "en"]);
    expect(localeChain("zh-hant-tw", "en")).toEqual(["zh-Hant-TW", "zh-Hant", "zh", "en"]);
    expect(localeChain("not a tag", "de")).toEqual(["de"]);
    const t = { en: { sms: { text: "Hello" } }, fr: { sms: { text: "Bonjour" } }, "fr-CA": { sms: { text: "Allô" } }, de: { email: { subject: "Hallo", text: "x" } } };
    expect(render(t, "sms", { locale: "fr-CA" })).toMatchObject({ content: { text: "Allô" }, locale: "fr-CA" });
    expect(render(t, "sms", { user: { locale: "fr-BE" } })).toMatchObject({ content: { text: "Bonjour" }, locale: "fr" });
    expect(render(t, "sms", { locale: "ja" })).toMatchObject({ content: { text: "Hello" }, locale: "en" });
    // German has no SMS part: the default language's SMS, not nothing.
    expect(render(t, "sms", { locale: "de" })).toMatchObject({ content: { text: "Hello" }, locale: "en" });
    expect(render(t, "whatsapp", { locale: "fr" })).toMatchObject({ ok: false, reason: "template_no_channel" });
  });

  it("renders FCM from the same language's web push part unless it has its own fcm part", () => {
    const t = { en: { web_push: { title: "Shipped", body: "Soon", url: "https://shop.example.com/o/{{ data.id }}", icon: "https://shop.example.com/i.png" } }, fr: { fcm: { title: "Expédiée" }, web_push: { title: "x" } } };
    expect(render(t, "fcm", { data: { id: 7 } })).toMatchObject({ ok: true, content: { title: "Shipped", body: "Soon", url: "https://shop.example.com/o/7" } });
    expect(render(t, "fcm", { locale: "fr" })).toMatchObject({ ok: true, content: { title: "Expédiée" }, locale: "fr" });
  });

  it("reports a syntax error with its line and column, and unknown filters as syntax errors", () => {
    const { errors } = compile({ en: { sms: { text: "ok" }, email: { subject: "x", text: "line one\nline two {{ user.name | shout }}" } }, fr: { sms: { text: "{% if %}" } } }, "en");
    expect(errors).toEqual([
      { path: "locales.en.email.text", message: expect.stringMatching(/^Line 2, column 10: Undefined filter: shout/), line: 2, column: 10 },
      { path: "locales.fr.sms.text", message: expect.stringMatching(/^Line 1, column 6: /), line: 1, column: 6 },
    ]);
  });

  it("has no file system: include, render and layout are not available", () => {
    for (const tag of ["include", "render", "layout"]) {
      const { errors } = compile({ en: { sms: { text: `{% ${tag} "secrets" %}` } } }, "en");
      expect(errors[0]?.message, tag).toContain("cannot include other files");
    }
  });

  it("stops runaway templates: nested loops over data, huge ranges and huge output", () => {
    const list = Array.from({ length: 200 }, (_, i) => i);
    const loops = render({ en: { sms: { text: "{% for a in data.l %}{% for b in data.l %}{% for c in data.l %}{% endfor %}{% endfor %}{% endfor %}" } } }, "sms", { data: { l: list } });
    expect(loops).toMatchObject({ ok: false, reason: "template_error", message: expect.stringContaining("steps") });
    const range = render({ en: { sms: { text: "{% for i in (1..100000000) %}{% endfor %}" } } }, "sms");
    expect(range).toMatchObject({ ok: false, reason: "template_error", message: expect.stringContaining("builds more than 1,000,000 characters") });
    const big = render({ en: { email: { subject: "x", text: "{% for i in (1..5000) %}{{ data.s }}{% endfor %}" } } }, "email", { data: { s: "y".repeat(1000) } });
    expect(big).toMatchObject({ ok: false, reason: "template_error", message: expect.stringContaining("output is longer") });
  });

  it("fails a rendered URL that is not http(s), naming the field and not the value", () => {
    const r = render({ en: { web_push: { title: "Hi", url: "{{ data.link }}" } } }, "web_push", { data: { link: "javascript:alert(1)" } });
    expect(r).toMatchObject({ ok: false, reason: "template_error" });
    if (r.ok) return;
    expect(r.fields?.[0]?.path).toBe("locales.en.web_push.url");
    expect(r.message).not.toContain("javascript");
  });

  it("leaves out optional fields that render empty", () => {
    const r = render({ en: { web_push: { title: "Hi", body: "{{ data.b | default: '' }}", url: "{{ data.u | default: '' }}" } } }, "web_push");
    expect(r).toEqual({ ok: true, content: { title: "Hi" }, locale: "en" });
  });

  it("fails a recipient whose rendered push would not fit 4096 bytes", () => {
    const t = { en: { web_push: { title: "Hi", body: "{{ data.body }}" } } };
    expect(render(t, "web_push", { data: { body: "x".repeat(900) } })).toMatchObject({ ok: true });
    const r = render({ en: { web_push: { title: "{{ data.t }}", body: "{{ data.body }}", actions: [{ action: "a", title: "{{ data.t }}", url: "{{ data.u }}" }] } } }, "web_push", {
      data: { t: "t".repeat(40), body: "b".repeat(1000), u: `https://example.com/${"p".repeat(2000)}` },
      pushDefaults: { icon: `https://example.com/${"i".repeat(2000)}` },
    });
    expect(r).toMatchObject({ ok: false, reason: "payload_too_large" });
  });
});
