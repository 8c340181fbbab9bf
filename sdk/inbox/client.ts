// The headless inbox client (issue #9 §5): the end-user API (/api/inbox…, docs/inbox.md) and
// one WebSocket per page, feeding one list model (model.ts) and telling listeners
// `item` (created), `update`, `delete`, `counts`, `connection` (online / offline / polling)
// and `error`. The socket reconnects on backoff.ts's schedule and sends `resume` with the
// highest seq seen, so a tab that was away gets what it missed; after FAILURES_BEFORE_POLLING
// failed connects, or without WebSocket, it also polls the first page (which carries the
// counts) every POLL_INTERVAL_MS until the socket is back.
// Nothing is missed between the first page and the stream: a fresh socket (no seq to resume
// from) first reports the counts at its seq S, and only then is the first page read (a snapshot
// at or after S); every change after S arrives on the socket. The seq to resume from advances
// only with events of a socket that is live (fresh, or past its `resumed`), which arrive in order.
// One read state (§4): an item read, archived or deleted — here or on another tab or device,
// which the socket reports — closes this device's push notification for it.
import type { InboxAction, InboxChangeSchema, InboxCounts, InboxItem, InboxPage, InboxServerEvent } from "../../workers/contracts/inbox";
import type { PreferencesView, UpdatePreferencesInput } from "../../workers/contracts/preferences";
import type { z } from "@hono/zod-openapi";
import { FAILURES_BEFORE_POLLING, POLL_INTERVAL_MS, reconnectDelayMs } from "./backoff";
import { emptyModel, pruneHead, remove, setCounts, upsert } from "./model";

type InboxChange = z.infer<typeof InboxChangeSchema>;
export type Connection = "online" | "offline" | "polling";
export type InboxError = Error & { code: string; fields?: unknown };
export interface Listeners {
  item: InboxItem;
  update: InboxItem;
  delete: string;
  counts: InboxCounts;
  connection: Connection;
  error: InboxError;
}
export type ListQuery = { cursor?: string; limit?: number; category?: string; tag?: string; unread?: boolean; archived?: boolean };

/** What the page SDK (sdk.ts) hands the bundle. */
export interface Host {
  origin: string;
  siteKey: string;
  /** The service worker's scope on the customer's origin (the page SDK's data-scope). */
  scope: string;
  /** The user named by Herald.identify(): read at each call, so logout() takes effect. */
  user(): { external_id?: string | null; external_id_hash?: string };
}

/** A client that heard nothing for this long (ms) — not even the answer to its ping — treats
 *  the socket as dead (a laptop that slept, a proxy that dropped the connection silently). */
const PING_EVERY_MS = 25_000;
const SILENT_LIMIT_MS = 2 * PING_EVERY_MS + 10_000;
/** Closed by the server because the user has too many tabs open (config INBOX_CLOSE_TOO_MANY):
 *  this tab polls instead of knocking another tab off. */
const CLOSE_TOO_MANY = 4008;
/** The first page waits this long (ms) at most for the socket to be live. */
const FIRST_PAGE_WAIT_MS = 3000;

export function inboxError(code: string, message: string, fields?: unknown): InboxError {
  return Object.assign(new Error(message), { code, fields });
}

export type Client = ReturnType<typeof createClient>;

export function createClient(host: Host) {
  let m = emptyModel();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const listeners: Record<string, Set<(v: any) => void>> = {};
  let nextCursor: string | null = null;
  let ws: WebSocket | undefined;
  let attempt = 0;
  let failures = 0;
  let connection: Connection | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pollTimer: ReturnType<typeof setInterval> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let loading: Promise<void> | undefined;
  /** Bumped by restart(): answers to an earlier user's requests are dropped. */
  let generation = 0;
  /** Whether the list has been loaded once (later pages announce new items). */
  let synced = false;
  /** The highest seq of a live socket's in-order events: everything up to it is applied. -1: no
   *  socket has been live yet (the next one starts fresh). */
  let streamSeq = -1;
  /** Lets the first page load go once the socket is live (or cannot be). */
  let socketReady: (() => void) | undefined;

  function emit<K extends keyof Listeners>(type: K, value: Listeners[K]): void {
    listeners[type]?.forEach((fn) => {
      try {
        fn(value);
      } catch (e) {
        console.error(e);
      }
    });
  }

  function credentials() {
    const u = host.user();
    if (!u.external_id || !u.external_id_hash) throw inboxError("not_identified", "Call Herald.identify(userId, userHash) before using the inbox.");
    return { external_id: u.external_id, user_hash: u.external_id_hash };
  }

  async function call<T>(method: string, path: string, body?: object): Promise<T> {
    const c = credentials();
    let res: Response;
    try {
      res = await fetch(host.origin + "/api/inbox" + path, {
        method,
        headers: {
          "X-Herald-Site-Key": host.siteKey,
          "X-Herald-External-Id": c.external_id,
          "X-Herald-User-Hash": c.user_hash,
          ...(body && { "content-type": "application/json" }),
        },
        body: body && JSON.stringify(body),
      });
    } catch {
      throw inboxError("network_error", "Could not reach the notification service. Check your connection and try again.");
    }
    const json = res.status == 204 ? undefined : await res.json().catch(() => undefined);
    if (!res.ok) {
      const e = json?.error ?? {};
      throw inboxError(e.code ?? "http_" + res.status, e.message ?? `The notification service answered ${res.status}. Try again in a moment.`, e.fields);
    }
    return json as T;
  }

  /** Counts from an HTTP answer: they hold as of `seq` when the answer names one, otherwise
   *  only if the socket reported nothing newer while the request was out. */
  function httpCounts(counts: InboxCounts | undefined, countsSeqBefore: number, seq?: number) {
    if (counts && setCounts(m, counts, seq ?? (m.countsSeq == countsSeqBefore ? countsSeqBefore : -2))) emit("counts", m.counts);
  }

  /** `announce` false: an item new to this page's list is not news (a first load, a later page). */
  function applyItem(item: InboxItem, announce = true): void {
    const change = upsert(m, item);
    if (change == "created" && announce) emit("item", item);
    else if (change == "updated" || change == "removed") emit("update", item);
    if (change && (item.read_at != null || item.archived_at != null)) closePush(item.id);
  }
  /** A page of the default view (not archived, no filter); `head`: the first page. */
  function applyPage(page: InboxPage, head: boolean, since: number, announce: boolean): void {
    announce &&= synced;
    synced = true;
    if (head) pruneHead(m, page.items, !!page.next_cursor, since);
    page.items.forEach((item) => applyItem(item, announce));
    // After load more, a fresh first page must not send the cursor back to page 2.
    if (!head || m.items.length <= page.items.length) nextCursor = page.next_cursor;
  }
  function applyDelete(id: string, seq?: number): void {
    if (remove(m, id, seq)) emit("delete", id);
    closePush(id);
  }

  /** Closes the push notification the service worker showed for this item (its tag is
   *  "herald-<notification id>", or data.id when the sender set its own tag). Browsers without
   *  getNotifications, or pages without a registration, have nothing to close. */
  async function closePush(id: string): Promise<void> {
    try {
      const registration = await navigator.serviceWorker?.getRegistration(host.scope);
      for (const n of (await registration?.getNotifications()) ?? []) {
        if (n.tag == "herald-" + id || (n.data as { id?: string } | null)?.id == id) n.close();
      }
    } catch {}
  }

  /** Loads the first page anew and merges it (first load, polls, a resume that was not complete). */
  async function reloadHead(announce: boolean): Promise<void> {
    const since = m.seq;
    const countsSeq = m.countsSeq;
    const gen = generation;
    const page = await call<InboxPage>("GET", "");
    if (gen != generation) return;
    applyPage(page, true, since, announce);
    httpCounts(page.counts, countsSeq);
    emit("counts", m.counts); // listeners redraw the list from items() on counts
  }

  function handle(event: InboxServerEvent): void {
    switch (event.type) {
      case "item.created":
      case "item.updated":
        applyItem(event.item);
        break;
      case "item.deleted":
        applyDelete(event.id, event.seq);
        break;
      case "counts":
        break;
      case "resumed":
        for (const change of event.changes) "item" in change ? applyItem(change.item) : applyDelete(change.deleted, change.seq);
        if (!event.complete) reloadHead(true).catch((e) => emit("error", e));
        break;
      default:
        return; // pong, or an event a newer server added
    }
    if (setCounts(m, event.counts, event.seq)) emit("counts", m.counts);
  }

  function readySocket(): void {
    socketReady?.();
    socketReady = undefined;
  }

  function setConnection(state: Connection): void {
    if (connection != state) emit("connection", (connection = state));
  }

  function poll(): void {
    reloadHead(true).catch((e) => emit("error", e));
  }
  function startPolling(): void {
    readySocket();
    setConnection("polling");
    if (pollTimer) return;
    pollTimer = setInterval(poll, POLL_INTERVAL_MS);
    poll();
  }
  function stopPolling(): void {
    clearInterval(pollTimer);
    pollTimer = undefined;
  }

  function connect(): void {
    clearTimeout(retryTimer);
    if (ws) return;
    if (typeof WebSocket != "function") return startPolling();
    let c;
    try {
      c = credentials();
    } catch {
      return; // logged out: nothing to connect to
    }
    const q = new URLSearchParams({ site_key: host.siteKey, ...c });
    const socket = (ws = new WebSocket(host.origin.replace(/^http/, "ws") + "/api/inbox/ws?" + q));
    let heard = 0;
    /** Resuming: its events count for streamSeq once `resumed` has come. Fresh: from the first. */
    const resuming = streamSeq >= 0;
    let live = false;
    socket.onopen = () => {
      heard = Date.now();
      if (resuming) socket.send(JSON.stringify({ type: "resume", seq: streamSeq }));
      pingTimer = setInterval(() => {
        if (Date.now() - heard > SILENT_LIMIT_MS) return drop(socket);
        socket.send('{"type":"ping"}');
      }, PING_EVERY_MS);
    };
    socket.onmessage = (e) => {
      heard = Date.now();
      attempt = failures = 0;
      stopPolling();
      setConnection("online");
      try {
        const event = JSON.parse(e.data) as InboxServerEvent;
        handle(event);
        if (!live && (!resuming || event.type == "resumed")) {
          live = true;
          // Fresh: the list is read now, after the socket's seq (the first time, start() does).
          if (!resuming) socketReady ? readySocket() : reloadHead(true).catch((err) => emit("error", err));
        }
        if (live && "seq" in event) streamSeq = Math.max(streamSeq, event.seq);
      } catch (err) {
        console.error(err);
      }
    };
    socket.onclose = (e) => drop(socket, e.code);
  }

  /** The socket is gone (closed, failed, or silent): try again later, polling meanwhile when it
   *  keeps failing. */
  function drop(socket: WebSocket, code?: number): void {
    if (ws != socket) return;
    ws = undefined;
    clearInterval(pingTimer);
    socket.onclose = socket.onmessage = null;
    if (socket.readyState < 2) socket.close();
    readySocket();
    if (code == CLOSE_TOO_MANY) return startPolling();
    if (++failures >= FAILURES_BEFORE_POLLING) startPolling();
    else setConnection("offline");
    retryTimer = setTimeout(connect, reconnectDelayMs(attempt++));
  }

  function start(): Promise<void> {
    if (!loading) {
      const gen = generation;
      const ready = new Promise<void>((resolve) => {
        socketReady = resolve;
        setTimeout(resolve, FIRST_PAGE_WAIT_MS);
      });
      connect();
      loading = ready
        .then(() => (gen == generation ? reloadHead(false) : undefined))
        .catch((e) => {
          if (gen == generation) loading = undefined; // the next call tries again
          throw e;
        });
    }
    return loading;
  }

  addEventListener("online", () => {
    attempt = 0;
    if (!ws && loading) connect();
  });

  async function act(id: string, action: InboxAction): Promise<InboxItem | null> {
    const before = m.countsSeq;
    const path = "/" + encodeURIComponent(id) + (action == "delete" ? "" : "/" + action);
    const r = await call<InboxChange>(action == "delete" ? "DELETE" : "POST", path);
    if (action == "delete") applyDelete(id);
    else if (r.item) applyItem(r.item);
    httpCounts(r.counts, before, r.item?.seq);
    return r.item;
  }

  const api = {
    /** Loads the first page and opens the socket; later calls answer the same promise. */
    start,
    /** The items of the inbox as this page knows them, newest first (a copy). */
    items: (): InboxItem[] => m.items.slice(),
    currentCounts: (): InboxCounts => m.counts,
    hasMore: () => nextCursor != null,
    connection: () => connection,

    /** One page of the inbox. Without filters it also joins the list the widget shows. */
    async list(query: ListQuery = {}): Promise<InboxPage> {
      const before = m.countsSeq;
      const since = m.seq;
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v != null) q.set(k, String(v));
      const page = await call<InboxPage>("GET", q + "" ? "?" + q : "");
      if (query.category == null && query.tag == null && query.unread == null && !query.archived && !query.limit) {
        applyPage(page, !query.cursor, since, false);
      }
      httpCounts(page.counts, before);
      return page;
    },
    /** The next page of the widget's list. */
    async loadMore(): Promise<void> {
      if (nextCursor) await api.list({ cursor: nextCursor });
    },
    async counts(): Promise<InboxCounts> {
      const before = m.countsSeq;
      httpCounts(await call<InboxCounts>("GET", "/counts"), before);
      return m.counts;
    },
    markRead: (id: string) => act(id, "read"),
    markUnread: (id: string) => act(id, "unread"),
    markSeen: (id: string) => act(id, "seen"),
    archive: (id: string) => act(id, "archive"),
    unarchive: (id: string) => act(id, "unarchive"),
    remove: (id: string) => act(id, "delete").then(() => undefined),
    /** Marks every item read (of one category when given). */
    async markAllRead(category?: string): Promise<void> {
      const before = m.countsSeq;
      const r = await call<{ counts?: InboxCounts } | undefined>("POST", "/read-all", category ? { category } : {});
      httpCounts(r?.counts, before);
      await reloadHead(false);
    },
    /** Marks the given items seen (the widget does it when its panel opens). */
    async markSeenMany(ids: string[]): Promise<void> {
      if (!ids.length) return;
      const before = m.countsSeq;
      const r = await call<{ items?: InboxItem[]; counts?: InboxCounts } | undefined>("POST", "/batch", { ids: ids.slice(0, 100), action: "seen" });
      r?.items?.forEach((item) => applyItem(item));
      httpCounts(r?.counts, before);
    },
    preferences: () => call<PreferencesView>("GET", "/preferences"),
    setPreferences: (input: UpdatePreferencesInput) => call<PreferencesView>("PUT", "/preferences", input),

    on<K extends keyof Listeners>(type: K, fn: (v: Listeners[K]) => void): void {
      (listeners[type] ??= new Set()).add(fn);
      // A listener added late still learns the state (the connection may have settled already).
      if (type == "connection" && connection) fn(connection as Listeners[K]);
      start().catch(() => {});
    },
    off<K extends keyof Listeners>(type: K, fn: (v: Listeners[K]) => void): void {
      listeners[type]?.delete(fn);
    },

    /** The signed-in user changed (identify / logout): forget everything and start over. */
    restart(): void {
      generation++;
      if (ws) drop(ws);
      clearTimeout(retryTimer);
      stopPolling();
      m = emptyModel();
      nextCursor = null;
      synced = false;
      streamSeq = -1;
      socketReady = undefined; // the old first load, if still waiting, is dropped
      attempt = failures = 0;
      connection = undefined;
      const had = loading;
      loading = undefined;
      emit("counts", m.counts);
      // Signed out: stay empty until the next identify() (which restarts again).
      if (had && host.user().external_id_hash) start().catch((e) => emit("error", e));
    },
  };
  return api;
}
