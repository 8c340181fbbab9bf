// Compose's "Repeat" choice (issue #10 §3): the calendar rule of a recurring notification —
// daily, weekly on weekdays, or monthly on a day, every N — at a time in the site's timezone or
// on each subscriber's own clock, from a start date to an optional end. Sent as the API's
// recurrence (workers/contracts/recurring.ts); its field errors come back as recurrence.<field>.
import type { Frequency, Recurrence } from "../../../workers/contracts/recurring";
import { Checkbox, SelectField, TextField } from "../../components/ui";

export interface RepeatForm {
  frequency: Frequency;
  interval: string;
  weekdays: number[];
  dayOfMonth: string;
  time: string;
  subscriberClock: boolean;
  start: string;
  end: string;
  catchUp: boolean;
}

const WEEKDAYS: Array<[number, string]> = [[1, "Mon"], [2, "Tue"], [3, "Wed"], [4, "Thu"], [5, "Fri"], [6, "Sat"], [7, "Sun"]];

export const emptyRepeat = (today: string): RepeatForm => ({
  frequency: "weekly", interval: "1", weekdays: [1], dayOfMonth: "1", time: "09:00", subscriberClock: false, start: today, end: "", catchUp: true,
});

export function toRecurrence(r: RepeatForm): Recurrence {
  return {
    frequency: r.frequency,
    ...(Number(r.interval) > 1 ? { interval: Number(r.interval) } : {}),
    ...(r.frequency === "weekly" ? { weekdays: r.weekdays } : {}),
    ...(r.frequency === "monthly" ? { day_of_month: Number(r.dayOfMonth) } : {}),
    time: r.time,
    ...(r.subscriberClock ? { timezone: "subscriber" as const } : {}),
    start_date: r.start,
    ...(r.end ? { end_date: r.end } : {}),
  };
}

export function RepeatFields({ value: r, onChange, error, tz }: { value: RepeatForm; onChange: (r: RepeatForm) => void; error: (path: string) => string | undefined; tz: string }) {
  const set = <K extends keyof RepeatForm>(k: K, v: RepeatForm[K]) => onChange({ ...r, [k]: v });
  const unit = { daily: "days", weekly: "weeks", monthly: "months" }[r.frequency];
  return (
    <div class="repeat-fields">
      <div class="grid-2">
        <SelectField label="Repeats" value={r.frequency} onValue={(v) => set("frequency", v as Frequency)} options={[["daily", "Daily"], ["weekly", "Weekly"], ["monthly", "Monthly"]]} error={error("recurrence.frequency")} />
        <TextField label={`Every how many ${unit}`} type="number" min={1} max={52} value={r.interval} onValue={(v) => set("interval", v)} error={error("recurrence.interval")} />
      </div>
      {r.frequency === "weekly" && (
        <fieldset class="plain">
          <legend>On</legend>
          <div class="repeat-weekdays">
            {WEEKDAYS.map(([d, name]) => (
              <Checkbox key={d} label={name} checked={r.weekdays.includes(d)}
                onChange={(on) => set("weekdays", on ? [...r.weekdays, d].sort() : r.weekdays.filter((x) => x !== d))} />
            ))}
          </div>
          {error("recurrence.weekdays") && <p class="field-error" role="alert">{error("recurrence.weekdays")}</p>}
        </fieldset>
      )}
      {r.frequency === "monthly" && (
        <TextField label="Day of the month" type="number" min={1} max={31} value={r.dayOfMonth} onValue={(v) => set("dayOfMonth", v)} error={error("recurrence.day_of_month")}
          hint="29, 30 or 31 go out on the month's last day in shorter months." />
      )}
      <div class="grid-2">
        <TextField label={r.subscriberClock ? "Time on their clock" : `Time (${tz})`} type="time" value={r.time} onValue={(v) => set("time", v)} error={error("recurrence.time")} />
        <Checkbox label="At that time on each subscriber's own clock" checked={r.subscriberClock} onChange={(v) => set("subscriberClock", v)}
          hint={`Their browser's timezone, else ${tz}.`} />
      </div>
      <div class="grid-2">
        <TextField label="Starts on" type="date" value={r.start} onValue={(v) => set("start", v)} error={error("recurrence.start_date")} />
        <TextField label="Ends on (optional)" type="date" value={r.end} onValue={(v) => set("end", v)} error={error("recurrence.end_date")} />
      </div>
      <Checkbox label="If runs were missed (the service was down), send the latest one when it is back" checked={r.catchUp} onChange={(v) => set("catchUp", v)}
        hint="Never more than one: older missed runs are skipped." />
    </div>
  );
}
