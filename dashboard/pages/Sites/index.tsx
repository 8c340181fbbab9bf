// The user's sites, and creating one (then straight on to installing it).
import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { api } from "../../api";
import { Badge, Button, Card, Empty, ErrorState, FormError, Loading, PageHeader, SelectField, TextField } from "../../components/ui";
import { hostOf, fmtDate } from "../../lib/format";
import { allTimeZones, browserTimeZone } from "../../lib/timezone";
import { useResource } from "../../lib/use-resource";
import { useSubmit } from "../../lib/use-submit";
import { currentSite, sites } from "../../state/sites";

function CreateSite({ onCancel }: { onCancel?: () => void }) {
  const { route } = useLocation();
  const [name, setName] = useState("");
  const [url, setUrl] = useState("https://");
  const [timezone, setTimezone] = useState(browserTimeZone());
  const { busy, error, submit } = useSubmit(async () => {
    const site = await api.createSite({ name, url, settings: { timezone } });
    sites.value = [...(sites.value ?? []), { ...site, role: site.role ?? "owner" }];
    route(`/sites/${site.id}/install`);
  });
  return (
    <Card title="Add a site">
      <form onSubmit={submit} noValidate class="form-grid">
        <FormError error={error} fields={["name", "url", "settings.timezone"]} />
        <TextField label="Site name" placeholder="Acme Shop" required maxLength={100} value={name} onValue={setName} error={error?.field("name")} />
        <TextField label="Website address" type="url" placeholder="https://shop.example.com" required value={url} onValue={setUrl}
          hint="Where your visitors subscribe: the full address, starting with https://." error={error?.field("url")} />
        <SelectField label="Time zone" value={timezone} onValue={setTimezone} options={allTimeZones()} error={error?.field("settings.timezone")}
          hint="Scheduled sends and daily charts use it." />
        <div class="form-actions">
          {onCancel && <Button onClick={onCancel}>Cancel</Button>}
          <Button type="submit" variant="primary" busy={busy}>Create site</Button>
        </div>
      </form>
    </Card>
  );
}

export default function Sites() {
  const [creating, setCreating] = useState(false);
  const res = useResource(async () => {
    const { data } = await api.sites();
    sites.value = data;
    currentSite.value = null;
    return data;
  }, []);

  return (
    <div class="page page-narrow">
      <PageHeader title="Your sites" subtitle="Each site has its own subscribers, keys and team."
        actions={res.data?.length && !creating ? <Button variant="primary" onClick={() => setCreating(true)}>Add a site</Button> : undefined} />
      {res.loading && !res.data && <Loading label="Loading your sites…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="your sites" />}
      {res.data && res.data.length === 0 && (
        <>
          <Empty title="Welcome to Herald">Add your website to start collecting push subscribers. It takes about five minutes.</Empty>
          <CreateSite />
        </>
      )}
      {res.data && res.data.length > 0 && (
        <>
          {creating && <CreateSite onCancel={() => setCreating(false)} />}
          <ul class="site-list">
            {res.data.map((s) => (
              <li key={s.id}>
                <a class="site-card" href={`/sites/${s.id}`}>
                  <span class="site-avatar" aria-hidden="true">{s.name.slice(0, 1).toUpperCase()}</span>
                  <span class="site-card-main">
                    <strong>{s.name}</strong>
                    <span class="muted">{hostOf(s.url)}</span>
                  </span>
                  <span class="site-card-meta">
                    {s.role && <Badge>{s.role}</Badge>}
                    <span class="muted small">Created {fmtDate(s.created_at)}</span>
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
