// The inbox bundle (/sdk/inbox-<version>.js), loaded by the page SDK on first use of
// Herald.inbox (sdk.ts) — so pages that never show an inbox never download it. It defines
// window.HeraldInbox(host): one headless client per page (one WebSocket), plus mount() for the
// widget. Budget: ≤ 10 KB gzipped with the widget (scripts/size.ts).
import { type Host, createClient } from "./client";
import { type MountOptions, mountWidget } from "./widget";

export type InboxApi = ReturnType<typeof createInbox>;

function createInbox(host: Host) {
  const client = createClient(host);
  return {
    ...client,
    /** Draws the bell (and its panel) into `target`: an element or a selector. */
    mount(target: Element | string, options?: MountOptions) {
      const el = typeof target == "string" ? document.querySelector(target) : target;
      if (!el) throw Object.assign(new Error(`Herald.inbox.mount: no element matches ${target}`), { code: "mount_target_missing" });
      return mountWidget(client, el, options);
    },
  };
}

(window as unknown as { HeraldInbox: typeof createInbox }).HeraldInbox = createInbox;
