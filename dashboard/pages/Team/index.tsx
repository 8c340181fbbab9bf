// Team: who has access to the site and with which role, and who is invited. Owners invite
// people by e-mail (they accept from their own Herald account, on their sites page), withdraw
// invitations, change roles and remove members; everyone else sees the lists.
import { useState } from "preact/hooks";
import { api, type ApiError } from "../../api";
import { Badge, Button, Card, Dialog, ErrorState, FormError, Loading, PageHeader, SelectField, TextField } from "../../components/ui";
import { fmtDate, fmtRelative } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { currentUser } from "../../state/session";
import { can, currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";
import type { Invitation, Member, Role } from "../../types";
import { ROLES, ROLE_SUMMARIES } from "../../../workers/contracts/permissions";

/** Lowest first: the invitation form starts at the least access. */
const ROLE_OPTIONS = [...ROLES].reverse().map((r): [Role, string] => [r, `${r[0]!.toUpperCase()}${r.slice(1)} — ${ROLE_SUMMARIES[r]}`]);

export default function Team() {
  const site = currentSite.value!;
  const manage = can("members:write");
  const res = useResource(() => api.members(site.id).then((r) => r.data), [site.id]);
  const invited = useResource(() => api.invitations(site.id).then((r) => r.data.filter((i) => i.status === "pending")).catch(() => [] as Invitation[]), [site.id]);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [rowError, setRowError] = useState<ApiError | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);

  const add = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const inv = await api.invite(site.id, { email: email.trim(), role });
      invited.set([inv, ...(invited.data ?? []).filter((i) => i.id !== inv.id && i.email !== inv.email)]);
      setEmail("");
      toast(`Invitation sent to ${inv.email}`);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const change = async (m: Member, r: Role) => {
    setRowError(null);
    try {
      const updated = await api.changeRole(site.id, m.user_id, r);
      res.set((res.data ?? []).map((x) => (x.user_id === m.user_id ? { ...x, ...updated } : x)));
      toast(`${m.name || m.email} is now ${r}`);
    } catch (err) {
      setRowError(toApiError(err));
      res.reload();
    }
  };
  const withdraw = async (inv: Invitation) => {
    setRowError(null);
    try {
      await api.withdrawInvitation(site.id, inv.id);
      invited.set((invited.data ?? []).filter((i) => i.id !== inv.id));
      toast(`Invitation to ${inv.email} withdrawn`);
    } catch (err) {
      setRowError(toApiError(err));
    }
  };
  const remove = async () => {
    if (!removing) return;
    setRowError(null);
    try {
      await api.removeMember(site.id, removing.user_id);
      res.set((res.data ?? []).filter((x) => x.user_id !== removing.user_id));
      toast(`${removing.name || removing.email} removed`);
    } catch (err) {
      setRowError(toApiError(err));
    }
    setRemoving(null);
  };

  return (
    <div class="page">
      <PageHeader title="Team" subtitle={manage ? "Invite colleagues by e-mail. They join once they accept, from their own Herald account." : "Only owners can change the team."} />
      {manage && (
        <Card title="Invite a teammate">
          <form class="inline-form" onSubmit={add} noValidate>
            <TextField label="Email" type="email" placeholder="grace@example.com" required value={email} onValue={setEmail} error={error?.field("email")} class="grow"
              hint="If they have no Herald account yet, they see the invitation once they sign up with this e-mail." />
            <SelectField label="Role" value={role} onValue={(v) => setRole(v as Role)} options={ROLE_OPTIONS} error={error?.field("role")} />
            <Button type="submit" variant="primary" busy={busy}>Send invitation</Button>
            <div class="full"><FormError error={error} fields={["email", "role"]} /></div>
          </form>
        </Card>
      )}
      {rowError && <FormError error={rowError} />}
      {res.loading && !res.data && <Loading label="Loading team…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="the team" />}
      {res.data && (
        <div class="table-wrap">
          <table class="table table-fit table-stack">
            <thead><tr><th scope="col">Person</th><th scope="col">Role</th><th scope="col" class="hide-sm">Added</th>{manage && <th scope="col"><span class="visually-hidden">Actions</span></th>}</tr></thead>
            <tbody>
              {res.data.map((m) => {
                const me = m.user_id === currentUser.value?.id;
                return (
                  <tr key={m.user_id}>
                    <td class="cell-main"><strong>{m.name}{me && <span class="muted"> (you)</span>}</strong><span class="muted small">{m.email}</span></td>
                    <td data-label="Role">
                      {manage ? (
                        <label>
                          <span class="visually-hidden">Role of {m.name}</span>
                          <select value={m.role} onChange={(e) => change(m, (e.currentTarget as HTMLSelectElement).value as Role)}>
                            {ROLE_OPTIONS.map(([r]) => <option key={r} value={r}>{r}</option>)}
                          </select>
                        </label>
                      ) : <Badge>{m.role}</Badge>}
                    </td>
                    <td class="hide-sm">{fmtDate(m.created_at)}</td>
                    {manage && <td class="num cell-actions"><Button size="sm" variant="ghost" onClick={() => setRemoving(m)} aria-label={`Remove ${m.name}`}>Remove</Button></td>}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {!!invited.data?.length && (
        <section class="stack-sm" aria-labelledby="pending-invitations">
          <h2 id="pending-invitations">Invited</h2>
          <div class="table-wrap">
            <table class="table table-fit table-stack">
              <thead><tr><th scope="col">E-mail</th><th scope="col">Role</th><th scope="col">Expires</th>{manage && <th scope="col"><span class="visually-hidden">Actions</span></th>}</tr></thead>
              <tbody>
                {invited.data.map((inv) => (
                  <tr key={inv.id}>
                    <td class="cell-main"><strong>{inv.email}</strong><span class="muted small">Invited {fmtRelative(inv.created_at)}</span></td>
                    <td data-label="Role"><Badge>{inv.role}</Badge></td>
                    <td data-label="Expires">{fmtRelative(inv.expires_at)}</td>
                    {manage && <td class="num cell-actions"><Button size="sm" variant="ghost" onClick={() => withdraw(inv)} aria-label={`Withdraw the invitation to ${inv.email}`}>Withdraw</Button></td>}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      <Dialog open={!!removing} title={`Remove ${removing?.name ?? ""}?`} onClose={() => setRemoving(null)}
        actions={<><Button onClick={() => setRemoving(null)}>Cancel</Button><Button variant="danger" onClick={remove}>Remove</Button></>}>
        <p>{removing?.email} will lose access to {site.name} immediately.</p>
      </Dialog>
    </div>
  );
}
