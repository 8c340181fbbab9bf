// One site's providers for the benchmark, configured through Herald's API exactly as a site
// owner would, pointed at the local stand-ins (PROVIDER_ORIGIN_OVERRIDES): SendGrid for email
// with its signed Event Webhook posting back to Herald, Twilio's documented local account for
// SMS and WhatsApp (status callbacks to PUBLIC_URL), and an FCM service account the stand-in
// issues. Credentials travel only in these requests; nothing here logs them.
//
// Provider reports can be switched off per channel, to time the orchestration alone: SendGrid's
// Event Webhook is disabled at the stand-in; for Twilio a second integration authenticated
// with the account's API key only is made primary — without the auth token Herald cannot
// verify callbacks, so it asks for none (providers/twilio/request.ts).
import { LOCAL_TWILIO } from "../../scripts/local/providers/twilio.ts";
import { sendGridTestKey } from "../../scripts/local/providers/sendgrid.ts";
import { json } from "../lib/local.ts";

export type ReportingChannel = "email" | "sms" | "whatsapp";

export interface SiteProviders {
  fcmProject: string;
  /** Provider reports on (the default) or off for one channel's next sends. */
  setReports(channel: ReportingChannel, on: boolean): Promise<void>;
}

export async function configureProviders(edgeOrigin: string, standIns: string, token: string, siteId: string, tag: string): Promise<SiteProviders> {
  const api = <T>(method: string, path: string, body?: unknown) =>
    json<T>(`${edgeOrigin}/api/sites/${siteId}${path}`, { method, token, body: body === undefined ? undefined : JSON.stringify(body) });
  const create = (body: Record<string, unknown>) => api<{ id: string }>("POST", "/integrations", body);

  // SendGrid: one API key per site, so each site's Event Webhook posts to its own integration.
  const sendgridKey = sendGridTestKey();
  const from = { from_email: "news@shop.example.com", from_name: "Shop" };
  const email = await create({ channel: "email", provider: "sendgrid", name: "SendGrid", credentials: { api_key: sendgridKey }, settings: from });
  const sg = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${standIns}${path}`, {
      method,
      headers: { authorization: `Bearer ${sendgridKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`SendGrid stand-in ${method} ${path} → ${res.status}: ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  await sg("PATCH", "/v3/user/webhooks/event/settings", { enabled: true, url: `${edgeOrigin}/api/callbacks/sendgrid/${email.id}`, delivered: true, bounce: true });
  const { public_key } = await sg("PATCH", "/v3/user/webhooks/event/settings/signed", { enabled: true });
  await api("PATCH", `/integrations/${email.id}`, { settings: { ...from, event_webhook_public_key: public_key } });

  // Twilio's local account: the auth token authenticates sends and signs the status callbacks.
  // The first integration of a channel is its primary: the one with callbacks.
  const twilio: Record<"sms" | "whatsapp", { reports: string; quiet: string }> = { sms: { reports: "", quiet: "" }, whatsapp: { reports: "", quiet: "" } };
  const senders = { sms: { from: LOCAL_TWILIO.from }, whatsapp: { whatsapp_from: LOCAL_TWILIO.whatsapp_from } };
  for (const channel of ["sms", "whatsapp"] as const) {
    const settings = { account_sid: LOCAL_TWILIO.account_sid, ...senders[channel] };
    twilio[channel].reports = (await create({ channel, provider: "twilio", name: "Twilio", credentials: { auth_token: LOCAL_TWILIO.auth_token }, settings })).id;
    const apiKey = { api_key_sid: LOCAL_TWILIO.api_key_sid, api_key_secret: LOCAL_TWILIO.api_key_secret };
    twilio[channel].quiet = (await create({ channel, provider: "twilio", name: "Twilio (API key, no callbacks)", credentials: apiKey, settings })).id;
  }

  // FCM: a service account of a project the stand-in knows (its own key pair).
  const fcmProject = `herald-bench-${tag}`;
  const serviceAccount = await json<Record<string, unknown>>(`${standIns}/_standin/fcm/service-accounts`, { method: "POST", body: JSON.stringify({ project_id: fcmProject }) });
  await create({ channel: "fcm", provider: "fcm", name: "FCM", credentials: { service_account: serviceAccount } });

  return {
    fcmProject,
    async setReports(channel, on) {
      if (channel === "email") await sg("PATCH", "/v3/user/webhooks/event/settings", { enabled: on, url: `${edgeOrigin}/api/callbacks/sendgrid/${email.id}` });
      else await api("PATCH", `/integrations/${on ? twilio[channel].reports : twilio[channel].quiet}`, { primary: true });
    },
  };
}
