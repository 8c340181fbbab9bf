// A user's devices: browsers that subscribed to web push with the user's verified id (each
// links to its subscriber page) and FCM registration tokens from the site's apps. Removing a
// browser unlinks it (it stays subscribed, anonymously); removing an FCM token deletes it.
import { useState } from "preact/hooks";
import { CHANNEL_LABELS } from "../../../workers/contracts/channels";
import { Badge, Button, Card, Dialog } from "../../components/ui";
import { fmtRelative } from "../../lib/format";
import { toApiError } from "../../lib/use-resource";
import { toast } from "../../state/toasts";
import type { Device } from "../../types";

const deviceName = (d: Device) =>
  d.type === "web_push" ? d.platform || "Browser" : d.platform === "ios" ? "iPhone or iPad app" : d.platform === "android" ? "Android app" : "Mobile app";

const REMOVE_TEXT: Record<Device["type"], { title: string; text: string; button: string; done: string }> = {
  web_push: {
    title: "Unlink this browser?",
    text: "It stays subscribed to your site's notifications, anonymously, but no longer receives what is sent to this user. It is linked again when the user signs in there and your page calls identify().",
    button: "Unlink browser",
    done: "Browser unlinked",
  },
  fcm: {
    title: "Remove this device?",
    text: "Its FCM registration token is deleted: the app receives nothing more until it registers its token again.",
    button: "Remove device",
    done: "Device removed",
  },
};

export function Devices({ siteId, devices, writable, remove }: {
  siteId: string; devices: Device[]; writable: boolean; remove: (d: Device) => Promise<void>;
}) {
  const [confirm, setConfirm] = useState<Device | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    if (!confirm) return;
    setBusy(true);
    try {
      await remove(confirm);
      toast(REMOVE_TEXT[confirm.type].done);
    } catch (e) {
      toast(toApiError(e).message, "error");
    } finally {
      setBusy(false);
      setConfirm(null);
    }
  };
  const active = devices.filter((d) => d.active).length;
  return (
    <Card title={`Devices${devices.length ? ` (${devices.length})` : ""}`}>
      {devices.length === 0 ? (
        <p class="muted">
          No devices. A browser appears here when it subscribes after your page calls identify() with this user's verified ID; a phone, when
          your app registers its FCM token for the user (POST …/devices).
        </p>
      ) : (
        <>
          {active < devices.length && <p class="muted small">{active} of {devices.length} still reachable: inactive ones unsubscribed or were reported gone by their push service.</p>}
          <ul class="device-list">
            {devices.map((d) => (
              <li key={d.id}>
                <div class="device-main">
                  {d.type === "web_push" ? <a href={`/sites/${siteId}/subscribers/${d.id}`}>{deviceName(d)}</a> : <strong>{deviceName(d)}</strong>}
                  <span class="muted small">{CHANNEL_LABELS[d.type]} · added {fmtRelative(d.created_at)} · seen {fmtRelative(d.last_seen_at)}</span>
                </div>
                <Badge>{d.active ? "active" : "inactive"}</Badge>
                {writable && (
                  <Button size="sm" variant="ghost" onClick={() => setConfirm(d)} aria-label={`${d.type === "web_push" ? "Unlink" : "Remove"} ${deviceName(d)}`}>
                    {d.type === "web_push" ? "Unlink" : "Remove"}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <Dialog open={!!confirm} title={confirm ? REMOVE_TEXT[confirm.type].title : ""} onClose={() => setConfirm(null)}
        actions={<>
          <Button onClick={() => setConfirm(null)}>Keep it</Button>
          <Button variant="danger" busy={busy} onClick={run}>{confirm ? REMOVE_TEXT[confirm.type].button : ""}</Button>
        </>}>
        {confirm && <p><strong>{deviceName(confirm)}</strong>: {REMOVE_TEXT[confirm.type].text}</p>}
      </Dialog>
    </Card>
  );
}
