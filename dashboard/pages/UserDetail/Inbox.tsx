// A user's in-app inbox as your server sees it (issue #9): whether they are connected now (and
// when last seen), their exact counts, and the newest items with their read state — what the bell
// on your site shows them. Read through GET …/users/{externalId}/inbox; nothing here changes it.
import type { InboxPage, Presence } from "../../../workers/contracts/inbox";
import { request } from "../../api";
import { Badge, Card, ErrorState, Loading } from "../../components/ui";
import { fmtInt, fmtRelative } from "../../lib/format";
import { useResource } from "../../lib/use-resource";

/** Items shown here; the rest are a scroll away in the user's own bell. */
const NEWEST = 5;

function presenceLine(p: Presence | undefined) {
  if (!p) return null;
  if (p.online) return <><Badge tone="green">Online</Badge> {p.connections === 1 ? "1 tab or device connected" : `${fmtInt(p.connections)} tabs or devices connected`}</>;
  return <><Badge tone="grey">Offline</Badge> {p.last_seen_at ? `last seen ${fmtRelative(p.last_seen_at)}` : "never opened the inbox"}</>;
}

export function Inbox({ siteId, externalId, presence }: { siteId: string; externalId: string; presence: Presence | undefined }) {
  const res = useResource(
    () => request<InboxPage>("GET", `/api/sites/${encodeURIComponent(siteId)}/users/${encodeURIComponent(externalId)}/inbox?limit=${NEWEST}`),
    [siteId, externalId],
  );
  const page = res.data;
  return (
    <Card title="In-app inbox">
      <p class="small">{presenceLine(presence)}</p>
      {res.error && <ErrorState error={res.error} retry={res.reload} what="this user's inbox" />}
      {!page && !res.error && <Loading label="Loading the inbox…" />}
      {page && (
        <>
          <p class="small muted" data-testid="user-inbox-counts">
            {page.counts.total === 0 ? "Nothing in the inbox yet." : `${fmtInt(page.counts.unread)} unread of ${fmtInt(page.counts.total)}`}
          </p>
          {page.items.length > 0 && (
            <ul class="plain-list">
              {page.items.map((item) => (
                <li key={item.id}>
                  {item.read_at ? <span>{item.title}</span> : <strong>{item.title}</strong>}{" "}
                  <span class="muted small">· {fmtRelative(item.created_at)}{item.read_at ? ` · read ${fmtRelative(item.read_at)}` : " · unread"}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Card>
  );
}
