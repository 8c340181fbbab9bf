// When the inbox socket tries again (issue #9 §5): 1, 2, 4, 8, 16 s after successive failures,
// capped at 16 s, each scaled by a random factor in [0.75, 1.25) so that the tabs of every user
// a deploy disconnected do not all come back in the same second. Pure; `random` injectable.

/** The first retry's delay and the cap (ms). */
export const RECONNECT_BASE_MS = 1000;
export const RECONNECT_MAX_MS = 16_000;
/** ± this share of the delay is random. */
export const RECONNECT_JITTER = 0.25;
/** Failed connects in a row before the client also polls (it keeps retrying the socket). */
export const FAILURES_BEFORE_POLLING = 3;
/** How often the client polls counts and the first page without a socket (ms). */
export const POLL_INTERVAL_MS = 30_000;

/** The delay before retry number `attempt` (0 = the first retry after a failure). */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.max(0, Math.min(attempt, 10)));
  return Math.floor(base * (1 - RECONNECT_JITTER + 2 * RECONNECT_JITTER * random()));
}
