// Site overview: headline numbers and 30-day charts from /analytics/overview. Until the
// site has data (or the analytics API is deployed) it shows what to do next instead.
import { useMemo } from "preact/hooks";
import { api } from "../../api";
import { LineChart } from "../../components/LineChart";
import { Alert, Badge, Card, Empty, ErrorState, Loading, PageHeader, Stat } from "../../components/ui";
import { fmtCompact, fmtInt, fmtMoney, fmtPct, hostOf } from "../../lib/format";
import { msToWallClock } from "../../lib/timezone";
import { useResource } from "../../lib/use-resource";
import { can, currentSite } from "../../state/sites";

const DAY_MS = 86_400_000;
const RANGE_DAYS = 30;

/**
 * Before the analytics API is deployed: the numbers the other endpoints already give
 * (active subscribers, recent notifications) instead of an empty page.
 */
function WithoutAnalytics() {
  const site = currentSite.value!;
  const res = useResource(async () => {
    const [audience, recent] = await Promise.all([
      api.audienceCount(site.id, { all: true }).catch(() => null),
      api.notifications(site.id, { limit: 5 }).catch(() => null),
    ]);
    return { active: audience?.count ?? null, recent: recent?.data ?? [] };
  }, [site.id]);
  if (!res.data) return <Loading label="Loading…" />;
  const { active, recent } = res.data;
  const sent = recent.filter((n) => n.stats && n.stats.sent);
  return (
    <>
      <div class="stats-grid">
        <Stat label="Active subscribers" value={fmtInt(active)} sub="right now" />
        <Stat label="Recent notifications" value={fmtInt(recent.length)} sub={`${sent.length} sent`} />
        <Stat label="Value per click" value={fmtMoney(site.settings.value_per_click, site.settings.currency)} sub="from settings" />
      </div>
      {recent.length > 0 && (
        <Card title="Latest notifications" actions={<a href={`/sites/${site.id}/notifications`}>All notifications →</a>}>
          <ul class="recent">
            {recent.map((n) => (
              <li key={n.id}>
                <a href={`/sites/${site.id}/notifications/${n.id}`}>{n.title}</a>
                <Badge>{n.status}</Badge>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Alert tone="info" title="Charts are on their way">30-day subscriber and engagement charts appear here once analytics are enabled on this server.</Alert>
      {active === 0 && (
        <Empty title="No subscribers yet" action={<a class="btn btn-primary btn-md" href={`/sites/${site.id}/install`}>Install Herald on your site</a>}>
          Once visitors accept notifications on your site, they are counted here.
        </Empty>
      )}
    </>
  );
}

export default function Overview() {
  const site = currentSite.value!;
  const res = useResource(() => {
    const tz = site.settings.timezone;
    const now = Date.now();
    const day = (ms: number) => msToWallClock(ms, tz).slice(0, 10);
    return api.overview(site.id, day(now - (RANGE_DAYS - 1) * DAY_MS), day(now));
  }, [site.id, site.settings.timezone]);
  const t = res.data?.totals;
  const series = res.data?.series ?? [];
  const dates = useMemo(() => series.map((p) => p.date), [res.data]);
  const charts = useMemo(
    () => ({
      subscribers: [
        { label: "Gained", values: series.map((p) => p.subscribers_gained), color: "#4f46e5", fill: true, format: fmtCompact },
        { label: "Lost", values: series.map((p) => p.subscribers_lost), color: "#e11d48" },
      ],
      engagement: [
        { label: "Impressions", values: series.map((p) => p.impressions), color: "#0ea5e9", fill: true, format: fmtCompact },
        { label: "Clicks", values: series.map((p) => p.clicks), color: "#4f46e5", format: fmtCompact },
      ],
      ctr: [{ label: "CTR", values: series.map((p) => p.ctr), color: "#059669", fill: true, format: fmtPct }],
    }),
    [res.data],
  );

  return (
    <div class="page">
      <PageHeader title={site.name} subtitle={<>Last {RANGE_DAYS} days · <a href={site.url} target="_blank" rel="noopener noreferrer">{hostOf(site.url)}</a></>}
        actions={<>
          <a class="btn btn-secondary btn-md" href={`/sites/${site.id}/install`}>Install</a>
          <a class="btn btn-primary btn-md" href={`/sites/${site.id}/compose`}>New notification</a>
        </>} />
      {site.vapid_warning && <Alert tone="warn" title="Push keys need attention">{site.vapid_warning}</Alert>}
      {res.loading && !res.data && <Loading label="Loading analytics…" />}
      {res.error && (
        res.error.missingRoute ? <WithoutAnalytics /> : <ErrorState error={res.error} retry={res.reload} what="analytics" />
      )}
      {t && (
        <>
          <div class="stats-grid">
            <Stat label="Subscribers" value={fmtInt(t.subscribers_total)} sub={`${fmtInt(t.subscribers_active)} active`} />
            <Stat label="New subscribers" value={fmtInt(t.subscribers_new)} sub={`last ${RANGE_DAYS} days`} />
            <Stat label="Notifications sent" value={fmtInt(t.sends)} sub={`${fmtInt(t.impressions)} shown`} />
            <Stat label="Click-through rate" value={fmtPct(t.ctr)} sub={`${fmtInt(t.clicks)} clicks`} />
            <Stat label="Value" value={fmtMoney(t.value, site.settings.currency)} sub={`${fmtMoney(site.settings.value_per_click, site.settings.currency)} per click`} />
          </div>
          {series.length === 0 || t.subscribers_total === 0 && t.sends === 0 ? (
            <Empty title="No activity yet"
              action={t.subscribers_total === 0
                ? <a class="btn btn-primary btn-md" href={`/sites/${site.id}/install`}>Check your installation</a>
                : can("notifications:write") && <a class="btn btn-primary btn-md" href={`/sites/${site.id}/compose`}>Write your first notification</a>}>
              {t.subscribers_total === 0 ? "Once visitors subscribe on your site, growth shows up here." : "Send a notification to see impressions and clicks."}
            </Empty>
          ) : (
            <div class="charts-grid">
              <Card><LineChart title="Subscribers gained and lost" dates={dates} series={charts.subscribers} integer
                empty={{ text: "New and lost subscribers per day will appear here as visitors subscribe and unsubscribe." }} /></Card>
              <Card><LineChart title="Impressions and clicks" dates={dates} series={charts.engagement} integer
                empty={{ text: "Notifications shown and clicked per day will appear here after your first send." }} /></Card>
              <Card class="span-2"><LineChart title="Click-through rate" dates={dates} series={charts.ctr} height={180}
                empty={{ text: "The share of delivered notifications that were clicked, per day, will appear here once people click." }} /></Card>
            </div>
          )}
        </>
      )}
    </div>
  );
}
