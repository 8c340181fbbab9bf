// Settings → Identity verification (admins): which secret the site's server signs user ids
// with (its last four characters and age), and issuing a new one. The new secret is shown
// once, here, in component state only; the previous one keeps verifying for a grace period
// (workers/config.ts IDENTITY_PREVIOUS_SECRET_GRACE_MS) so the server can be redeployed.
import { useState } from "preact/hooks";
import { IDENTITY_PREVIOUS_SECRET_GRACE_MS } from "../../../workers/config";
import { api, type ApiError } from "../../api";
import { OneTimeSecret } from "../../components/OneTimeSecret";
import { Button, Card, Dialog, ErrorState, FormError, Loading } from "../../components/ui";
import { fmtDate } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { toast } from "../../state/toasts";
import type { IssuedIdentitySecret, Site } from "../../types";

const GRACE_HOURS = Math.round(IDENTITY_PREVIOUS_SECRET_GRACE_MS / 3_600_000);

export function IdentityVerification({ site }: { site: Site }) {
  const res = useResource(() => api.identity(site.id), [site.id]);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [issued, setIssued] = useState<IssuedIdentitySecret | null>(null);
  const status = res.data;
  const tz = site.settings.timezone;

  const rotate = async () => {
    setBusy(true);
    setError(null);
    try {
      const fresh = await api.rotateIdentity(site.id);
      const { secret: _shownOnce, ...rest } = fresh;
      res.set(rest);
      setIssued(fresh);
      setConfirming(false);
      toast("New identity secret issued");
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="Identity verification">
      <p class="muted">
        To send to your own users by their user id, your server signs each signed-in user's id with this secret, so nobody can
        claim someone else's notifications. Keep it on your server; never put it in a page. <a href={`/sites/${site.id}/install`}>How to sign ids</a>
      </p>
      {res.loading && !status && <Loading label="Loading the identity secret…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="the identity secret" />}
      {issued && (
        <OneTimeSecret secret={issued.secret} name="new identity secret" onDone={() => setIssued(null)}>
          Put it on your server (for example as <code>HERALD_IDENTITY_SECRET</code>).{" "}
          {issued.previous_valid_until
            ? <>The previous secret keeps working until <strong>{fmtDate(issued.previous_valid_until, tz)}</strong>; after that, only ids signed with this one are accepted.</>
            : "Ids signed with it are accepted from now on."}
        </OneTimeSecret>
      )}
      {status && !issued && (
        <div class="identity-status">
          {status.configured && status.hint
            ? <p>Secret ending in <code>••••{status.hint}</code>, created {fmtDate(status.created_at, tz)}.</p>
            : <p>This site has no identity secret yet, so user ids cannot be verified.</p>}
          {status.previous_valid_until && <p class="muted small">The previous secret keeps working until {fmtDate(status.previous_valid_until, tz)}.</p>}
        </div>
      )}
      {status && !issued && (
        <div class="form-actions form-actions-start">
          <Button onClick={() => (setError(null), setConfirming(true))}>{status.configured ? "Issue a new secret…" : "Issue a secret…"}</Button>
        </div>
      )}
      <Dialog open={confirming} title={status?.configured ? "Issue a new identity secret?" : "Issue an identity secret?"} onClose={() => setConfirming(false)}
        actions={<><Button onClick={() => setConfirming(false)} disabled={busy}>Cancel</Button><Button variant="primary" busy={busy} onClick={rotate}>Issue new secret</Button></>}>
        <FormError error={error} />
        {status?.configured
          ? <p>Your server will need the new secret to sign user ids. The previous one keeps working for {GRACE_HOURS} hours, so you have time to deploy the new one; after that, ids signed with it are refused.</p>
          : <p>Your server signs user ids with it. It is shown once, right after you issue it.</p>}
      </Dialog>
    </Card>
  );
}
