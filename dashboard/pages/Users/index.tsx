// Users: the site's own users (by external id), newest first, cursor-paged (a stack of cursors
// gives "Previous"). Search lists the users whose external id or e-mail starts with what was
// typed (the API's q filter), paged the same way. The search is in the URL (?q=), so coming
// back from a user keeps it.
import { useLocation } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { Button, Empty, ErrorState, Loading, PageHeader, TextField } from "../../components/ui";
import { fmtRelative } from "../../lib/format";
import { useResource } from "../../lib/use-resource";
import { currentSite } from "../../state/sites";
import "../Messages/messages.css";
import { userHref, usersApi } from "./api";

const PAGE_SIZE = 50;

export default function Users() {
  const site = currentSite.value!;
  const { path, query, route } = useLocation();
  const q = (query.q ?? "").trim();
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);
  // The page stack belongs to the list it was walked on: another search starts at page 1.
  const [paging, setPaging] = useState<{ q: string; cursors: (string | null)[] }>({ q, cursors: [null] });
  const cursors = paging.q === q ? paging.cursors : [null];
  const setCursors = (next: (string | null)[]) => setPaging({ q, cursors: next });
  const cursor = cursors[cursors.length - 1];
  const res = useResource(() => usersApi.list(site.id, { limit: PAGE_SIZE, cursor, q: q || undefined }), [site.id, q, cursor]);
  const rows = res.data?.data ?? [];

  const submit = (e: Event) => {
    e.preventDefault();
    const v = draft.trim();
    route(v ? `${path}?q=${encodeURIComponent(v)}` : path, true);
  };

  return (
    <div class="page">
      <PageHeader title="Users" subtitle="People your site knows by its own user ID, with their devices, addresses and what they received." />
      <form class="filters" role="search" onSubmit={submit}>
        <TextField label="User ID or e-mail" placeholder="user-42 or ada@example.com" value={draft} onValue={setDraft} maxLength={254} class="search-field" />
        <Button type="submit" variant="primary">Search</Button>
        {q && <Button variant="ghost" onClick={() => route(path, true)}>Show all users</Button>}
      </form>
      {res.loading && !res.data && <Loading label={q ? "Searching…" : "Loading users…"} />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="users" />}
      {res.data && rows.length === 0 && (q ? (
        <Empty title="No user matches" action={<Button onClick={() => route(path, true)}>Show all users</Button>}>
          No user's ID or e-mail address starts with “{q}”. IDs match upper and lower case exactly; e-mail addresses in any case.
        </Empty>
      ) : (
        <Empty title="No users yet" action={<div class="state-actions">
          <a class="btn btn-primary btn-md" href={`/sites/${site.id}/install`}>Link signed-in users</a>
          <a class="btn btn-secondary btn-md" href="/docs" target="_blank" rel="noopener">API docs</a>
        </div>}>
          A user appears here when your server identifies them through the API (POST /users with their ID, e-mail or phone), or when a
          visitor signed in to your site subscribes to notifications after identify() with their verified ID.
        </Empty>
      ))}
      {rows.length > 0 && (
        <div class={`table-wrap ${res.loading ? "is-loading" : ""}`}>
          <table class="table table-stack">
            <thead>
              <tr><th scope="col">User</th><th scope="col">Phone</th><th scope="col">Language</th><th scope="col">Time zone</th><th scope="col">Added</th></tr>
            </thead>
            <tbody>
              {rows.map((u) => (
                <tr key={u.external_id}>
                  <td class="cell-main">
                    <a href={userHref(site.id, u.external_id)} class="break">{u.external_id}</a>
                    {u.email && <span class="muted small break">{u.email}</span>}
                  </td>
                  <td data-label="Phone">{u.phone ?? "—"}</td>
                  <td data-label="Language">{u.locale ?? "—"}</td>
                  <td data-label="Time zone">{u.timezone ?? "—"}</td>
                  <td data-label="Added">{fmtRelative(u.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(cursors.length > 1 || res.data?.next_cursor) && (
        <nav class="pager" aria-label="Pages">
          <Button disabled={cursors.length < 2 || res.loading} onClick={() => setCursors(cursors.slice(0, -1))}>← Previous</Button>
          <span class="muted">Page {cursors.length}</span>
          <Button disabled={!res.data?.next_cursor || res.loading} onClick={() => setCursors([...cursors, res.data!.next_cursor])}>Next →</Button>
        </nav>
      )}
    </div>
  );
}
