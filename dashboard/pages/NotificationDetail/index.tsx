// One notification: content, funnel (targeted → sent → shown → clicked), failures by
// reason, live counters while sending (WebSocket, with polling as the fallback), and the
// actions its status and the user's role allow (lib/notification-actions.ts: send or edit a
// draft, cancel or unschedule a scheduled one, delete what never went out, archive what finished).
// A campaign on more channels than web push (issue #8 §5) gets a card per channel (sent,
// delivered, failed by reason), re-read while it sends; the funnel stays web push's.
import { useLocation, useRoute } from "preact-iso";
import { Fragment } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { CHANNEL_LABELS, type ChannelId } from "../../../workers/contracts/channels";
import { failureLabel } from "../../../workers/contracts/failure-reasons";
import { api, liveSocketUrl, type ApiError } from "../../api";
import { ChannelCard } from "../../components/ChannelCard";
import { LineChart } from "../../components/LineChart";
import { Alert, Badge, Button, Card, Dialog, ErrorState, Loading, PageHeader, Stat } from "../../components/ui";
import { fmtDate, fmtDuration, fmtInt, fmtMoney, fmtPct, validMs } from "../../lib/format";
import { deleteWording, notificationActions } from "../../lib/notification-actions";
import { toApiError, useResource } from "../../lib/use-resource";
import { currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";
import type { AudienceTarget, NotificationRecord, NotificationStats } from "../../types";
import { type CampaignRecord, campaignChannels, channelList, hasOtherChannels } from "../Compose/campaign";
import { AbResults } from "./AbResults";

/** The counters the site's socket pushes that are web push's alone. Deliveries it counts on every
 *  channel, so a campaign on several takes those from the API (stats: web push; channels). */
const PUSH_ONLY_COUNTERS = ["impressions", "clicks", "dismissals"] as const;

/** In words; never throws on a stored target of an older or unexpected shape. */
function describeTarget(t: AudienceTarget | null | undefined): string {
  if (!t || typeof t !== "object") return "—";
  if ("all" in t) return "Everyone";
  if ("tags" in t && t.tags) {
    const parts = [t.tags.any?.length && `any of ${t.tags.any.join(", ")}`, t.tags.all?.length && `all of ${t.tags.all.join(", ")}`, t.tags.none?.length && `none of ${t.tags.none.join(", ")}`].filter(Boolean);
    return parts.length ? `Tagged ${parts.join("; ")}` : "Everyone";
  }
  if ("subscriber_ids" in t && Array.isArray(t.subscriber_ids)) return `${t.subscriber_ids.length} chosen subscriber${t.subscriber_ids.length === 1 ? "" : "s"}`;
  if ("external_ids" in t && Array.isArray(t.external_ids)) return `${t.external_ids.length} of your user IDs`;
  if ("segment_id" in t) return t.as_of ? `A segment, as it was on ${fmtDate(t.as_of)}` : "A segment";
  return "—";
}

const POLL_MS = 3000;

/**
 * Stats pushed live over the site's WebSocket (the SiteCounters Durable Object), once sending
 * has started, for as long as the page is open: deliveries while sending, impressions and
 * clicks afterwards. The API is polled only while the socket is not connected.
 */
function useLiveStats(siteId: string, n: NotificationRecord | undefined, multi: boolean) {
  const [stats, setStats] = useState<Partial<NotificationStats> | null>(null);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    // Nothing is counted before sending starts (a draft, a scheduled one: the page's 30 s re-read
    // notices the start), and what never started may be deleted from this page meanwhile.
    if (!n || n.started_at == null) return;
    let stop = false;
    let ws: WebSocket | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    let knownTargeted = 0;
    const fetchStats = () =>
      api
        .notificationStats(siteId, n.id)
        .then((s) => !stop && ((knownTargeted = s.targeted), setStats(s), setError(null)))
        .catch((e) => !stop && setError(toApiError(e)));
    const poll = () => (timer ??= setInterval(fetchStats, POLL_MS));
    fetchStats();
    try {
      ws = new WebSocket(liveSocketUrl(siteId));
      ws.onopen = () => {
        setLive(true);
        clearInterval(timer);
        timer = undefined;
        ws?.send(JSON.stringify({ type: "watch", notification_id: n.id }));
        // Anything counted between the first read and this watch (a socket replaced on a status
        // change, a click meanwhile) is never pushed: read once more now that we are watching.
        fetchStats();
      };
      ws.onclose = () => {
        setLive(false);
        if (!stop) poll();
      };
      ws.onmessage = (m) => {
        try {
          const msg = JSON.parse(m.data as string) as { type?: string; notification_id?: string; counters?: Partial<NotificationStats> };
          if (msg.type !== "counters" || !msg.counters || msg.notification_id !== n.id) return;
          if (!knownTargeted) fetchStats(); // the planner sets the audience size after the send starts
          const counters = multi ? Object.fromEntries(PUSH_ONLY_COUNTERS.filter((k) => k in msg.counters!).map((k) => [k, msg.counters![k]])) : msg.counters;
          setStats((s) => {
            const next = { ...s, ...counters };
            next.ctr = next.sent ? (next.clicks ?? 0) / next.sent : 0;
            return next;
          });
        } catch {}
      };
    } catch {
      poll();
    }
    return () => {
      stop = true;
      clearInterval(timer);
      // This socket is done: not live from now on (the next one says when it is), and its late
      // events change nothing. Closing a socket still connecting logs a browser warning (leaving
      // the page at once): let it open, then close it.
      setLive(false);
      const socket = ws;
      if (!socket) return;
      socket.onmessage = socket.onclose = null;
      if (socket.readyState === WebSocket.CONNECTING) socket.onopen = () => socket.close();
      else socket.close();
    };
  }, [siteId, n?.id, n?.status, multi]);
  return { stats: stats ?? n?.stats ?? null, live, error };
}

function Funnel({ s }: { s: Partial<NotificationStats> }) {
  const steps: [string, number | undefined][] = [["Targeted", s.targeted], ["Delivered to push service", s.sent], ["Shown", s.impressions], ["Clicked", s.clicks]];
  const top = Math.max(s.targeted ?? 0, 1);
  return (
    <ol class="funnel">
      {steps.map(([label, v]) => (
        <li key={label}>
          <div class="funnel-label"><span>{label}</span><strong>{fmtInt(v ?? null)}</strong></div>
          <div class="funnel-bar" aria-hidden="true"><span style={{ width: `${Math.min(100, ((v ?? 0) / top) * 100)}%` }} /></div>
        </li>
      ))}
    </ol>
  );
}

/** Deliveries and engagement per minute, refreshed while sending. */
function Timeline({ siteId, n, multi }: { siteId: string; n: NotificationRecord; multi: boolean }) {
  const res = useResource(() => api.notificationPerformance(siteId, n.id), [siteId, n.id, n.status]);
  useEffect(() => {
    if (n.status !== "sending") return;
    const t = setInterval(() => res.reload(), POLL_MS * 2);
    return () => clearInterval(t);
  }, [n.status]);
  const series = res.data?.series ?? [];
  const chart = useMemo(() => [
    { label: "Sent", values: series.map((p) => p.sent), color: "#4f46e5", fill: true, format: fmtInt },
    { label: "Shown", values: series.map((p) => p.impressions), color: "#0ea5e9" },
    { label: "Clicks", values: series.map((p) => p.clicks), color: "#059669" },
    { label: "Failed", values: series.map((p) => p.failed), color: "#e11d48" },
  ], [res.data]);
  const minutes = useMemo(() => series.map((p) => p.minute), [res.data]);
  if (res.error || !res.data) return null;
  return (
    <Card>
      <LineChart title={multi ? "Sends on every channel, and web push engagement, by minute" : "Delivery and engagement by minute"} minutes={minutes} series={chart} height={200} integer
        empty={{ title: "Too little data for a chart yet", text: "Deliveries, impressions and clicks per minute are drawn here once they span two minutes or more." }} />
    </Card>
  );
}

type Action = "send" | "cancel" | "unschedule" | "delete" | "archive" | "unarchive";
/** The actions asked for again in a dialog before they run. */
type Confirmable = "send" | "cancel" | "unschedule" | "delete";

/** How each action (but delete, which leaves the page) runs and what it says when done. */
const ACTIONS: Record<Exclude<Action, "delete">, { run: (siteId: string, id: string) => Promise<NotificationRecord>; done: string }> = {
  send: { run: api.sendNotification, done: "Sending started" },
  cancel: { run: api.cancelNotification, done: "Scheduled send cancelled" },
  unschedule: { run: api.unscheduleNotification, done: "Moved back to drafts" },
  archive: { run: api.archiveNotification, done: "Archived: it is left out of the list, under Show archived" },
  unarchive: { run: api.unarchiveNotification, done: "Back in the notifications list" },
};
const CONFIRMS: Record<"cancel" | "unschedule", { title: string; text: string }> = {
  cancel: { title: "Cancel the scheduled send?", text: "will not be sent. It stays listed as cancelled." },
  unschedule: { title: "Move back to drafts?", text: "will not go out at its scheduled time. It becomes a draft you can edit, send or schedule again." },
};
const CONFIRM_BUTTONS: Record<Confirmable, string> = { send: "Send now", cancel: "Cancel send", unschedule: "Move to drafts", delete: "Delete" };

export default function NotificationDetail() {
  const site = currentSite.value!;
  const { params } = useRoute();
  const { route } = useLocation();
  const id = params.notificationId!;
  const res = useResource(() => api.notification(site.id, id) as Promise<CampaignRecord>, [site.id, id]);
  const n = res.data;
  const multi = !!n && hasOtherChannels(n);
  const { stats, live, error: statsError } = useLiveStats(site.id, n, multi);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [confirm, setConfirm] = useState<Confirmable | null>(null);
  const [audience, setAudience] = useState<number | null>(null);
  useEffect(() => {
    setAudience(null);
    if (confirm === "send" && n) api.audienceCount(site.id, n.target).then((r) => setAudience(r.count)).catch(() => {});
  }, [confirm]);

  // Re-read the notification once the live counters account for every targeted subscriber
  // (sending → completed); scheduled and sending ones are also re-read every 30 s, to notice a
  // start, or an end the counters cannot show (subscribers gone between plan and send).
  const settled = n?.status === "sending" && !!stats?.targeted && (stats.sent ?? 0) + (stats.failed ?? 0) + (stats.pruned ?? 0) >= stats.targeted;
  useEffect(() => {
    if (settled) api.notification(site.id, id).then(res.set).catch(() => {});
  }, [settled]);
  useEffect(() => {
    if (n?.status !== "scheduled" && n?.status !== "sending") return;
    // Per-channel counts come from the API only: re-read often while a multi-channel send runs.
    const every = multi && n.status === "sending" ? POLL_MS : POLL_MS * 10;
    const t = setInterval(() => api.notification(site.id, id).then(res.set).catch(() => {}), every);
    return () => clearInterval(t);
  }, [n?.status, multi]);

  const act = async (kind: Action) => {
    setBusy(kind);
    setActionError(null);
    try {
      if (kind === "delete") {
        await api.deleteNotification(site.id, id);
        toast(deleteWording(n!).done);
        return route(`/sites/${site.id}/notifications`);
      }
      res.set(await ACTIONS[kind].run(site.id, id));
      toast(ACTIONS[kind].done);
      setConfirm(null);
    } catch (e) {
      setActionError(toApiError(e));
      setConfirm(null);
    } finally {
      setBusy(null);
    }
  };

  if (res.loading && !n) return <Loading label="Loading notification…" />;
  if (res.error && !n) return <div class="page"><ErrorState error={res.error} retry={res.reload} what="this notification" /></div>;
  if (!n) return null;
  const s = stats ?? {};
  const failures = Object.entries(s.failed_by_reason ?? {}).sort((a, b) => b[1] - a[1]);
  const tz = site.settings.timezone;

  const channels = campaignChannels(n);
  const pushOn = channels.includes("web_push");
  const may = notificationActions(n);
  const listUrl = `/sites/${site.id}/notifications${n.archived_at ? "?archived=1" : ""}`;
  const confirmText = confirm && confirm !== "send" ? (confirm === "delete" ? deleteWording(n) : CONFIRMS[confirm]) : null;

  return (
    <div class="page">
      <PageHeader title={n.title || "Untitled notification"}
        subtitle={<><a href={listUrl}>← Notifications</a> · <Badge>{n.status}</Badge>{n.archived_at && <> <Badge tone="grey">archived</Badge></>}{live && <span class="live-dot"> Live</span>}</>}
        actions={<>
          {may.send && <Button variant="primary" onClick={() => setConfirm("send")}>Send now…</Button>}
          {may.cancel && <Button variant="danger" onClick={() => setConfirm("cancel")}>Cancel schedule</Button>}
          {may.unschedule && <Button onClick={() => setConfirm("unschedule")}>Move to drafts…</Button>}
          {may.edit && <a class="btn btn-secondary btn-md" href={`/sites/${site.id}/compose?draft=${n.id}`}>Edit draft</a>}
          {may.unarchive && <Button onClick={() => act("unarchive")} busy={busy === "unarchive"}>Unarchive</Button>}
          {may.archive && <Button onClick={() => act("archive")} busy={busy === "archive"}>Archive</Button>}
          {may.delete && <Button variant="ghost" onClick={() => setConfirm("delete")}>{n.status === "draft" ? "Delete draft" : "Delete"}</Button>}
        </>} />
      {actionError && (
        <Alert>
          {actionError.message}
          {actionError.code === "channel_not_configured" && <> <a href={`/sites/${site.id}/integrations`}>Open Integrations</a>{may.edit && <>, or <a href={`/sites/${site.id}/compose?draft=${n.id}`}>edit the draft</a> to leave that channel out</>}.</>}
        </Alert>
      )}
      {n.archived_at && (
        <Alert tone="info">Archived {fmtDate(n.archived_at, tz)}. It is left out of the notifications list; its statistics are kept.</Alert>
      )}
      {n.status === "scheduled" && (validMs(n.scheduled_at) !== null
        ? <Alert tone="info">Scheduled for {fmtDate(n.scheduled_at, tz)} ({tz}).</Alert>
        : <Alert tone="warn" title="Its send date cannot be read">This notification is scheduled, but its date is not a real date. Cancel the schedule, then send it again from a new notification.</Alert>)}
      {n.ab_test && n.status !== "draft" && <AbResults n={n} onChange={res.reload} />}
      {multi && n.started_at != null && (
        <section class="chan-cards" aria-label="Channels">
          {channels.map((c) => n.channels?.[c] && <ChannelCard key={c} channel={c} s={n.channels[c]!} />)}
        </section>
      )}
      {n.status !== "draft" && pushOn && (
        <>
          {multi && <h2>Web push</h2>}
          <div class="stats-grid">
            <Stat label="Targeted" value={fmtInt(s.targeted ?? null)} />
            <Stat label="Sent" value={fmtInt(s.sent ?? null)} sub={s.failed ? `${fmtInt(s.failed)} failed` : undefined} />
            <Stat label="Shown" value={fmtInt(s.impressions ?? null)} sub={s.dismissals ? `${fmtInt(s.dismissals)} dismissed` : undefined} />
            <Stat label="Clicks" value={fmtInt(s.clicks ?? null)} sub={`CTR ${fmtPct(s.ctr ?? null)}`} />
            <Stat label="Value" value={fmtMoney((s.clicks ?? 0) * site.settings.value_per_click, site.settings.currency)} sub={`${fmtMoney(site.settings.value_per_click, site.settings.currency)} per click`} />
          </div>
          {statsError && !statsError.missingRoute && <Alert tone="warn">Live numbers unavailable: {statsError.message}</Alert>}
          <div class="grid-2">
            <Card title="Funnel"><Funnel s={s} /></Card>
            <Card title="Failures by reason">
              {failures.length === 0 ? <p class="muted">No failed deliveries{s.pruned ? `; ${fmtInt(s.pruned)} expired subscriptions were removed` : ""}.</p> : (
                <table class="table table-compact table-fit">
                  <thead><tr><th scope="col">Reason</th><th scope="col" class="num">Subscribers</th></tr></thead>
                  <tbody>{failures.map(([r, c]) => <tr key={r}><td>{failureLabel(r)}</td><td class="num">{fmtInt(c)}</td></tr>)}</tbody>
                </table>
              )}
              {failures.length > 0 && !!s.pruned && <p class="muted small pruned-note">{fmtInt(s.pruned)} expired subscriptions were removed from your list.</p>}
            </Card>
          </div>
        </>
      )}
      {n.status !== "draft" && n.status !== "scheduled" && pushOn && <Timeline siteId={site.id} n={n} multi={multi} />}
      <Card title="Content">
        <dl class="kv">
          {multi && <><dt>Channels</dt><dd>{channelList(channels)}</dd></>}
          <dt>{pushOn ? "Title" : "Name"}</dt><dd>{n.title || "—"}</dd>
          {n.scheduled_at != null && <><dt>Scheduled for</dt><dd>{fmtDate(n.scheduled_at, tz)}</dd></>}
          {n.local_delivery && <><dt>Local time</dt><dd>{n.local_delivery.time} on each subscriber's own clock{n.local_delivery.date ? `, on ${n.local_delivery.date}` : ""}</dd></>}
          {n.body && <><dt>Message</dt><dd>{n.body}</dd></>}
          {n.url && <><dt>Link</dt><dd><a href={n.url} target="_blank" rel="noopener noreferrer">{n.url}</a></dd></>}
          {n.actions?.length ? <><dt>Buttons</dt><dd>{n.actions.map((a) => a.title).join(", ")}</dd></> : null}
          <ChannelContentRows n={n} channels={channels} />
          <dt>Audience</dt><dd>{describeTarget(n.target)}</dd>
          {pushOn && <><dt>Urgency / TTL</dt><dd>{n.urgency ?? "normal"} · {fmtDuration(n.ttl ?? site.settings.default_ttl_s)}</dd></>}
          <dt>Created</dt><dd>{fmtDate(n.created_at, tz)}</dd>
          {n.started_at && <><dt>Started</dt><dd>{fmtDate(n.started_at, tz)}</dd></>}
          {n.completed_at && <><dt>Completed</dt><dd>{fmtDate(n.completed_at, tz)}</dd></>}
        </dl>
      </Card>
      <Dialog open={confirm !== null} onClose={() => setConfirm(null)}
        title={confirm === "send" ? "Send this notification now?" : confirmText?.title ?? ""}
        actions={<>
          <Button onClick={() => setConfirm(null)}>Keep it</Button>
          <Button variant={confirm === "send" || confirm === "unschedule" ? "primary" : "danger"} busy={busy === confirm} onClick={() => confirm && act(confirm)}>
            {confirm === "send" ? (audience == null ? "Send now" : `Send to ${fmtInt(audience)}`) : confirm ? CONFIRM_BUTTONS[confirm] : ""}
          </Button>
        </>}>
        <p>“{n.title}”{confirm === "send" ? <> will be delivered right away{pushOn && <> to <strong>{audience == null ? "its audience" : `${fmtInt(audience)} subscriber${audience === 1 ? "" : "s"}`}</strong> by web push</>}{multi && <>{pushOn ? ", and" : ""} by <strong>{channelList(channels.filter((c) => c !== "web_push"))}</strong> to each user in the audience with an address for it</>}.</> : ` ${confirmText?.text ?? ""}`}</p>
      </Dialog>
    </div>
  );
}

/** An email body can be long: the page shows its start. */
const clip = (s: string, max = 280) => (s.length > max ? `${s.slice(0, max)}…` : s);

/** What the campaign says on each channel beside web push, one line each. */
function ChannelContentRows({ n, channels }: { n: CampaignRecord; channels: ChannelId[] }) {
  const cc = n.channel_content ?? {};
  const line = (c: ChannelId): string | null => {
    if (c === "email" && cc.email) return `${cc.email.subject}${cc.email.text ? ` — ${cc.email.text}` : cc.email.html ? " (HTML)" : ""}`;
    if (c === "sms" && cc.sms) return cc.sms.text;
    if (c === "whatsapp" && cc.whatsapp) return cc.whatsapp.text ?? `Approved template ${cc.whatsapp.content_sid}`;
    if (c === "fcm" && cc.fcm) return `${cc.fcm.title}${cc.fcm.body ? ` — ${cc.fcm.body}` : ""}`;
    return null;
  };
  return (
    <>
      {channels.filter((c) => c !== "web_push").map((c) => (
        <Fragment key={c}><dt>{CHANNEL_LABELS[c]}</dt><dd style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{clip(line(c) ?? "—")}</dd></Fragment>
      ))}
    </>
  );
}
