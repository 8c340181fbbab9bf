// The inbox widget (issue #9 §5): a bell button with the unread badge and a panel with the
// list (read/unread, archive, mark all read, load more) and a Preferences tab, drawn from the
// headless client (client.ts). Plain DOM in a shadow root: page CSS cannot break it, its CSS
// is a constructed stylesheet (styles.ts: CSP-safe, themeable through --herald-* properties),
// and the only inline styles are CSSOM positions (allowed under a strict style-src).
// Keyboard: the bell is a button with aria-expanded; Esc closes and returns focus to it; items
// are links or buttons in reading order. Screen readers hear "Notifications, 3 unread" and new
// items through a polite live region.
import { CHANNEL_LABELS_FOR_USERS } from "../../workers/contracts/channels";
import type { InboxCounts, InboxItem } from "../../workers/contracts/inbox";
import type { PreferencesView } from "../../workers/contracts/preferences";
import type { Client, Connection, InboxError } from "./client";
import { CSS } from "./styles";

export interface MountOptions {
  /** Show the Preferences tab (default true). */
  preferences?: boolean;
}
export interface Widget {
  open(): void;
  close(): void;
  destroy(): void;
}

/** Panel width (px) and its margin from the viewport's edges: fits a 390 px phone. */
const PANEL_WIDTH = 380;
const EDGE = 8;
/** Wait at most this long (ms) for "mark read" before following an item's link. */
const READ_BEFORE_LEAVING_MS = 1500;

const CHANNEL_NAMES: Record<string, string> = CHANNEL_LABELS_FOR_USERS;

type Attrs = Record<string, string | boolean | undefined>;
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== false) e.setAttribute(k, v === true ? "" : v);
  e.append(...children);
  return e;
}
function icon(d: string): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", d);
  svg.append(path);
  return svg;
}
const BELL = "M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0";
const ARCHIVE = "M3 4h18v4H3zM5 8v11a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V8M10 12h4";

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [["year", 31536e6], ["month", 2592e6], ["week", 6048e5], ["day", 864e5], ["hour", 36e5], ["minute", 6e4]];
export function relativeTime(ms: number, now = Date.now()): string {
  const ago = now - ms;
  for (const [unit, size] of UNITS) if (ago >= size) return rtf.format(-Math.floor(ago / size), unit);
  return JUST_NOW;
}
const JUST_NOW = rtf.resolvedOptions().locale.startsWith("en") ? "just now" : rtf.format(0, "second");
const safeUrl = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : undefined);

export function mountWidget(client: Client, target: Element, options: MountOptions = {}): Widget {
  const hostEl = document.createElement("herald-inbox");
  const root = hostEl.attachShadow({ mode: "open" });
  if ("adoptedStyleSheets" in root) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } else {
    (root as ShadowRoot).append(h("style", {}, CSS)); // older browsers: works where the CSP allows it
  }

  const badge = h("span", { class: "badge", "aria-hidden": "true", hidden: true });
  const bell = h("button", { class: "bell", type: "button", "aria-expanded": "false", "aria-controls": "herald-panel" }, icon(BELL), badge);
  const live = h("div", { class: "sr", "aria-live": "polite" });

  const inboxTab = h("button", { class: "tab", role: "tab", type: "button", "aria-selected": "true", id: "t-inbox", "aria-controls": "p-inbox" }, "Inbox");
  const prefsTab = h("button", { class: "tab", role: "tab", type: "button", "aria-selected": "false", id: "t-prefs", "aria-controls": "p-prefs", tabindex: "-1", hidden: options.preferences === false }, "Preferences");
  const allRead = h("button", { class: "link", type: "button" }, "Mark all read");
  const note = h("p", { class: "note", hidden: true });
  const error = h("p", { class: "error", role: "alert", hidden: true });
  const list = h("ul", { "aria-label": "Notifications" });
  const empty = h("p", { class: "empty", hidden: true }, "You have no notifications. New ones will show up here.");
  const more = h("button", { class: "more", type: "button", hidden: true }, "Load more");
  const inboxPanel = h("div", { class: "body", role: "tabpanel", id: "p-inbox", "aria-labelledby": "t-inbox" }, list, empty, more);
  const prefsPanel = h("div", { class: "body", role: "tabpanel", id: "p-prefs", "aria-labelledby": "t-prefs", hidden: true });
  const panel = h(
    "div",
    { class: "panel", id: "herald-panel", role: "dialog", "aria-label": "Notifications", hidden: true },
    h("div", { class: "head" }, h("div", { class: "tabs", role: "tablist" }, inboxTab, prefsTab), allRead),
    note,
    error,
    inboxPanel,
    prefsPanel,
  );
  root.append(bell, live, panel);
  target.append(hostEl);

  let loaded = false;
  const showError = (e: unknown) => {
    error.textContent = (e as Error)?.message || "Something went wrong. Try again.";
    error.hidden = false;
  };
  const attempt = async (run: () => Promise<unknown>) => {
    error.hidden = true; // a new try: the last failure's sentence goes (and comes back if this one fails too)
    try {
      await run();
    } catch (e) {
      showError(e);
    }
  };

  function drawCounts(c: InboxCounts): void {
    badge.textContent = c.unread > 99 ? "99+" : String(c.unread);
    badge.hidden = !c.unread;
    bell.setAttribute("aria-label", c.unread ? `Notifications, ${c.unread} unread` : "Notifications");
    allRead.disabled = !c.unread;
  }

  function itemRow(item: InboxItem): HTMLLIElement {
    const unread = item.read_at == null;
    const url = safeUrl(item.url);
    const text = h(
      "span",
      { class: "text" },
      h("span", { class: "title" }, unread ? h("span", { class: "sr" }, "Unread: ") : "", item.title),
      ...(item.body ? [h("span", { class: "msg" }, item.body)] : []),
      h("time", { datetime: new Date(item.created_at).toISOString() }, relativeTime(item.created_at)),
    );
    const open = url ? h("a", { class: "open", href: url }, h("span", { class: "dot" }), text) : h("button", { class: "open", type: "button" }, h("span", { class: "dot" }), text);
    open.addEventListener("click", (e) => {
      if (!unread) return;
      const read = attempt(() => client.markRead(item.id));
      // A plain click on a link leaves the page: mark it read first (briefly), then follow it.
      const me = e as MouseEvent;
      if (url && me.button == 0 && !me.ctrlKey && !me.metaKey && !me.shiftKey && !me.altKey) {
        e.preventDefault();
        Promise.race([read, new Promise((r) => setTimeout(r, READ_BEFORE_LEAVING_MS))]).then(() => location.assign(url));
      }
    });
    const archive = h("button", { class: "arch", type: "button", "aria-label": `Archive: ${item.title}`, title: "Archive" }, icon(ARCHIVE));
    archive.onclick = () => {
      // Keep focus in the list when the row goes away.
      const next = (row.nextElementSibling ?? row.previousElementSibling)?.querySelector<HTMLElement>(".open");
      attempt(() => client.archive(item.id)).then(() => (next ?? inboxTab).focus());
    };
    const row = h("li", { class: unread ? "unread" : "read", "data-id": item.id }, open, archive);
    return row;
  }

  function drawList(): void {
    const items = client.items();
    const focused = root.activeElement?.closest("li")?.getAttribute("data-id");
    list.replaceChildren(...items.map(itemRow));
    if (focused) list.querySelector<HTMLElement>(`li[data-id="${CSS_escape(focused)}"] .open`)?.focus();
    empty.hidden = !loaded || items.length > 0;
    more.hidden = !client.hasMore();
  }

  function drawConnection(state: Connection): void {
    hostEl.dataset.connection = state; // for pages that style it (and tests)
    note.hidden = state == "online";
    note.textContent = state == "polling" ? "Live updates are paused; checking for new notifications every 30 seconds." : "Reconnecting…";
  }

  async function drawPreferences(): Promise<void> {
    prefsPanel.replaceChildren(h("p", { class: "empty" }, "Loading your preferences…"));
    let view: PreferencesView;
    try {
      view = await client.preferences();
    } catch (e) {
      prefsPanel.replaceChildren();
      return showError(e);
    }
    error.hidden = true;
    const status = h("p", { class: "status", role: "status" });
    const save = async (input: Parameters<Client["setPreferences"]>[0], undo: () => void) => {
      status.textContent = "Saving…";
      try {
        await client.setPreferences(input);
        status.textContent = "Saved.";
        error.hidden = true;
      } catch (e) {
        undo();
        status.textContent = "";
        showError(e);
      }
    };
    const toggle = (label: string, hint: string | null, checked: boolean, disabled: boolean, onChange: (on: boolean) => object) => {
      const box = h("input", { type: "checkbox", role: "switch", checked, disabled });
      box.onchange = () => save(onChange(box.checked), () => (box.checked = !box.checked));
      return h("label", { class: "row" }, h("span", {}, label, ...(hint ? [h("small", {}, hint)] : [])), box);
    };
    const channels = h(
      "fieldset",
      {},
      h("legend", {}, "Where you get notifications"),
      ...Object.entries(view.channels).map(([id, on]) => toggle(CHANNEL_NAMES[id] ?? id, null, on, false, (v) => ({ channels: { [id]: v } }))),
    );
    const topics = h(
      "fieldset",
      { hidden: !view.categories.length },
      h("legend", {}, "Topics"),
      ...view.categories.map((c) =>
        toggle(c.name, c.required ? `${c.description ? c.description + " " : ""}Always on: you cannot turn these off.` : c.description, c.required || c.enabled, c.required, (v) => ({ categories: { [c.key]: { enabled: v } } })),
      ),
    );
    const q = view.quiet_hours;
    const site = view.site_quiet_hours;
    const start = h("input", { type: "time", value: q?.start ?? site?.start ?? "22:00", required: true });
    const end = h("input", { type: "time", value: q?.end ?? site?.end ?? "08:00", required: true });
    const quiet = h("input", { type: "checkbox", role: "switch", checked: !!q, "aria-describedby": "quiet-hint" });
    const saveQuiet = () => {
      if (quiet.checked && (!start.value || !end.value || start.value == end.value)) return showError(new Error("Quiet hours need a start and an end time that differ."));
      save({ quiet_hours: quiet.checked ? { start: start.value, end: end.value } : null }, () => {});
    };
    quiet.onchange = start.onchange = end.onchange = saveQuiet;
    const quietSet = h(
      "fieldset",
      {},
      h("legend", {}, "Quiet hours"),
      h(
        "label",
        { class: "row" },
        h("span", {}, "Hold notifications overnight", h("small", { id: "quiet-hint" }, site && !q ? `Your site's default: ${site.start}–${site.end}. Urgent ones still come through.` : "Urgent ones still come through.")),
        quiet,
      ),
      h("div", { class: "times" }, h("label", {}, "From", start), h("label", {}, "Until", end)),
    );
    prefsPanel.replaceChildren(h("form", {}, channels, topics, quietSet, status));
  }

  function select(prefs: boolean): void {
    inboxTab.setAttribute("aria-selected", String(!prefs));
    prefsTab.setAttribute("aria-selected", String(prefs));
    inboxTab.tabIndex = prefs ? -1 : 0;
    prefsTab.tabIndex = prefs ? 0 : -1;
    inboxPanel.hidden = prefs;
    prefsPanel.hidden = !prefs;
    allRead.hidden = prefs;
    error.hidden = true;
    if (prefs) drawPreferences();
  }
  inboxTab.onclick = () => select(false);
  prefsTab.onclick = () => select(true);
  panel.querySelector(".tabs")!.addEventListener("keydown", (e) => {
    const k = (e as KeyboardEvent).key;
    if ((k == "ArrowRight" || k == "ArrowLeft") && !prefsTab.hidden) {
      const prefs = inboxTab.getAttribute("aria-selected") == "true";
      select(prefs);
      (prefs ? prefsTab : inboxTab).focus();
    }
  });

  function place(): void {
    const r = bell.getBoundingClientRect();
    const width = Math.min(PANEL_WIDTH, innerWidth - 2 * EDGE);
    const left = Math.max(EDGE, Math.min(r.right - width, innerWidth - width - EDGE));
    const top = r.bottom + 6;
    Object.assign(panel.style, { top: top + "px", left: left + "px", width: width + "px", maxHeight: Math.max(200, innerHeight - top - EDGE) + "px" });
  }

  const isOpen = () => !panel.hidden;
  function open(): void {
    if (isOpen()) return;
    panel.hidden = false;
    bell.setAttribute("aria-expanded", "true");
    place();
    drawList();
    inboxTab.getAttribute("aria-selected") == "true" ? inboxTab.focus() : prefsTab.focus();
    // Opening the panel is seeing what is in it.
    const unseen = client.items().filter((i) => i.seen_at == null).map((i) => i.id);
    if (unseen.length) client.markSeenMany(unseen).catch(() => {});
    if (!loaded) load();
  }
  function close(focusBell = true): void {
    if (!isOpen()) return;
    panel.hidden = true;
    bell.setAttribute("aria-expanded", "false");
    if (focusBell) bell.focus();
  }
  bell.onclick = () => (isOpen() ? close() : open());
  root.addEventListener("keydown", (e) => {
    if ((e as KeyboardEvent).key == "Escape" && isOpen()) {
      e.stopPropagation();
      close();
    }
  });
  const outside = (e: Event) => isOpen() && !e.composedPath().includes(hostEl) && close(false);
  const reposition = () => isOpen() && place();
  document.addEventListener("pointerdown", outside);
  addEventListener("resize", reposition);
  addEventListener("scroll", reposition, true);

  allRead.onclick = () => attempt(() => client.markAllRead());
  more.onclick = () => {
    more.disabled = true;
    const shown = list.children.length;
    attempt(() => client.loadMore()).then(() => {
      more.disabled = false;
      drawList(); // older items are not news: no event draws them
      // Keyboard users continue at the first item loaded (the button may be gone now).
      list.children[shown]?.querySelector<HTMLElement>(".open")?.focus();
    });
  };

  const onItem = (item: InboxItem) => {
    live.textContent = `New notification: ${item.title}`;
    drawList();
  };
  const onError = (e: InboxError) => showError(e);
  client.on("item", onItem);
  client.on("update", drawList);
  client.on("delete", drawList);
  client.on("counts", drawCounts);
  client.on("counts", drawList);
  client.on("connection", drawConnection);
  client.on("error", onError);
  drawCounts(client.currentCounts());
  const timer = setInterval(() => isOpen() && drawList(), 60_000); // "5 minutes ago" moves on
  const load = () =>
    client
      .start()
      .then(() => ((loaded = true), (error.hidden = true)), showError)
      .finally(drawList);
  load();

  return {
    open,
    close: () => close(false),
    destroy() {
      clearInterval(timer);
      document.removeEventListener("pointerdown", outside);
      removeEventListener("resize", reposition);
      removeEventListener("scroll", reposition, true);
      client.off("item", onItem);
      client.off("update", drawList);
      client.off("delete", drawList);
      client.off("counts", drawCounts);
      client.off("counts", drawList);
      client.off("connection", drawConnection);
      client.off("error", onError);
      hostEl.remove();
    },
  };
}

const CSS_escape = (s: string) => s.replace(/["\\]/g, "\\$&");
