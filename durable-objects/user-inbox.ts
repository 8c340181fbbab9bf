// One user's in-app inbox (issue #9 §1–2): one object per (site, user), named
// `${siteId}:${externalId}`, holding the items in its SQLite storage with their seen / read /
// archived state, the exact counts beside them, and a change log for clients that reconnect.
//
// - Exactly once: an item's id is the notification's id, inserted with `on conflict do nothing`
//   (and refused when a tombstone says the user deleted it), so a redelivered queue message, a
//   retried batch or a duplicate send all leave one item.
// - Exact counts: total / unread / unseen over non-archived items live in `meta` and change in the
//   same transactionSync as the item they count, so no interleaving can make them drift (the
//   object runs one call at a time; `recount()` checks them against COUNT(*)).
// - Change log: every change bumps `seq` and stamps the item with it; a deletion leaves a
//   tombstone (id, seq). `resume(seq)` answers every item and tombstone after seq — or
//   `complete: false` when tombstones it would need were already pruned (INBOX_TOMBSTONES_KEPT).
// - Real time: the Worker authenticates the browser and forwards the WebSocket upgrade here; the
//   hibernation API keeps idle sockets without keeping the object in memory, and a ping is
//   answered by the runtime without waking it. Every change is pushed to every socket.
// - Retention: an alarm once a day deletes items older than the site's inbox_retention_days,
//   which arrives with every deliver call (stored, so the alarm reads nothing outside).
import { DurableObject } from "cloudflare:workers";
import {
  INBOX_CLOSE_TOO_MANY,
  INBOX_MAX_SOCKETS_PER_USER,
  INBOX_RESUME_MAX_CHANGES,
  INBOX_RETENTION_CHUNK,
  INBOX_RETENTION_DAYS_DEFAULT,
  INBOX_RETENTION_SWEEP_MS,
  INBOX_STREAM_MAX_ITEMS,
  INBOX_TOMBSTONES_KEPT,
} from "../workers/config";
import type { InboxAction, InboxClientEvent, InboxCounts, InboxItem, InboxServerEvent, Presence } from "../workers/contracts/inbox";

/** What a send writes into the inbox (the service fills it from the notification). */
export interface InboxDelivery {
  id: string;
  title: string;
  body: string | null;
  url: string | null;
  icon: string | null;
  category: string | null;
  tags: string[];
  data: Record<string, unknown> | null;
  created_at: number;
}

/** A list page's position: the last item of the previous page (newest first). */
export interface InboxPosition {
  created_at: number;
  id: string;
}

export interface InboxListOptions {
  after?: InboxPosition;
  limit: number;
  category?: string;
  tag?: string;
  /** true: unread only; false: read only; undefined: both. */
  unread?: boolean;
  /** true: archived only; false (default): not archived. */
  archived: boolean;
}

export interface InboxActResult {
  /** Each id's item after the action (null: deleted now, or not there). */
  items: Array<{ id: string; found: boolean; item: InboxItem | null }>;
  counts: InboxCounts;
}

type ItemRow = {
  id: string;
  title: string;
  body: string | null;
  url: string | null;
  icon: string | null;
  category: string | null;
  tags: string;
  data: string | null;
  created_at: number;
  seen_at: number | null;
  read_at: number | null;
  archived_at: number | null;
  seq: number;
};

/** What a socket carries through hibernation. */
interface SocketAttachment {
  connectedAt: number;
}

const META_KEYS = ["total", "unread", "unseen", "seq", "retention_days", "last_seen_at", "tombstones_pruned_through"] as const;
type MetaKey = (typeof META_KEYS)[number];

const asItem = (r: ItemRow): InboxItem => ({
  id: r.id,
  title: r.title,
  body: r.body,
  url: r.url,
  icon: r.icon,
  category: r.category,
  tags: JSON.parse(r.tags) as string[],
  data: r.data === null ? null : (JSON.parse(r.data) as Record<string, unknown>),
  created_at: r.created_at,
  seen_at: r.seen_at,
  read_at: r.read_at,
  archived_at: r.archived_at,
  seq: r.seq,
});

export class UserInbox extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.createTables();
    // Pings are answered by the runtime itself: a hibernated object is not woken for them.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(JSON.stringify({ type: "ping" }), JSON.stringify({ type: "pong" })));
  }

  // ─── Storage helpers ───────────────────────────────────────────────────────

  private createTables(): void {
    // `archived` mirrors archived_at (0/1) so the list paths have a plain index to walk.
    this.sql.exec(`
      create table if not exists items (
        id text primary key, title text not null, body text, url text, icon text, category text,
        tags text not null default '[]', data text, created_at integer not null,
        seen_at integer, read_at integer, archived_at integer, archived integer not null default 0, seq integer not null);
      create index if not exists items_list on items (archived, created_at desc, id desc);
      create index if not exists items_category on items (category, archived, created_at desc, id desc);
      create index if not exists items_created on items (created_at);
      create index if not exists items_seq on items (seq);
      create table if not exists item_tags (item_id text not null, tag text not null, primary key (item_id, tag));
      create table if not exists tombstones (id text primary key, seq integer not null);
      create index if not exists tombstones_seq on tombstones (seq);
      create table if not exists meta (key text primary key, value integer);
    `);
  }

  private meta(key: MetaKey): number | null {
    const row = this.sql.exec<{ value: number | null }>("select value from meta where key = ?", key).toArray()[0];
    return row?.value ?? null;
  }

  private setMeta(key: MetaKey, value: number | null): void {
    this.sql.exec("insert into meta (key, value) values (?1, ?2) on conflict (key) do update set value = ?2", key, value);
  }

  private addCounts(d: { total?: number; unread?: number; unseen?: number }): void {
    for (const k of ["total", "unread", "unseen"] as const) if (d[k]) this.setMeta(k, (this.meta(k) ?? 0) + d[k]);
  }

  private nextSeq(): number {
    const seq = (this.meta("seq") ?? 0) + 1;
    this.setMeta("seq", seq);
    return seq;
  }

  private row(id: string): ItemRow | undefined {
    return this.sql.exec<ItemRow>("select * from items where id = ?", id).toArray()[0];
  }

  private currentCounts(): InboxCounts {
    return { total: this.meta("total") ?? 0, unread: this.meta("unread") ?? 0, unseen: this.meta("unseen") ?? 0 };
  }

  /** What a non-archived item adds to the counts. */
  private static weight(r: Pick<ItemRow, "read_at" | "seen_at">, sign: 1 | -1) {
    return { total: sign, unread: r.read_at === null ? sign : 0, unseen: r.seen_at === null ? sign : 0 };
  }

  private tombstone(id: string, seq: number): void {
    this.sql.exec("insert into tombstones (id, seq) values (?1, ?2) on conflict (id) do update set seq = ?2", id, seq);
  }

  /** Keeps the newest INBOX_TOMBSTONES_KEPT tombstones; remembers the newest pruned seq, so a
   *  resume from before it knows it cannot be complete. */
  private pruneTombstones(): void {
    const cut = this.sql
      .exec<{ seq: number }>("select seq from tombstones order by seq desc limit 1 offset ?", INBOX_TOMBSTONES_KEPT)
      .toArray()[0];
    if (!cut) return;
    this.sql.exec("delete from tombstones where seq <= ?", cut.seq);
    this.setMeta("tombstones_pruned_through", Math.max(cut.seq, this.meta("tombstones_pruned_through") ?? 0));
  }

  // ─── RPC ───────────────────────────────────────────────────────────────────

  /** Writes a send's item unless it is already here (or the user deleted it). The site's retention
   *  comes along so the alarm needs nothing else. */
  async deliver(item: InboxDelivery, retentionDays: number = INBOX_RETENTION_DAYS_DEFAULT): Promise<{ created: boolean; item: InboxItem | null; counts: InboxCounts }> {
    const result = this.ctx.storage.transactionSync(() => {
      if (this.meta("retention_days") !== retentionDays) this.setMeta("retention_days", retentionDays);
      const existing = this.row(item.id);
      if (existing) return { created: false, item: asItem(existing) };
      if (this.sql.exec("select 1 from tombstones where id = ?", item.id).toArray().length) return { created: false, item: null };
      const seq = this.nextSeq();
      this.sql.exec(
        "insert into items (id, title, body, url, icon, category, tags, data, created_at, seq) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        item.id,
        item.title,
        item.body,
        item.url,
        item.icon,
        item.category,
        JSON.stringify(item.tags),
        item.data === null ? null : JSON.stringify(item.data),
        item.created_at,
        seq,
      );
      for (const tag of new Set(item.tags)) this.sql.exec("insert into item_tags (item_id, tag) values (?, ?)", item.id, tag);
      this.addCounts({ total: 1, unread: 1, unseen: 1 });
      return { created: true, item: asItem(this.row(item.id)!) };
    });
    const counts = this.currentCounts();
    if (result.created) {
      this.broadcast({ type: "item.created", item: result.item!, counts, seq: result.item!.seq });
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + INBOX_RETENTION_SWEEP_MS);
    }
    return { ...result, counts };
  }

  async list(o: InboxListOptions): Promise<{ items: InboxItem[]; next: InboxPosition | null; counts: InboxCounts }> {
    const where = ["archived = ?"];
    const args: unknown[] = [o.archived ? 1 : 0];
    if (o.category !== undefined) (where.push("category = ?"), args.push(o.category));
    if (o.unread === true) where.push("read_at is null");
    if (o.unread === false) where.push("read_at is not null");
    if (o.tag !== undefined) (where.push("exists (select 1 from item_tags t where t.item_id = items.id and t.tag = ?)"), args.push(o.tag));
    if (o.after) (where.push("(created_at < ? or (created_at = ? and id < ?))"), args.push(o.after.created_at, o.after.created_at, o.after.id));
    const rows = this.sql
      .exec<ItemRow>(`select * from items where ${where.join(" and ")} order by created_at desc, id desc limit ?`, ...args, o.limit + 1)
      .toArray();
    const page = rows.slice(0, o.limit);
    const last = page[page.length - 1];
    return { items: page.map(asItem), next: rows.length > o.limit && last ? { created_at: last.created_at, id: last.id } : null, counts: this.currentCounts() };
  }

  async get(id: string): Promise<InboxItem | null> {
    const r = this.row(id);
    return r ? asItem(r) : null;
  }

  async counts(): Promise<InboxCounts> {
    return this.currentCounts();
  }

  /** The counts as COUNT(*) finds them: what the kept counts must always equal (tests, checks). */
  async recount(): Promise<InboxCounts> {
    const r = this.sql
      .exec<InboxCounts>(
        "select count(*) as total, coalesce(sum(read_at is null), 0) as unread, coalesce(sum(seen_at is null), 0) as unseen from items where archived = 0",
      )
      .toArray()[0]!;
    return { total: r.total, unread: r.unread, unseen: r.unseen };
  }

  /** Applies one action to up to INBOX_BATCH_MAX items; a change that changes nothing (reading a
   *  read item) is not a change: no seq, no push. */
  async act(ids: string[], action: InboxAction, now: number = Date.now()): Promise<InboxActResult> {
    const events: InboxServerEvent[] = [];
    const items = this.ctx.storage.transactionSync(() => {
      const results = [...new Set(ids)].map((id) => {
        const before = this.row(id);
        if (!before) return { id, found: false, item: null };
        const change = this.apply(before, action, now);
        if (!change) return { id, found: true, item: asItem(before) };
        if (change === "deleted") {
          events.push({ type: "item.deleted", id, counts: this.currentCounts(), seq: this.meta("seq")! });
          return { id, found: true, item: null };
        }
        const item = asItem(change);
        events.push({ type: "item.updated", item, counts: this.currentCounts(), seq: item.seq });
        return { id, found: true, item };
      });
      if (action === "delete") this.pruneTombstones();
      return results;
    });
    for (const e of events) this.broadcast(e);
    return { items, counts: this.currentCounts() };
  }

  /** One action on one item inside the caller's transaction: the row after it, "deleted", or null
   *  when nothing changed. Counts move with the item. */
  private apply(r: ItemRow, action: InboxAction, now: number): ItemRow | "deleted" | null {
    const live = r.archived_at === null;
    let patch: Partial<Pick<ItemRow, "read_at" | "seen_at" | "archived_at">>;
    switch (action) {
      case "read":
        if (r.read_at !== null) return null;
        patch = { read_at: now, seen_at: r.seen_at ?? now }; // reading it is seeing it
        break;
      case "unread":
        if (r.read_at === null) return null;
        patch = { read_at: null };
        break;
      case "seen":
        if (r.seen_at !== null) return null;
        patch = { seen_at: now };
        break;
      case "archive":
        if (!live) return null;
        patch = { archived_at: now };
        break;
      case "unarchive":
        if (live) return null;
        patch = { archived_at: null };
        break;
      case "delete": {
        const seq = this.nextSeq();
        this.sql.exec("delete from items where id = ?", r.id);
        this.sql.exec("delete from item_tags where item_id = ?", r.id);
        this.tombstone(r.id, seq);
        if (live) this.addCounts(UserInbox.weight(r, -1));
        return "deleted"; // the caller prunes tombstones once, after all its deletions
      }
    }
    const after: ItemRow = { ...r, ...patch, seq: this.nextSeq() };
    this.sql.exec(
      "update items set read_at = ?, seen_at = ?, archived_at = ?, archived = ?, seq = ? where id = ?",
      after.read_at,
      after.seen_at,
      after.archived_at,
      after.archived_at === null ? 0 : 1,
      after.seq,
      r.id,
    );
    const liveAfter = after.archived_at === null;
    if (live) this.addCounts(UserInbox.weight(r, -1));
    if (liveAfter) this.addCounts(UserInbox.weight(after, 1));
    return after;
  }

  /** Marks every unread, non-archived item read (of one category, when given). */
  async readAll(category?: string, now: number = Date.now()): Promise<{ updated: number; counts: InboxCounts }> {
    const changed = this.ctx.storage.transactionSync(() => {
      const rows = this.sql
        .exec<ItemRow>(`select * from items where archived = 0 and read_at is null${category === undefined ? "" : " and category = ?"} order by seq`, ...(category === undefined ? [] : [category]))
        .toArray();
      return rows.map((r) => this.apply(r, "read", now) as ItemRow);
    });
    this.announce(changed.map((r) => ({ type: "item.updated", item: asItem(r), seq: r.seq })));
    return { updated: changed.length, counts: this.currentCounts() };
  }

  /** Every change after `seq` (items changed, items deleted), oldest first, and the counts. */
  async resume(seq: number): Promise<Extract<InboxServerEvent, { type: "resumed" }>> {
    const current = this.meta("seq") ?? 0;
    const counts = this.currentCounts();
    const prunedThrough = this.meta("tombstones_pruned_through") ?? 0;
    if (seq > current) return { type: "resumed", changes: [], counts, seq: current, complete: false }; // not this inbox's seq
    if (seq < prunedThrough) return { type: "resumed", changes: [], counts, seq: current, complete: false };
    const items = this.sql.exec<ItemRow>("select * from items where seq > ? order by seq limit ?", seq, INBOX_RESUME_MAX_CHANGES + 1).toArray();
    const gone = this.sql.exec<{ id: string; seq: number }>("select id, seq from tombstones where seq > ? order by seq limit ?", seq, INBOX_RESUME_MAX_CHANGES + 1).toArray();
    if (items.length + gone.length > INBOX_RESUME_MAX_CHANGES) return { type: "resumed", changes: [], counts, seq: current, complete: false };
    const changes = [...items.map((r) => ({ at: r.seq, change: { item: asItem(r) } })), ...gone.map((t) => ({ at: t.seq, change: { deleted: t.id, seq: t.seq } }))]
      .sort((a, b) => a.at - b.at)
      .map((c) => c.change);
    return { type: "resumed", changes, counts, seq: current, complete: true };
  }

  async presence(): Promise<Presence> {
    const connections = this.ctx.getWebSockets().length;
    return { online: connections > 0, connections, last_seen_at: connections > 0 ? Date.now() : this.meta("last_seen_at") };
  }

  /** Every item, newest first (the user's GDPR export). */
  async dump(): Promise<InboxItem[]> {
    return this.sql.exec<ItemRow>("select * from items order by created_at desc, id desc").toArray().map(asItem);
  }

  /** GDPR erasure of the user: every item, the log and the alarm; open sockets are closed. */
  async erase(): Promise<void> {
    for (const ws of this.ctx.getWebSockets()) ws.close(1000, "The user was erased.");
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.createTables(); // the instance lives on: an erased user is an empty inbox, not a broken one
  }

  // ─── Retention ─────────────────────────────────────────────────────────────

  /** Deletes items older than the site's retention (a chunk at a time) and tells the sockets;
   *  comes back at once while older items remain, else tomorrow (or never, once empty). */
  override async alarm(): Promise<void> {
    const days = this.meta("retention_days") ?? INBOX_RETENTION_DAYS_DEFAULT;
    const before = Date.now() - days * 24 * 3600 * 1000;
    const deleted = this.ctx.storage.transactionSync(() => {
      const rows = this.sql.exec<ItemRow>("select * from items where created_at < ? order by created_at limit ?", before, INBOX_RETENTION_CHUNK).toArray();
      const events = rows.map((r) => (this.apply(r, "delete", Date.now()), { id: r.id, seq: this.meta("seq")! }));
      this.pruneTombstones();
      return events;
    });
    this.announce(deleted.map((d) => ({ type: "item.deleted", id: d.id, seq: d.seq })));
    const more = deleted.length === INBOX_RETENTION_CHUNK;
    const any = this.sql.exec("select 1 from items limit 1").toArray().length > 0;
    if (more) await this.ctx.storage.setAlarm(Date.now());
    else if (any) await this.ctx.storage.setAlarm(Date.now() + INBOX_RETENTION_SWEEP_MS);
  }

  // ─── WebSocket ─────────────────────────────────────────────────────────────

  /** WebSocket upgrade, already authenticated by the Worker (services/inbox). */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket upgrade", { status: 426 });
    const open = this.ctx.getWebSockets();
    if (open.length >= INBOX_MAX_SOCKETS_PER_USER) {
      const byAge = open.map((ws) => ({ ws, at: (ws.deserializeAttachment() as SocketAttachment | null)?.connectedAt ?? 0 })).sort((a, b) => a.at - b.at);
      for (const { ws } of byAge.slice(0, open.length - INBOX_MAX_SOCKETS_PER_USER + 1)) {
        ws.close(INBOX_CLOSE_TOO_MANY, `Too many open connections for this user (${INBOX_MAX_SOCKETS_PER_USER}): the oldest was closed.`);
      }
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const now = Date.now();
    server.serializeAttachment({ connectedAt: now } satisfies SocketAttachment);
    this.setMeta("last_seen_at", now);
    server.send(JSON.stringify({ type: "counts", counts: this.currentCounts(), seq: this.meta("seq") ?? 0 } satisfies InboxServerEvent));
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    let msg: Partial<InboxClientEvent>;
    try {
      msg = JSON.parse(typeof message === "string" ? message : new TextDecoder().decode(message));
    } catch {
      return; // not ours to answer
    }
    if (msg?.type === "resume" && typeof msg.seq === "number" && Number.isSafeInteger(msg.seq) && msg.seq >= 0) {
      ws.send(JSON.stringify(await this.resume(msg.seq)));
    } else if (msg?.type === "ping") ws.send(JSON.stringify({ type: "pong" }));
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.setMeta("last_seen_at", Date.now());
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closing");
    } catch {
      /* already closed */
    }
  }

  override async webSocketError(): Promise<void> {
    this.setMeta("last_seen_at", Date.now());
  }

  /** Pushes item events with the counts after them — or, for a change too large to stream, one
   *  `resumed` with complete: false (the client reloads its list). */
  private announce(events: Array<{ type: "item.updated"; item: InboxItem; seq: number } | { type: "item.deleted"; id: string; seq: number }>): void {
    if (!events.length || !this.ctx.getWebSockets().length) return;
    const counts = this.currentCounts();
    if (events.length > INBOX_STREAM_MAX_ITEMS) {
      this.broadcast({ type: "resumed", changes: [], counts, seq: this.meta("seq") ?? 0, complete: false });
      return;
    }
    // Counts are those after the whole change: intermediate ones would only flicker.
    for (const e of events) this.broadcast({ ...e, counts } as InboxServerEvent);
  }

  private broadcast(event: InboxServerEvent): void {
    const sockets = this.ctx.getWebSockets();
    if (!sockets.length) return;
    const text = JSON.stringify(event);
    for (const ws of sockets) {
      try {
        ws.send(text);
      } catch {
        /* a socket closing under us; its close handler cleans up */
      }
    }
  }
}
