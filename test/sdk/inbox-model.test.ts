// The inbox bundle's pure parts (sdk/inbox/): the reconnect schedule and the list model that
// the socket, polls and HTTP answers all feed. The browser test (test/e2e/inbox.browser.test.ts)
// drives them for real; here every ordering of repeats and races is pinned down.
import { describe, expect, it } from "vitest";
import type { InboxItem } from "../../workers/contracts/inbox";
import { RECONNECT_MAX_MS, reconnectDelayMs } from "../../sdk/inbox/backoff";
import { emptyModel, pruneHead, remove, setCounts, upsert } from "../../sdk/inbox/model";

const item = (id: string, created_at: number, seq: number, extra: Partial<InboxItem> = {}): InboxItem => ({
  id, title: id, body: null, url: null, icon: null, category: null, tags: [], data: null,
  created_at, seen_at: null, read_at: null, archived_at: null, seq, ...extra,
});

describe("reconnect schedule", () => {
  it("doubles from 1 s to a 16 s cap, each delay within ±25% of its step", () => {
    const steps = [1000, 2000, 4000, 8000, 16_000, 16_000, 16_000];
    steps.forEach((step, attempt) => {
      expect(reconnectDelayMs(attempt, () => 0), `attempt ${attempt}, lowest`).toBe(step * 0.75);
      expect(reconnectDelayMs(attempt, () => 0.5), `attempt ${attempt}, middle`).toBe(step);
      expect(reconnectDelayMs(attempt, () => 0.999999), `attempt ${attempt}, highest`).toBeLessThan(step * 1.25);
    });
    expect(reconnectDelayMs(1000, () => 0.999999)).toBeLessThanOrEqual(RECONNECT_MAX_MS * 1.25);
  });

  it("spreads the retries of many clients (jitter is really random)", () => {
    const delays = new Set(Array.from({ length: 50 }, () => reconnectDelayMs(3)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) expect(d >= 6000 && d < 10_000).toBe(true);
  });
});

describe("inbox list model", () => {
  it("never lists an item twice, whatever mix of socket events and pages brings it", () => {
    const m = emptyModel();
    expect(upsert(m, item("ntf_a", 1, 1))).toBe("created");
    expect(upsert(m, item("ntf_a", 1, 1))).toBeNull(); // the socket's copy of what the page had
    expect(upsert(m, item("ntf_b", 2, 2))).toBe("created");
    pruneHead(m, [item("ntf_b", 2, 2), item("ntf_a", 1, 1)], false, 2);
    for (const x of [item("ntf_b", 2, 2), item("ntf_a", 1, 1)]) upsert(m, x);
    expect(m.items.map((x) => x.id)).toEqual(["ntf_b", "ntf_a"]);
  });

  it("keeps newest first, and an older copy never undoes a newer change", () => {
    const m = emptyModel();
    upsert(m, item("ntf_a", 1, 1));
    upsert(m, item("ntf_c", 3, 3));
    upsert(m, item("ntf_b", 2, 2));
    expect(m.items.map((x) => x.id)).toEqual(["ntf_c", "ntf_b", "ntf_a"]);
    expect(upsert(m, item("ntf_a", 1, 5, { read_at: 10 }))).toBe("updated");
    expect(upsert(m, item("ntf_a", 1, 1))).toBeNull(); // a page fetched before the read
    expect(m.items.find((x) => x.id == "ntf_a")!.read_at).toBe(10);
    expect(m.seq).toBe(5);
  });

  it("drops archived items from the list, and a deleted id never comes back from a stale page", () => {
    const m = emptyModel();
    upsert(m, item("ntf_a", 1, 1));
    upsert(m, item("ntf_b", 2, 2));
    expect(upsert(m, item("ntf_a", 1, 3, { archived_at: 9 }))).toBe("removed");
    expect(remove(m, "ntf_b", 4)).toBe(true);
    expect(upsert(m, item("ntf_b", 2, 2))).toBeNull();
    expect(m.items).toEqual([]);
    expect(m.seq).toBe(4);
  });

  it("a fresh first page drops what was archived or deleted meanwhile, but keeps items newer than the request", () => {
    const m = emptyModel();
    for (const x of [item("ntf_a", 1, 1), item("ntf_b", 2, 2), item("ntf_c", 3, 3)]) upsert(m, x);
    const since = m.seq; // the request leaves; then ntf_d arrives on the socket
    upsert(m, item("ntf_d", 4, 4));
    // The page (of 2, more behind it) lacks ntf_b: archived elsewhere while this tab was offline.
    pruneHead(m, [item("ntf_c", 3, 3), item("ntf_a", 1, 1)], true, since);
    expect(m.items.map((x) => x.id)).toEqual(["ntf_d", "ntf_c", "ntf_a"]);
    // The whole inbox in one page: anything else is gone, except what changed after the request.
    pruneHead(m, [item("ntf_c", 3, 3)], false, since);
    expect(m.items.map((x) => x.id)).toEqual(["ntf_d", "ntf_c"]);
  });

  it("applies counts from the socket only when newer, and counts without a seq when nothing newer came", () => {
    const m = emptyModel();
    expect(setCounts(m, { total: 2, unread: 2, unseen: 2 }, 7)).toBe(true);
    expect(setCounts(m, { total: 1, unread: 1, unseen: 1 }, 6)).toBe(false);
    expect(m.counts).toEqual({ total: 2, unread: 2, unseen: 2 });
    expect(setCounts(m, { total: 2, unread: 2, unseen: 2 }, 8)).toBe(false); // same numbers: no redraw
    expect(setCounts(m, { total: 2, unread: 1, unseen: 0 })).toBe(true);
    expect(m.counts.unread).toBe(1);
  });
});
