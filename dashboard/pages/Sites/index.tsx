// The user's sites, the invitations to join others' teams (accept or decline), and creating a
// site (then straight on to installing it, where its identity secret is shown once).
import { useLocation } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { api } from "../../api";
import { Badge, Button, Card, Empty, ErrorState, FormError, Loading, PageHeader, SelectField, TextField } from "../../components/ui";
import { toApiError } from "../../lib/use-resource";
import { toast } from "../../state/toasts";
import type { MyInvitation } from "../../types";
import { hostOf, fmtDate } from "../../lib/format";
import { allTimeZones, browserTimeZone } from "../../lib/timezone";
import { useResource } from "../../lib/use-resource";
import { useSubmit } from "../../lib/use-submit";
import { currentSite, newSiteSecret, sites } from "../../state/sites";

function CreateSite({ onCancel }: { onCancel?: () => void }) {
  const { route } = useLocation();
  const [name, setName] = useState("");
  const [url, setUrl] = useState("https://");
  const [timezone, setTimezone] = useState(browserTimeZone());
  const { busy, error, submit } = useSubmit(async () => {
    const { identity_secret, ...site } = await api.createSite({ name, url, settings: { timezone } });
    sites.value = [...(sites.value ?? []), { ...site, role: site.role ?? "owner" }];
    // Shown once, on the install page (its identify step needs it); the site list never holds it.
    newSiteSecret.value = identity_secret ? { siteId: site.id, secret: identity_secret } : null;
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

/** Invitations addressed to this user; accepting one adds its site to the list (onJoined). */
function Invitations({ onJoined, onCount }: { onJoined: () => void; onCount: (n: number) => void }) {
  const res = useResource(() => api.myInvitations().then((r) => r.data).catch(() => [] as MyInvitation[]), []);
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => onCount(res.data?.length ?? 0), [res.data]);
  if (!res.data?.length) return null;
  const answer = async (inv: MyInvitation, accept: boolean) => {
    setBusy(inv.id);
    try {
      if (accept) await api.acceptInvitation(inv.id);
      else await api.declineInvitation(inv.id);
      res.set(res.data!.filter((i) => i.id !== inv.id));
      toast(accept ? `You joined ${inv.site.name}` : `Invitation to ${inv.site.name} declined`);
      if (accept) onJoined();
    } catch (err) {
      toast(toApiError(err).message, "error");
    } finally {
      setBusy(null);
    }
  };
  return (
    <Card title="Invitations">
      <ul class="invitations">
        {res.data.map((inv) => (
          <li key={inv.id}>
            <div>
              <strong>{inv.site.name}</strong>
              <span class="muted small">{inv.invited_by ? `${inv.invited_by} invited you` : "You are invited"} as {inv.role} · {hostOf(inv.site.url)}</span>
            </div>
            <span class="actions">
              <Button size="sm" onClick={() => answer(inv, false)} disabled={busy === inv.id} aria-label={`Decline the invitation to ${inv.site.name}`}>Decline</Button>
              <Button size="sm" variant="primary" onClick={() => answer(inv, true)} busy={busy === inv.id} aria-label={`Join ${inv.site.name}`}>Join</Button>
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

export default function Sites() {
  const [creating, setCreating] = useState(false);
  const [invited, setInvited] = useState(0);
  const res = useResource(async () => {
    const { data } = await api.sites();
    sites.value = data;
    currentSite.value = null;
    return data;
  }, []);

  return (
    <div class="page page-narrow">
      <PageHeader title="Your sites" subtitle="Each site has its own subscribers, keys and team."
        actions={(!!res.data?.length || invited > 0) && !creating ? <Button variant={res.data?.length ? "primary" : "secondary"} onClick={() => setCreating(true)}>Add a site</Button> : undefined} />
      <Invitations onJoined={res.reload} onCount={setInvited} />
      {res.loading && !res.data && <Loading label="Loading your sites…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="your sites" />}
      {/* No site yet: the welcome and the form, unless an invitation is waiting (then on demand). */}
      {res.data && res.data.length === 0 && (invited === 0 ? (
        <>
          <Empty title="Welcome to Herald">Add your website to start collecting push subscribers. It takes about five minutes.</Empty>
          <CreateSite />
        </>
      ) : creating && <CreateSite onCancel={() => setCreating(false)} />)}
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
