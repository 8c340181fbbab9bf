// Messages: what was sent through the messages API, newest first, each with one chip per
// channel ("Email: 198 sent · 2 failed"). Cursor-paged (a stack of cursors gives "Previous").
// While a message on the page is still going out, the page re-reads itself every few seconds
// (only then, and only while the tab is visible); finished pages are read once.
import { useRef, useState } from "preact/hooks";
import { Badge, Button, Empty, ErrorState, Loading, PageHeader } from "../../components/ui";
import { fmtDate, fmtRelative } from "../../lib/format";
import { useResource } from "../../lib/use-resource";
import { currentSite } from "../../state/sites";
import type { MessageRecord } from "../../types";
import { messagesApi } from "./api";
import { ChannelChips } from "./ChannelChips";
import { useLivePoll } from "./live";
import { describeTo, isLive, templateText } from "./status";

const PAGE_SIZE = 25;

function when(m: MessageRecord) {
  return m.completed_at ? `Finished ${fmtRelative(m.completed_at)}` : `Sent ${fmtRelative(m.created_at)}`;
}

export default function Messages() {
  const site = currentSite.value!;
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];
  const res = useResource(() => messagesApi.list(site.id, cursor, PAGE_SIZE), [site.id, cursor]);
  const rows = res.data?.data ?? [];
  const live = rows.some(isLive);
  // A silent re-read of the page shown: no spinner, a failed beat keeps what is on screen, and
  // an answer for a page left meanwhile is dropped.
  const shown = useRef(cursor);
  shown.current = cursor;
  useLivePoll(live, async () => {
    const page = await messagesApi.list(site.id, cursor, PAGE_SIZE);
    if (shown.current === cursor) res.set(page);
  });

  return (
    <div class="page">
      <PageHeader title="Messages"
        subtitle={<>Sent through the API to your users on every channel they can be reached on.{live && <span class="live-dot"> Updating</span>}</>} />
      {res.loading && !res.data && <Loading label="Loading messages…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="messages" />}
      {res.data && rows.length === 0 && (
        <Empty title={cursors.length > 1 ? "No more messages" : "No messages yet"}
          action={<div class="state-actions">
            <a class="btn btn-secondary btn-md" href="/docs" target="_blank" rel="noopener">API docs</a>
            <a class="btn btn-secondary btn-md" href={`/sites/${site.id}/users`}>Users</a>
          </div>}>
          Your server sends a message with POST /messages: one call reaches users by e-mail, SMS, WhatsApp, web push and mobile push,
          from inline content or a template. Each one is listed here with what happened on every channel.
        </Empty>
      )}
      {rows.length > 0 && (
        <div class={`table-wrap ${res.loading ? "is-loading" : ""}`}>
          <table class="table table-stack">
            <thead>
              <tr><th scope="col">Message</th><th scope="col">Status</th><th scope="col">Channels</th></tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.id}>
                  <td class="cell-main">
                    <a href={`/sites/${site.id}/messages/${m.id}`} class="break">{m.headline ?? templateText(m) ?? describeTo(m.to)}</a>
                    <span class="muted small" title={fmtDate(m.created_at, site.settings.timezone)}>
                      Audience: {describeTo(m.to)} · <code>{m.id.slice(0, 14)}</code> · {when(m)}
                    </span>
                  </td>
                  <td data-label="Status"><Badge>{m.status}</Badge></td>
                  <td class="cell-wide" data-label="Channels"><ChannelChips m={m} /></td>
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
