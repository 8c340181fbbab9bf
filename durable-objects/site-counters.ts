// Live counters of one site (one object per site id; one more named "*" holds the
// platform-wide totals behind GET /metrics). D1 rows (deliveries, events) stay the
// source of truth and are written first; the sender and the events endpoint then
// report only rows that were new, so these counters match D1 unless a report is lost.
// Dashboards connect over WebSocket (hibernation API) and get every change pushed.
import { DurableObject } from "cloudflare:workers";

export const COUNTER_NAMES = ["sent", "failed", "pruned", "impressions", "clicks", "dismissals"] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];
export type Counters = Record<CounterName, number> & { failed_by_reason: Record<string, number> };

export interface CounterDelta {
  notificationId: string;
  counts: Partial<Record<CounterName, number>>;
  failedByReason?: Record<string, number>;
}

/** Rows keyed by (scope, name): scope is a notification id, or "*" for the site total. */
const SITE_SCOPE = "*";

export class SiteCounters extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "create table if not exists counters (scope text not null, name text not null, value integer not null, primary key (scope, name))",
    );
  }

  /**
   * Adds a delta to the notification's and the site's counters and pushes both to live
   * dashboards. `totalsOnly` (the platform-wide object behind /metrics) keeps just the totals.
   */
  async record(delta: CounterDelta, totalsOnly = false): Promise<void> {
    const add = (scope: string, name: string, n: number) =>
      this.ctx.storage.sql.exec(
        "insert into counters (scope, name, value) values (?1, ?2, ?3) on conflict (scope, name) do update set value = value + ?3",
        scope,
        name,
        n,
      );
    for (const scope of totalsOnly ? [SITE_SCOPE] : [delta.notificationId, SITE_SCOPE]) {
      for (const [name, n] of Object.entries(delta.counts)) if (n) add(scope, name, n);
      for (const [reason, n] of Object.entries(delta.failedByReason ?? {})) if (n) add(scope, `failed:${reason}`, n);
    }
    if (this.ctx.getWebSockets().length === 0) return; // nobody watching: skip the snapshots
    this.broadcast({ type: "counters", notification_id: delta.notificationId, counters: await this.snapshot(delta.notificationId) });
    this.broadcast({ type: "counters", notification_id: null, counters: await this.snapshot() });
  }

  async snapshot(notificationId: string = SITE_SCOPE): Promise<Counters> {
    const counters: Counters = { sent: 0, failed: 0, pruned: 0, impressions: 0, clicks: 0, dismissals: 0, failed_by_reason: {} };
    for (const row of this.ctx.storage.sql.exec<{ name: string; value: number }>("select name, value from counters where scope = ?", notificationId)) {
      if (row.name.startsWith("failed:")) counters.failed_by_reason[row.name.slice(7)] = row.value;
      else if ((COUNTER_NAMES as readonly string[]).includes(row.name)) counters[row.name as CounterName] = row.value;
    }
    return counters;
  }

  /** WebSocket upgrade (already authenticated and tenant-checked by the Worker). */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket upgrade", { status: 426 });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.send(JSON.stringify({ type: "counters", notification_id: null, counters: await this.snapshot() }));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Clients may ask for one notification's counters: {"type":"watch","notification_id":"ntf_…"}. */
  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    let msg: { type?: string; notification_id?: string };
    try {
      msg = JSON.parse(typeof message === "string" ? message : new TextDecoder().decode(message));
    } catch {
      return;
    }
    if (msg.type === "watch" && typeof msg.notification_id === "string") {
      ws.send(JSON.stringify({ type: "counters", notification_id: msg.notification_id, counters: await this.snapshot(msg.notification_id) }));
    } else if (msg.type === "ping") ws.send(JSON.stringify({ type: "pong" }));
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    ws.close(code === 1005 ? 1000 : code, "closing");
  }

  private broadcast(message: unknown): void {
    const text = JSON.stringify(message);
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(text);
      } catch {
        /* a socket closing under us; the close handler cleans up */
      }
    }
  }
}
