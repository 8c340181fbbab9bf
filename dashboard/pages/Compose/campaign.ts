// A campaign's channels on the dashboard side (issue #8 §5): the fields the notifications API
// added (workers/routes/notifications.ts: channels, channel_content, and per-channel status),
// the Compose form's state for them and the request it makes, and the SMS segment count.
// Shapes come from the Worker's contracts, as types only: no zod in the pages' chunks.
import { CHANNEL_IDS, CHANNEL_LABELS, type ChannelId } from "../../../workers/contracts/channels";
import type { MessageContent } from "../../../workers/contracts/message-content";
import type { LocalDelivery } from "../../../workers/contracts/preferences";
import type { AbTest, StoredAbTest, VariantResult } from "../../../workers/contracts/ab-test";
import type { FieldError } from "../../api";
import type { MessageChannelStatus, NotificationDraft, NotificationRecord } from "../../types";

/** What a campaign says on the channels other than web push (web push is its top-level content). */
export type CampaignChannelContent = Omit<MessageContent, "web_push">;
export type OtherChannel = keyof CampaignChannelContent;
/** In-app, email, SMS, WhatsApp and FCM reach users (their inbox, address, phone or app): they
 *  need an audience of users (everyone, or user IDs) rather than browsers (tags, subscriber IDs). */
export const OTHER_CHANNELS = CHANNEL_IDS.filter((c): c is OtherChannel => c !== "web_push");
/** The channels that send through a provider set up under Integrations (web push and the in-app
 *  inbox are Herald's own). */
export type ProviderChannel = Exclude<OtherChannel, "in_app">;
export const needsProvider = (c: ChannelId): c is ProviderChannel => c !== "web_push" && c !== "in_app";

export interface CampaignDraft extends NotificationDraft {
  channels?: ChannelId[] | null;
  channel_content?: CampaignChannelContent | null;
  local_delivery?: LocalDelivery | null;
  ab_test?: AbTest | null;
}
export interface CampaignRecord extends NotificationRecord {
  ab_test?: (StoredAbTest & { results: VariantResult[] }) | null;
  local_delivery?: LocalDelivery | null;
  /** Status per channel the campaign goes out on ("queued" until it starts). */
  channels?: Partial<Record<ChannelId, MessageChannelStatus>>;
  channel_content?: CampaignChannelContent;
}

/** The campaign's channels in the contract's order; web push for one from before channels. */
export function campaignChannels(n: CampaignRecord): ChannelId[] {
  const picked = CHANNEL_IDS.filter((c) => n.channels?.[c]);
  return picked.length ? picked : ["web_push"];
}
export const hasOtherChannels = (n: CampaignRecord) => campaignChannels(n).some((c) => c !== "web_push");
/** "Web push, Email and SMS" */
export function channelList(channels: ChannelId[]): string {
  const names = channels.map((c) => CHANNEL_LABELS[c]);
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}` : (names[0] ?? "");
}

// The API's limits (contracts/message-content.ts), said before they are broken.
export const EMAIL_SUBJECT_MAX = 250;
export const SMS_MAX_CHARS = 1600;
export const FCM_TITLE_MAX = 200;
export const FCM_BODY_MAX = 1000;

export const IN_APP_TITLE_MAX = 200;
export const IN_APP_BODY_MAX = 1000;

export interface ChannelsForm {
  on: Record<ChannelId, boolean>;
  in_app: { title: string; body: string; url: string };
  email: { subject: string; text: string; html: string };
  sms: { text: string };
  /** content_sid / content_variables (an approved template) are kept as the API stored them. */
  whatsapp: { text: string; content_sid?: string; content_variables?: Record<string, string> };
  fcm: { title: string; body: string };
}

export const emptyChannels = (): ChannelsForm => ({
  on: { web_push: true, in_app: false, email: false, sms: false, whatsapp: false, fcm: false },
  in_app: { title: "", body: "", url: "" },
  email: { subject: "", text: "", html: "" },
  sms: { text: "" },
  whatsapp: { text: "" },
  fcm: { title: "", body: "" },
});

export function channelsFromDraft(n: CampaignRecord): ChannelsForm {
  const f = emptyChannels();
  const picked = campaignChannels(n);
  for (const c of CHANNEL_IDS) f.on[c] = picked.includes(c);
  const cc = n.channel_content ?? {};
  if (cc.in_app) f.in_app = { title: cc.in_app.title, body: cc.in_app.body ?? "", url: cc.in_app.url ?? "" };
  if (cc.email) f.email = { subject: cc.email.subject, text: cc.email.text ?? "", html: cc.email.html ?? "" };
  if (cc.sms) f.sms = { text: cc.sms.text };
  if (cc.whatsapp) f.whatsapp = { ...cc.whatsapp, text: cc.whatsapp.text ?? "" };
  if (cc.fcm) f.fcm = { title: cc.fcm.title, body: cc.fcm.body ?? "" };
  return f;
}

export const pickedChannels = (f: ChannelsForm): ChannelId[] => CHANNEL_IDS.filter((c) => f.on[c]);

const opt = (v: string) => (v.trim() ? v : undefined);

/** channels and channel_content as the API takes them: the content of the channels picked. */
export function channelsPayload(f: ChannelsForm): { channels: ChannelId[]; channel_content: CampaignChannelContent } {
  const cc: CampaignChannelContent = {};
  if (f.on.in_app) cc.in_app = { title: f.in_app.title.trim(), body: opt(f.in_app.body), url: opt(f.in_app.url.trim()) };
  if (f.on.email) cc.email = { subject: f.email.subject.trim(), text: opt(f.email.text), html: opt(f.email.html) };
  if (f.on.sms) cc.sms = { text: f.sms.text.trim() };
  if (f.on.whatsapp) cc.whatsapp = { ...f.whatsapp, text: opt(f.whatsapp.text.trim()) };
  if (f.on.fcm) cc.fcm = { title: f.fcm.title.trim(), body: opt(f.fcm.body) };
  return { channels: pickedChannels(f), channel_content: cc };
}

/** What the form can tell before asking the API (which checks everything again). */
export function channelProblems(f: ChannelsForm): FieldError[] {
  const problems: FieldError[] = [];
  const at = (path: string, message: string) => problems.push({ path, message });
  if (!pickedChannels(f).length) at("channels", "Pick at least one channel.");
  if (f.on.in_app && !f.in_app.title.trim()) at("channel_content.in_app.title", "Give the inbox item a title.");
  if (f.on.email) {
    if (!f.email.subject.trim()) at("channel_content.email.subject", "Give the email a subject.");
    if (!f.email.text.trim() && !f.email.html.trim()) at("channel_content.email.text", "Write the email: text, HTML or both.");
  }
  if (f.on.sms && !f.sms.text.trim()) at("channel_content.sms.text", "Write the text message.");
  if (f.on.whatsapp && !f.whatsapp.text.trim() && !f.whatsapp.content_sid) at("channel_content.whatsapp.text", "Write the WhatsApp message.");
  if (f.on.fcm && !f.fcm.title.trim()) at("channel_content.fcm.title", "Give the mobile notification a title.");
  return problems;
}

/** The user channels picked: they need an audience of users, not of browsers. */
export const userChannelsOn = (f: ChannelsForm): OtherChannel[] => OTHER_CHANNELS.filter((c) => f.on[c]);

// GSM 03.38: the characters an SMS carries in 7 bits (160 a message); the extension table's
// characters take two. Anything else sends the whole message as UCS-2 (70 a message). Long
// messages are split into parts of 153 (GSM) or 67 (UCS-2) characters, each billed as one SMS.
const GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€\f";

export interface SmsCount {
  chars: number;
  segments: number;
  encoding: "GSM-7" | "UCS-2";
}

export function smsCount(text: string): SmsCount {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM_BASIC.includes(ch)) septets += 1;
    else if (GSM_EXTENDED.includes(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  const chars = [...text].length;
  if (gsm) return { chars, segments: septets === 0 ? 0 : septets <= 160 ? 1 : Math.ceil(septets / 153), encoding: "GSM-7" };
  const units = text.length; // UTF-16 code units: an emoji takes two
  return { chars, segments: units <= 70 ? 1 : Math.ceil(units / 67), encoding: "UCS-2" };
}
