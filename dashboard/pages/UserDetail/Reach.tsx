// Where a user can be reached, channel by channel: their browsers and phones (active devices),
// their e-mail address and phone number — and the channels whose address proved unusable (a
// hard bounce, an invalid number), which sends skip until the address changes.
import { CHANNEL_IDS, CHANNEL_LABELS, type ChannelId } from "../../../workers/contracts/channels";
import { failureLabel } from "../../../workers/contracts/failure-reasons";
import { Badge, Card } from "../../components/ui";
import { fmtDate } from "../../lib/format";
import type { Device, SiteUser } from "../../types";

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function address(c: ChannelId, u: SiteUser, devices: Device[]): string | null {
  const active = devices.filter((d) => d.type === c && d.active).length;
  switch (c) {
    case "web_push": return active ? plural(active, "subscribed browser", "subscribed browsers") : null;
    // Every site user has an inbox; the SDK's bell shows it once the site signs them in.
    case "in_app": return "Inbox";
    case "fcm": return active ? plural(active, "app with an FCM token", "apps with an FCM token") : null;
    case "email": return u.email;
    case "sms":
    case "whatsapp": return u.phone;
  }
}

const MISSING: Record<ChannelId, string> = {
  web_push: "No subscribed browser",
  in_app: "No inbox",
  fcm: "No mobile app registered",
  email: "No e-mail address",
  sms: "No phone number",
  whatsapp: "No phone number",
};

export function Reach({ user, devices }: { user: SiteUser; devices: Device[] | undefined }) {
  const marks = Object.entries(user.unreachable ?? {}).filter(([, m]) => m);
  return (
    <Card title="Channels">
      <dl class="kv">
        {CHANNEL_IDS.map((c) => {
          const mark = user.unreachable?.[c];
          const where = devices || (c !== "web_push" && c !== "fcm") ? address(c, user, devices ?? []) : undefined;
          return [
            <dt key={`${c}-t`}>{CHANNEL_LABELS[c]}</dt>,
            <dd key={`${c}-d`}>
              {where === undefined ? "…" : where ?? <span class="muted">{MISSING[c]}</span>}
              {mark && <>
                {" "}<Badge tone="red">unreachable</Badge>
                <span class="muted small reach-reason"> {failureLabel(mark.reason)}{mark.code ? ` (provider code ${mark.code})` : ""}, since {fmtDate(mark.at)}.</span>
              </>}
            </dd>,
          ];
        })}
      </dl>
      {marks.length > 0 && <p class="muted small reach-note">Messages skip an unreachable channel until its address changes: correct the e-mail or phone below to try it again.</p>}
    </Card>
  );
}
