// One message: who it went to, a card per channel (state, counts, failures by reason) and the
// recipients table. While any channel is still going out the message is re-read every few
// seconds (lib: Messages/live.ts) and the first page of recipients follows its counts; once
// every channel is done nothing is polled.
import { useRoute } from "preact-iso";
import { useState } from "preact/hooks";
import { ChannelCard } from "../../components/ChannelCard";
import { Badge, Card, ErrorState, Loading, PageHeader } from "../../components/ui";
import { fmtDate, fmtInt } from "../../lib/format";
import { useResource } from "../../lib/use-resource";
import { currentSite } from "../../state/sites";
import type { ChannelId, MessageRecord, RecipientStatus } from "../../types";
import { messagesApi } from "../Messages/api";
import { useLivePoll } from "../Messages/live";
import "../Messages/messages.css";
import { channelsOf, describeTo, isLive, templateText } from "../Messages/status";
import { Recipients, type RecipientsView } from "./Recipients";

/** The counts that move while sending, as one string: the recipients table re-reads on change. */
const countsKey = (m: MessageRecord) => channelsOf(m).map(([c, s]) => `${c}:${s.state}:${s.sent}:${s.delivered}:${s.failed}:${s.unreachable}`).join("|");

export default function MessageDetail() {
  const site = currentSite.value!;
  const { params } = useRoute();
  const id = params.messageId!;
  const res = useResource(() => messagesApi.get(site.id, id), [site.id, id]);
  const m = res.data;
  const live = !!m && isLive(m);
  useLivePoll(live, async () => {
    const next = await messagesApi.get(site.id, id);
    if (next.id === id) res.set(next);
  });
  const [view, setView] = useState<RecipientsView>({ channel: "", status: "", cursors: [null] });

  if (res.loading && !m) return <Loading label="Loading message…" />;
  if (res.error && !m) return <div class="page"><ErrorState error={res.error} retry={res.reload} what="this message" /></div>;
  if (!m) return null;
  const tz = site.settings.timezone;
  const channels = channelsOf(m);
  const show = (channel: ChannelId, status: RecipientStatus | "") => {
    setView({ channel, status, cursors: [null] });
    requestAnimationFrame(() => document.getElementById("recipients")?.scrollIntoView({ block: "start" }));
  };

  return (
    <div class="page">
      <PageHeader title={`Message to ${describeTo(m.to)}`}
        subtitle={<><a href={`/sites/${site.id}/messages`}>← Messages</a> · <Badge>{m.status}</Badge>{live && <span class="live-dot"> Live</span>}</>} />
      <Card title="Details">
        <dl class="kv">
          <dt>ID</dt><dd><code>{m.id}</code></dd>
          <dt>Content</dt><dd>{templateText(m) ?? "Written for this message, per channel"}</dd>
          <dt>To</dt><dd>{describeTo(m.to)}{m.targeted ? ` · ${fmtInt(m.targeted)} deliveries planned` : ""}</dd>
          <dt>Sent</dt><dd>{fmtDate(m.created_at, tz)}</dd>
          {m.completed_at && <><dt>Finished</dt><dd>{fmtDate(m.completed_at, tz)}</dd></>}
          {m.data && Object.keys(m.data).length > 0 && <><dt>Data</dt><dd><pre class="mono small attrs">{JSON.stringify(m.data, null, 2)}</pre></dd></>}
        </dl>
      </Card>
      <div class="chan-cards">
        {channels.map(([c, s]) => <ChannelCard key={c} channel={c} s={s} show={show} />)}
      </div>
      <div id="recipients">
        <Recipients siteId={site.id} messageId={m.id} channels={channels.map(([c]) => c)} view={view} setView={setView} version={countsKey(m)} />
      </div>
    </div>
  );
}
