import { env } from "cloudflare:workers";
// Fuzz fixtures: two tenants, each with an owner and a member (users), a site, an API key
// with every scope, subscribers and notifications — and the repairs that put a tenant
// back together after the fuzzer deleted its site, revoked its key or demoted its owner.
import { API_KEY_SCOPES } from "../../workers/contracts/permissions";
import { identityHash } from "../../workers/lib/identity";
import { registerUser } from "../helpers";
import { direct as call } from "./client";
import { browserSubscription, type BrowserSubscription } from "../channels/webpush/helpers";

export const SITE_URL = "https://acme.example.com";
/** Subscribers' push service. Sends run in the queue consumer, outside the test's fetch spy;
 *  this origin is in EXTRA_PUSH_ORIGINS and port 9 refuses at once (no DNS, no waiting). */
export const PUSH_ORIGIN = "http://127.0.0.1:9";

export interface Person {
  email: string;
  password: string;
  token: string;
  refresh: string;
  userId: string;
}

export interface Tenant {
  /** 0 or 1: which of the two fuzz tenants. */
  index: number;
  label: string;
  owner: Person;
  member: Person;
  siteId: string;
  siteKey: string;
  apiKey: string;
  keyId: string;
  subscriberIds: string[];
  notificationIds: string[];
  /** An empty site of the owner's that DELETE /api/sites/{siteId} may take instead of the real one. */
  spareSiteId?: string;
  /** A pending invitation of the site (to a stranger's e-mail). */
  invitationId: string;
  /** A user of the site (its own user id) and one of their devices (an FCM token). */
  externalId: string;
  deviceId: string;
  /** Issue #8 resources: a published template, an email integration, a webhook endpoint with
   *  one logged delivery, and a message. */
  templateKey: string;
  integrationId: string;
  webhookId: string;
  deliveryId: string;
  messageId: string;
  /** Issue #9: a notification category (…/categories/{categoryKey}). */
  categoryKey: string;
  /** Issue #9 inbox: the site's identity secret, the user's signature (X-Herald-User-Hash) and
   *  an item in their inbox (an in_app message's id). */
  identitySecret: string;
  userHash: string;
  itemId: string;
  /** Real browser subscriptions on the fake push service, for /api/subscribe bodies. */
  subscriptions: BrowserSubscription[];
}

async function person(label: string): Promise<Person> {
  const u = await registerUser(label);
  return { email: u.email, password: u.password, token: u.token, refresh: u.refresh, userId: u.user.id };
}

function must<T = any>(what: string, res: { status: number; body: T }, ...ok: number[]): T {
  if (!ok.includes(res.status)) throw new Error(`fuzz fixture: ${what} answered ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function makeTenant(label: string, index: number): Promise<Tenant> {
  const t: Tenant = {
    index,
    label,
    owner: await person(`${label}-owner`),
    member: await person(`${label}-member`),
    siteId: "",
    siteKey: "",
    apiKey: "",
    keyId: "",
    subscriberIds: [],
    notificationIds: [],
    invitationId: "",
    externalId: "",
    deviceId: "",
    templateKey: "",
    categoryKey: "",
    identitySecret: "",
    userHash: "",
    itemId: "",
    integrationId: "",
    webhookId: "",
    deliveryId: "",
    messageId: "",
    subscriptions: [],
  };
  for (let i = 0; i < 4; i++) t.subscriptions.push(await browserSubscription(`${PUSH_ORIGIN}/push/${crypto.randomUUID()}`));
  await buildSite(t);
  return t;
}

/** A new site for the tenant with its member, a pending invitation, API key, two subscribers and three notifications. */
export async function buildSite(t: Tenant): Promise<void> {
  const site = must("create site", await call("POST", "/api/sites", { token: t.owner.token, body: { name: `${t.label} site`, url: SITE_URL } }), 201);
  t.siteId = site.id;
  t.siteKey = site.site_key;
  t.identitySecret = site.identity_secret;
  t.subscriberIds = [];
  t.notificationIds = [];
  await join(t, t.owner, t.member, "member");
  await newInvitation(t);
  await newApiKey(t);
  await newUser(t);
  await channelResources(t);
  for (const sub of t.subscriptions.slice(0, 2)) await addSubscriber(t, sub);
  await addNotification(t, false);
  await addNotification(t, false);
  await addNotification(t, true);
}

/** `inviter` invites `who`, who accepts from their account. */
export async function join(t: Tenant, inviter: Person, who: Person, role: string): Promise<boolean> {
  const inv = await call("POST", `/api/sites/${t.siteId}/invitations`, { token: inviter.token, body: { email: who.email, role } });
  if (inv.status !== 201) return false;
  return (await call("POST", `/api/me/invitations/${inv.body.id}/accept`, { token: who.token })).status === 200;
}

export async function newInvitation(t: Tenant): Promise<void> {
  const inv = must(
    "invite",
    await call("POST", `/api/sites/${t.siteId}/invitations`, { token: t.owner.token, body: { email: `stranger.${crypto.randomUUID().slice(0, 8)}@example.com`, role: "member" } }),
    201,
  );
  t.invitationId = inv.id;
}

/** An empty site for a request that deletes a site: rebuilding the tenant's real site (subscribers
 *  included) after each success would create rate-limit Durable Objects by the hundred. */
export async function spareSite(t: Tenant): Promise<string> {
  return must("create spare site", await call("POST", "/api/sites", { token: t.owner.token, body: { name: "spare", url: SITE_URL } }), 201).id;
}

/** A fresh site for the tenant; the old one is deleted with everything in it. */
export async function rotateSite(t: Tenant): Promise<void> {
  const old = t.siteId;
  await buildSite(t);
  await call("DELETE", `/api/sites/${old}`, { token: t.owner.token });
}

/** A site user with one FCM device. */
export async function newUser(t: Tenant): Promise<void> {
  t.externalId = `fuzz-user-${crypto.randomUUID().slice(0, 8)}`;
  must("create user", await call("POST", `/api/sites/${t.siteId}/users`, { token: t.owner.token, body: { external_id: t.externalId } }), 201);
  t.userHash = await identityHash(t.identitySecret, t.externalId);
  await newDevice(t);
}

export async function newDevice(t: Tenant): Promise<void> {
  const device = must(
    "register device",
    await call("POST", `/api/sites/${t.siteId}/users/${t.externalId}/devices`, {
      token: t.owner.token,
      body: { type: "fcm", token: `fuzz:${crypto.randomUUID().replaceAll("-", "")}`, platform: "android" },
    }),
    201,
  );
  t.deviceId = device.id;
}

export async function newApiKey(t: Tenant): Promise<void> {
  const key = must("create API key", await call("POST", `/api/sites/${t.siteId}/api-keys`, { token: t.owner.token, body: { name: "fuzz", scopes: API_KEY_SCOPES } }), 201);
  t.apiKey = key.key;
  t.keyId = key.id;
}

/** Fixture subscribes rotate over 8 client IPs: enough rate-limit headroom, few Durable Objects. */
let fixtureIp = 0;

export async function addSubscriber(t: Tenant, sub?: BrowserSubscription): Promise<void> {
  const s = sub ?? (await browserSubscription(`${PUSH_ORIGIN}/push/${crypto.randomUUID()}`));
  const res = must(
    "subscribe",
    await call("POST", "/api/subscribe", {
      body: { site_key: t.siteKey, subscription: { endpoint: s.endpoint, keys: s.keys }, tags: ["news"] },
      headers: { "CF-Connecting-IP": `10.255.1.${(fixtureIp = (fixtureIp + 1) % 8)}` },
    }),
    200,
    201,
  );
  if (!t.subscriberIds.includes(res.subscriber_id)) t.subscriberIds.push(res.subscriber_id);
}

export async function addNotification(t: Tenant, scheduled: boolean): Promise<void> {
  const body = { title: `${t.label} news`, body: "Fuzz fixture", target: { all: true }, ...(scheduled ? { scheduled_at: Date.now() + 3600_000 } : {}) };
  const n = must("create notification", await call("POST", `/api/sites/${t.siteId}/notifications`, { token: t.owner.token, body }), 201);
  t.notificationIds.push(n.id);
  if (t.notificationIds.length > 8) t.notificationIds.shift();
}

/** Owner back to owner, member back to member (and back on the team), whoever the fuzzer promoted or removed. */
export async function restoreTeam(t: Tenant): Promise<void> {
  const members = await call("GET", `/api/sites/${t.siteId}/members`, { token: t.owner.token });
  const ownerRole = members.status === 200 ? members.body.data.find((m: any) => m.user_id === t.owner.userId)?.role : undefined;
  if (ownerRole !== "owner") {
    // The owner was demoted (possible only after the member became an owner) or left.
    const fixed =
      ownerRole === undefined
        ? await join(t, t.member, t.owner, "owner")
        : (await call("PATCH", `/api/sites/${t.siteId}/members/${t.owner.userId}`, { token: t.member.token, body: { role: "owner" } })).status === 200;
    if (!fixed) return buildSite(t); // nobody left who can repair it: start over
  }
  const again = await call("GET", `/api/sites/${t.siteId}/members`, { token: t.owner.token });
  const memberRole = again.body.data?.find((m: any) => m.user_id === t.member.userId)?.role;
  if (memberRole === undefined) {
    if (!(await join(t, t.owner, t.member, "member"))) throw new Error("fuzz fixture: could not re-add the member");
  } else if (memberRole !== "member") {
    must("demote member", await call("PATCH", `/api/sites/${t.siteId}/members/${t.member.userId}`, { token: t.owner.token, body: { role: "member" } }), 200);
  }
}

/** A published template, a SendGrid integration, a webhook endpoint (with one logged attempt to
 *  replay: a real one would need the outside world) and a message to the tenant's user. */
export async function channelResources(t: Tenant): Promise<void> {
  const api = (path: string, body: unknown) => call("POST", `/api/sites/${t.siteId}${path}`, { token: t.owner.token, body });
  t.templateKey = `fuzz-${crypto.randomUUID().slice(0, 8)}`;
  must("create template", await api("/templates", { key: t.templateKey, name: "Fuzz", locales: { en: { sms: { text: "Hi {{ user.name | default: 'you' }}" } } } }), 201);
  must("publish template", await api(`/templates/${t.templateKey}/publish`, {}), 201, 200);
  t.integrationId = must(
    "add integration",
    await api("/integrations", {
      channel: "email",
      provider: "sendgrid",
      name: "Fuzz",
      credentials: { api_key: "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" },
      settings: { from_email: "fuzz@example.com" },
    }),
    201,
  ).id;
  t.webhookId = must("add webhook", await api("/webhooks", { url: "https://hooks.example.com/fuzz" }), 201).id;
  t.deliveryId = `whd_${crypto.randomUUID().replaceAll("-", "")}`;
  await env.DB.prepare(
    "insert into webhook_deliveries (id, site_id, endpoint_id, event_id, event_type, kind, attempt, status, created_at) values (?, ?, ?, 'whe_fuzz', 'message.sent', 'scheduled', 1, 'failed', 0)",
  )
    .bind(t.deliveryId, t.siteId, t.webhookId)
    .run();
  t.categoryKey = `fuzz-${crypto.randomUUID().slice(0, 8)}`;
  must("create category", await api("/categories", { key: t.categoryKey, name: "Fuzz", digest: { window_minutes: 30 } }), 201);
  t.messageId = must("send message", await api("/messages", { to: { external_ids: [t.externalId] }, content: { web_push: { title: "Fuzz" } } }), 202).id;
  t.itemId = must("send in-app message", await api("/messages", { to: { external_ids: [t.externalId] }, content: { in_app: { title: "Fuzz inbox" } } }), 202).id;
}
