// One subscriber: device and activity, tags and external id (editable by admins), a JSON
// export of everything stored about them, and deletion (GDPR erasure).
import { useLocation, useRoute } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { api, type ApiError } from "../../api";
import { Badge, Button, Card, Dialog, ErrorState, FormError, Loading, PageHeader, TextField } from "../../components/ui";
import { download } from "../../lib/download";
import { MAX_TAG_CHARS, MAX_TAGS } from "../../../workers/config";
import { fmtDate } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { can, currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";

export default function SubscriberDetail() {
  const site = currentSite.value!;
  const { params } = useRoute();
  const { route } = useLocation();
  const id = params.subscriberId!;
  const res = useResource(() => api.subscriber(site.id, id), [site.id, id]);
  const s = res.data;
  const [tags, setTags] = useState("");
  const [externalId, setExternalId] = useState("");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);
  useEffect(() => {
    if (s) {
      setTags((s.tags ?? []).join(", "));
      setExternalId(s.external_id ?? "");
    }
  }, [s]);

  const save = async (e: Event) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      res.set(await api.updateSubscriber(site.id, id, {
        tags: tags.split(",").map((t) => t.trim()).filter(Boolean),
        external_id: externalId.trim() || null,
      }));
      toast("Subscriber updated");
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  };
  const exportJson = async () => {
    try {
      const data = await api.exportSubscriber(site.id, id);
      download(`subscriber-${id}.json`, JSON.stringify(data, null, 2), "application/json");
    } catch (err) {
      toast(toApiError(err).message, "error");
    }
  };
  const remove = async () => {
    setDeleting(true);
    try {
      await api.deleteSubscriber(site.id, id);
      toast("Subscriber deleted");
      route(`/sites/${site.id}/subscribers`);
    } catch (err) {
      setDeleting(false);
      setConfirmDelete(false);
      setError(toApiError(err));
    }
  };

  if (res.loading && !s) return <Loading label="Loading subscriber…" />;
  if (res.error && !s) return <div class="page"><ErrorState error={res.error} retry={res.reload} what="this subscriber" /></div>;
  if (!s) return null;
  const writable = can("subscribers:write");
  return (
    <div class="page">
      <PageHeader title={s.external_id ?? `Subscriber ${s.id.slice(0, 10)}`}
        subtitle={<><a href={`/sites/${site.id}/subscribers`}>← Subscribers</a> · <Badge>{s.active ? "active" : "inactive"}</Badge></>}
        actions={<>
          <Button onClick={exportJson}>Export data</Button>
          {writable && <Button variant="danger" onClick={() => setConfirmDelete(true)}>Delete</Button>}
        </>} />
      <div class="grid-2">
        <Card title="Device">
          <dl class="kv">
            <dt>ID</dt><dd><code>{s.id}</code></dd>
            <dt>Browser</dt><dd>{s.browser ?? "—"}</dd>
            <dt>OS</dt><dd>{s.os ?? "—"}</dd>
            <dt>Language</dt><dd>{s.language ?? "—"}</dd>
            <dt>Time zone</dt><dd>{s.timezone ?? "—"}</dd>
            <dt>Country</dt><dd>{s.country ?? "—"}</dd>
            <dt>Push service</dt><dd class="break">{(() => { try { return new URL(s.endpoint).host; } catch { return "—"; } })()}</dd>
          </dl>
        </Card>
        <Card title="Activity">
          <dl class="kv">
            <dt>Subscribed</dt><dd>{fmtDate(s.subscribed_at)}</dd>
            <dt>Last seen</dt><dd>{fmtDate(s.last_seen_at)}</dd>
            {s.unsubscribed_at && <><dt>Unsubscribed</dt><dd>{fmtDate(s.unsubscribed_at)}</dd></>}
          </dl>
        </Card>
      </div>
      <Card title="Tags and identity">
        {writable ? (
          <form onSubmit={save} class="form-grid" noValidate>
            <FormError error={error} fields={["tags", "external_id"]} />
            <TextField label="Tags" hint={`Comma-separated, used for targeting: up to ${MAX_TAGS} tags of ${MAX_TAG_CHARS} characters each.`} value={tags} onValue={setTags} error={error?.field("tags")} />
            <TextField label="External ID" hint="Your own user id, set by the SDK's identify()." value={externalId} onValue={setExternalId} error={error?.field("external_id")} />
            <div class="form-actions"><Button type="submit" variant="primary" busy={saving}>Save</Button></div>
          </form>
        ) : (
          <dl class="kv">
            <dt>Tags</dt><dd>{s.tags?.length ? s.tags.join(", ") : "—"}</dd>
            <dt>External ID</dt><dd>{s.external_id ?? "—"}</dd>
          </dl>
        )}
      </Card>
      <Dialog open={confirmDelete} title="Delete this subscriber?" onClose={() => setConfirmDelete(false)}
        actions={<><Button onClick={() => setConfirmDelete(false)}>Cancel</Button><Button variant="danger" busy={deleting} onClick={remove}>Delete permanently</Button></>}>
        <p>Their push subscription and all data Herald holds about them are erased. They will not receive notifications unless they subscribe again.</p>
      </Dialog>
    </div>
  );
}
