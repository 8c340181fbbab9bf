// Delivery in each recipient's local time (issue #10 §2): the check a send's `local_delivery`
// gets when it is created or edited. The per-recipient moment is decided at send time
// (decide.ts localMoment); sends whose moment is still ahead wait as deferred "local_time" rows
// released by cron/release-deferred.ts, like quiet hours.
import { SCHEDULE_MAX_AHEAD_MS } from "../../config";
import type { LocalDelivery } from "../../contracts/preferences";
import { invalidField } from "../../errors";
import { localTime } from "../../lib/timezone";
import { minutesOf } from "./quiet-hours";

/** The last timezone on Earth to reach a wall-clock time (UTC−12). */
const LAST_ZONE = "Etc/GMT+12";
/** The first (UTC+14). */
export const FIRST_ZONE = "Pacific/Kiritimati";

/** When a dated local delivery starts (its first timezone's moment) and ends (its last's). */
export function localDeliverySpan(d: LocalDelivery & { date: string }): [number, number] {
  const m = minutesOf(d.time);
  return [localTime(FIRST_ZONE, d.date, m), localTime(LAST_ZONE, d.date, m)];
}

/** A dated local delivery must still be ahead somewhere, and not more than a year away. */
export function assertLocalDelivery(d: LocalDelivery | null | undefined, now: number): void {
  if (!d?.date) return;
  const [first, last] = localDeliverySpan({ ...d, date: d.date });
  if (last <= now) throw invalidField("local_delivery.date", "That date and time has already passed in every timezone.");
  if (first > now + SCHEDULE_MAX_AHEAD_MS) throw invalidField("local_delivery.date", "Must be at most one year ahead.");
}
