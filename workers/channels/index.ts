// Every delivery channel, by id. A new channel is one folder beside webpush/ implementing
// channels/types.ts, its id in contracts/channels.ts, and one line here.
import type { ChannelId } from "../contracts/channels";
import type { Channel, Recipient } from "./types";
import { webPush } from "./webpush";

export const CHANNELS = {
  web_push: webPush,
} as Record<ChannelId, Channel<Recipient, unknown>>;

export const channel = (id: ChannelId) => CHANNELS[id];
