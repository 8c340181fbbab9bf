// One of the site's users: where they can be reached (and which channels proved unusable),
// their profile (editable by those who may write users), their devices, what they received,
// a JSON export of everything held about them, and erasure (GDPR), which is permanent.
import { useLocation, useRoute } from "preact-iso";
import { useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { Alert, Button, Dialog, ErrorState, Loading, PageHeader } from "../../components/ui";
import { download } from "../../lib/download";
import { fmtDate } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { can, currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";
import "../Messages/messages.css";
import { usersApi } from "../Users/api";
import { Devices } from "./Devices";
import { Inbox } from "./Inbox";
import { Preferences } from "./Preferences";
import { Profile } from "./Profile";
import { Reach } from "./Reach";
import { Received } from "./Received";

/** A file name from an external id, which may hold any printable character ("auth0|42"). */
const fileName = (externalId: string) => `user-${externalId.replace(/[^\w.@-]+/g, "_").slice(0, 80)}.json`;

export default function UserDetail() {
  const site = currentSite.value!;
  const { params } = useRoute();
  const { route } = useLocation();
  const externalId = params.externalId!;
  const res = useResource(() => usersApi.get(site.id, externalId), [site.id, externalId]);
  const devices = useResource(() => usersApi.devices(site.id, externalId).then((r) => r.data), [site.id, externalId]);
  const [exporting, setExporting] = useState(false);
  const [confirmErase, setConfirmErase] = useState(false);
  const [erasing, setErasing] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const u = res.data;
  const writable = can("users:write");

  const exportJson = async () => {
    setExporting(true);
    try {
      download(fileName(externalId), JSON.stringify(await usersApi.export(site.id, externalId), null, 2), "application/json");
    } catch (e) {
      toast(toApiError(e).message, "error");
    } finally {
      setExporting(false);
    }
  };
  const erase = async () => {
    setErasing(true);
    setError(null);
    try {
      await usersApi.erase(site.id, externalId);
      toast(`User ${externalId} erased`);
      route(`/sites/${site.id}/users`);
    } catch (e) {
      setErasing(false);
      setConfirmErase(false);
      setError(toApiError(e));
    }
  };

  if (res.loading && !u) return <Loading label="Loading user…" />;
  if (res.error && !u) return <div class="page"><ErrorState error={res.error} retry={res.reload} what="this user" /></div>;
  if (!u) return null;
  return (
    <div class="page user-page">
      <PageHeader title={u.external_id}
        subtitle={<><a href={`/sites/${site.id}/users`}>← Users</a> · added {fmtDate(u.created_at)} · updated {fmtDate(u.updated_at)}</>}
        actions={<>
          <Button onClick={exportJson} busy={exporting}>Export data</Button>
          {writable && <Button variant="danger" onClick={() => setConfirmErase(true)}>Erase user…</Button>}
        </>} />
      {error && <Alert>{error.message}</Alert>}
      <div class="grid-2">
        <Reach user={u} devices={devices.data} />
        {devices.error
          ? <ErrorState error={devices.error} retry={devices.reload} what="this user's devices" />
          : devices.data
            ? <Devices siteId={site.id} devices={devices.data} writable={writable} remove={async (d) => {
                await usersApi.removeDevice(site.id, externalId, d.id);
                devices.set(devices.data!.filter((x) => x.id !== d.id));
              }} />
            : <Loading label="Loading devices…" />}
      </div>
      <Profile user={u} writable={writable} onSaved={res.set} save={(patch) => usersApi.update(site.id, externalId, patch)} />
      <div class="grid-2">
        <Inbox siteId={site.id} externalId={externalId} presence={u.presence} />
        <Preferences siteId={site.id} externalId={externalId} />
      </div>
      <Received siteId={site.id} externalId={externalId} />
      <Dialog open={confirmErase} title="Erase this user for good?" onClose={() => setConfirmErase(false)}
        actions={<><Button onClick={() => setConfirmErase(false)}>Keep them</Button><Button variant="danger" busy={erasing} onClick={erase}>Erase permanently</Button></>}>
        <p>
          Everything Herald holds about <strong class="break">{u.external_id}</strong> is deleted: their profile, their browsers' push
          subscriptions and mobile devices, and every delivery and event recorded for them. This is how you honour a GDPR erasure
          request, and it cannot be undone.
        </p>
        <p class="muted">Export their data first if you need a copy. If your site identifies them again, they come back as a new user.</p>
      </Dialog>
    </div>
  );
}
