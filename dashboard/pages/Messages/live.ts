// "Live-ish" refresh for the messages pages: re-read what is shown every few seconds while a
// message is still going out — only then, never two reads at once, and not while the tab is
// hidden. Nothing is polled once every channel is done.
import { useEffect, useRef } from "preact/hooks";

/** How often a message still sending is re-read (ms): its counts move by the second. */
export const LIVE_POLL_MS = 3000;

/** Calls the latest `refresh` every LIVE_POLL_MS while `live`. */
export function useLivePoll(live: boolean, refresh: () => Promise<unknown>) {
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    if (!live) return;
    let inFlight = false;
    const t = setInterval(() => {
      if (inFlight || document.visibilityState === "hidden") return;
      inFlight = true;
      latest.current().catch(() => {}).finally(() => (inFlight = false));
    }, LIVE_POLL_MS);
    return () => clearInterval(t);
  }, [live]);
}
