// GET /metrics: Prometheus text exposition (version 0.0.4), behind the METRICS_TOKEN
// bearer secret. Counters come from the platform-wide live counters object; gauges
// (backlog, subscribers, notifications by status) are read from D1 at scrape time.
import { Hono } from "hono";
import { activeSubscribers, notificationsByStatus, sendBacklog } from "../db/queries/analytics";
import { ApiError } from "../errors";
import type { AppEnv } from "../lib/hono";
import { bearerMatches } from "../lib/tokens";
import { PLATFORM_COUNTERS, siteCounters } from "../services/analytics/live";

const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

function family(name: string, type: "counter" | "gauge", help: string, samples: Array<[Record<string, string>, number]>): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const [labels, value] of samples) {
    const l = Object.entries(labels).map(([k, v]) => `${k}="${esc(v)}"`).join(",");
    lines.push(`${name}${l ? `{${l}}` : ""} ${value}`);
  }
  return lines.join("\n");
}

export const metricsRoutes = new Hono<AppEnv>().get("/metrics", async (c) => {
  if (!bearerMatches(c.req.header("Authorization"), c.env.METRICS_TOKEN)) throw new ApiError("unauthorized");
  const { db } = c.var.deps;
  const [counters, active, byStatus, backlog] = await Promise.all([
    siteCounters(c.env, PLATFORM_COUNTERS).snapshot(),
    activeSubscribers(db),
    notificationsByStatus(db),
    sendBacklog(db),
  ]);
  const now = c.var.deps.now();
  const body = [
    family("herald_push_messages_total", "counter", "Push messages by outcome (sent, failed, pruned).", [
      [{ outcome: "sent" }, counters.sent],
      [{ outcome: "failed" }, counters.failed],
      [{ outcome: "pruned" }, counters.pruned],
    ]),
    family("herald_push_failures_total", "counter", "Failed push messages by reason.", Object.entries(counters.failed_by_reason).map(([reason, n]) => [{ reason }, n])),
    family("herald_events_total", "counter", "Engagement events reported by service workers.", [
      [{ type: "impression" }, counters.impressions],
      [{ type: "click" }, counters.clicks],
      [{ type: "dismiss" }, counters.dismissals],
    ]),
    family("herald_subscribers_active", "gauge", "Active push subscribers.", [[{}, active]]),
    family("herald_notifications", "gauge", "Notifications by status.", byStatus.map(({ status, n }) => [{ status }, n])),
    family("herald_send_queue_backlog_batches", "gauge", "Deliver batches not yet done.", [[{}, backlog.pendingBatches]]),
    family("herald_send_queue_lag_seconds", "gauge", "Age of the oldest send still in progress.", [
      [{}, backlog.oldestStartedAt ? Math.max(0, Math.round((now - backlog.oldestStartedAt) / 1000)) : 0],
    ]),
  ].join("\n\n");
  return c.body(`${body}\n`, 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
});
