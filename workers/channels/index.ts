// Every delivery channel, by id. A new channel is one folder beside webpush/ implementing
// channels/types.ts, its id in contracts/channels.ts, and one line here.
import type { ChannelId } from "../contracts/channels";
import { email } from "./email";
import { fcm } from "./fcm";
import { inApp } from "./inapp";
import { sms } from "./sms";
import type { Channel, Recipient } from "./types";
import { webPush } from "./webpush";
import { whatsapp } from "./whatsapp";

export const CHANNELS: Record<ChannelId, Channel<Recipient, unknown>> = {
  web_push: webPush,
  in_app: inApp as Channel<Recipient, unknown>,
  email: email as Channel<Recipient, unknown>,
  sms: sms as Channel<Recipient, unknown>,
  whatsapp: whatsapp as Channel<Recipient, unknown>,
  fcm: fcm as Channel<Recipient, unknown>,
};

export const channel = (id: ChannelId) => CHANNELS[id];
