// A template's published versions, newest first: which one sends use, which were roll backs,
// and (admins) roll back — publish an older version's content again as the newest version.
import { useState } from "preact/hooks";
import { Badge, Button, Card, Dialog, ErrorState, Loading } from "../../components/ui";
import { fmtDate, fmtRelative } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { toast } from "../../state/toasts";
import { type TemplateVersionSummary, templatesApi } from "./api";

export function Versions({ siteId, templateKey, current, canPublish, reloadKey, onPublished }: {
  siteId: string; templateKey: string; current: number | null; canPublish: boolean; reloadKey: number; onPublished: () => void;
}) {
  const res = useResource(() => templatesApi.versions(siteId, templateKey), [siteId, templateKey, reloadKey]);
  const [target, setTarget] = useState<TemplateVersionSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const rollBack = async () => {
    if (!target) return;
    setBusy(true);
    try {
      const v = await templatesApi.publish(siteId, templateKey, target.version);
      toast(`Version ${target.version} is live again as version ${v.version}`);
      onPublished();
    } catch (err) {
      toast(toApiError(err).message, "error");
    }
    setBusy(false);
    setTarget(null);
  };
  const rows = res.data?.data ?? [];
  return (
    <Card title="Versions">
      {res.loading && !res.data && <Loading label="Loading versions…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="versions" />}
      {res.data && rows.length === 0 && <p class="muted">Nothing published yet. Sends can use this template once you publish it.</p>}
      {rows.length > 0 && (
        <ol class="tpl-versions">
          {rows.map((v) => (
            <li key={v.version}>
              <div>
                <strong>Version {v.version}</strong> {v.version === current && <Badge tone="green">live</Badge>}
                <div class="muted small" title={fmtDate(v.published_at)}>
                  Published {fmtRelative(v.published_at)}{v.source_version ? ` · roll back to version ${v.source_version}` : ""} · {v.languages.join(", ")}
                </div>
              </div>
              {canPublish && v.version !== current && <Button size="sm" onClick={() => setTarget(v)} aria-label={`Roll back to version ${v.version}`}>Roll back</Button>}
            </li>
          ))}
        </ol>
      )}
      <Dialog open={!!target} title={`Roll back to version ${target?.version ?? ""}?`} onClose={() => setTarget(null)}
        actions={<><Button onClick={() => setTarget(null)}>Cancel</Button><Button variant="primary" busy={busy} onClick={rollBack}>Roll back</Button></>}>
        <p>Version {target?.version}'s content is published again as a new version, and sends use it from now on. Your draft stays as it is.</p>
      </Dialog>
    </Card>
  );
}
