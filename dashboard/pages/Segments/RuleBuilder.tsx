// The visual rule builder (issue #10 §1): a group is "all of" / "any of" its rows; a row is a
// condition (what, how, value) or a nested group. Conditions are the contract's
// (workers/contracts/segments.ts Condition); this file only says how each is shown and edited.
// Errors come back from the API under rules.rules.<i>… and are shown at their row.
import { CHANNEL_IDS, CHANNEL_LABELS } from "../../../workers/contracts/channels";
import { Button, SelectField, TextField } from "../../components/ui";
import type { Condition, Group } from "./api";

type Field = Condition["field"];
const FIELDS: Array<[Field, string]> = [
  ["tag", "Tag"], ["attribute", "User attribute"], ["country", "Country"], ["language", "Language"], ["timezone", "Timezone"],
  ["browser", "Browser"], ["os", "Operating system"], ["subscribed", "Subscribed"], ["last_seen", "Last seen"],
  ["engaged", "Engagement"], ["received", "Received notification"], ["has_channel", "Reachable by"],
];
const OPERATORS: Record<Field, Array<[string, string]>> = {
  tag: [["has", "has"], ["has_not", "does not have"]],
  attribute: [["equals", "equals"], ["not_equals", "does not equal"], ["contains", "contains"], ["greater_than", "is greater than"], ["less_than", "is less than"], ["exists", "is set"], ["not_exists", "is not set"]],
  browser: [["is", "is"], ["is_not", "is not"]],
  os: [["is", "is"], ["is_not", "is not"]],
  country: [["is", "is"], ["is_not", "is not"]],
  language: [["is", "is"], ["is_not", "is not"]],
  timezone: [["is", "is"], ["is_not", "is not"]],
  subscribed: [["within_days", "in the last … days"], ["more_than_days_ago", "more than … days ago"], ["after", "after (date)"], ["before", "before (date)"]],
  last_seen: [["within_days", "in the last … days"], ["more_than_days_ago", "more than … days ago"]],
  engaged: [["clicked", "clicked in the last … days"], ["shown", "was shown one in the last … days"], ["not_clicked", "did not click in the last … days"]],
  received: [["received", "received"], ["not_received", "did not receive"]],
  has_channel: [["has", "can be reached by"], ["has_not", "cannot be reached by"]],
};
const PLACEHOLDER: Partial<Record<Field, string>> = { tag: "vip", country: "FR, BE", language: "fr, de", timezone: "Europe/Paris", browser: "Chrome", os: "Android" };

/** A new condition of a kind, with sensible values. */
export function newCondition(field: Field = "tag"): Condition {
  switch (field) {
    case "attribute": return { field, key: "", operator: "equals", value: "" };
    case "subscribed": return { field, operator: "within_days", value: 7 };
    case "last_seen": return { field, operator: "within_days", value: 30 };
    case "engaged": return { field, operator: "clicked", days: 30 };
    case "received": return { field, operator: "received", notification_id: "" };
    case "has_channel": return { field, operator: "has", value: "email" };
    case "tag": return { field, operator: "has", value: "" };
    default: return { field, operator: "is", value: "" };
  }
}

const listOf = (v: unknown) => (Array.isArray(v) ? v.join(", ") : String(v ?? ""));
const dateOf = (ms: unknown) => (typeof ms === "number" ? new Date(ms).toISOString().slice(0, 10) : "");

function ConditionRow({ c, onChange, error }: { c: Condition; onChange: (c: Condition) => void; error: (p: string) => string | undefined }) {
  const set = (patch: Record<string, unknown>) => onChange({ ...c, ...patch } as Condition);
  const op = c.operator as string;
  let value: preact.JSX.Element | null = null;
  switch (c.field) {
    case "attribute":
      value = (
        <>
          <TextField label="Attribute" value={c.key} onValue={(key) => set({ key })} placeholder="plan" error={error(".key")} />
          {op !== "exists" && op !== "not_exists" && (
            <TextField label="Value" value={String(c.value ?? "")} error={error(".value")}
              onValue={(v) => set({ value: op === "greater_than" || op === "less_than" ? (v.trim() === "" || Number.isNaN(Number(v)) ? v : Number(v)) : v })} />
          )}
        </>
      );
      break;
    case "subscribed":
      value = op === "before" || op === "after"
        ? <TextField label="Date" type="date" value={dateOf(c.value)} onValue={(v) => set({ value: v ? Date.parse(`${v}T00:00:00Z`) : 0 })} error={error(".value")} />
        : <TextField label="Days" type="number" min={1} value={String(c.value)} onValue={(v) => set({ value: Number(v) })} error={error(".value")} />;
      break;
    case "last_seen":
      value = <TextField label="Days" type="number" min={1} value={String(c.value)} onValue={(v) => set({ value: Number(v) })} error={error(".value")} />;
      break;
    case "engaged":
      value = <TextField label="Days" type="number" min={1} value={String(c.days)} onValue={(v) => set({ days: Number(v) })} error={error(".days")} />;
      break;
    case "received":
      value = <TextField label="Notification ID" value={c.notification_id} onValue={(v) => set({ notification_id: v.trim() })} placeholder="ntf_…" error={error(".notification_id")} />;
      break;
    case "has_channel":
      value = <SelectField label="Channel" value={c.value} onValue={(v) => set({ value: v })} options={CHANNEL_IDS.map((x): [string, string] => [x, CHANNEL_LABELS[x]])} />;
      break;
    case "tag":
      value = <TextField label="Tag" value={c.value} onValue={(v) => set({ value: v.trim() })} placeholder={PLACEHOLDER.tag} error={error(".value")} />;
      break;
    default: {
      const several = (v: string) => v.split(",").map((x) => x.trim()).filter(Boolean);
      value = <TextField label="Value" value={listOf(c.value)} placeholder={PLACEHOLDER[c.field]} error={error(".value")} hint="Several: separate with commas."
        onValue={(v) => set({ value: several(v).length > 1 ? several(v) : (several(v)[0] ?? "") })} />;
    }
  }
  return (
    <div class="rule-fields">
      <SelectField label="What" value={c.field} onValue={(f) => onChange(newCondition(f as Field))} options={FIELDS} />
      <SelectField label="How" value={op} onValue={(o) => set({ operator: o })} options={OPERATORS[c.field]} error={error(".operator")} />
      {value}
    </div>
  );
}

export function GroupEditor({ group, onChange, error, path = "rules", depth = 1, maxDepth, onRemove }: {
  group: Group; onChange: (g: Group) => void; error: (p: string) => string | undefined; path?: string; depth?: number; maxDepth: number; onRemove?: () => void;
}) {
  const setRule = (i: number, r: Group | Condition) => onChange({ ...group, rules: group.rules.map((x, j) => (j === i ? r : x)) });
  const remove = (i: number) => onChange({ ...group, rules: group.rules.filter((_, j) => j !== i) });
  const own = error(`${path}.rules`);
  return (
    <div class={`rule-group depth-${depth}`}>
      <div class="rule-group-head">
        <SelectField label={depth === 1 ? "Subscribers who match" : "A group that matches"} value={group.op} onValue={(op) => onChange({ ...group, op: op as Group["op"] })}
          options={[["and", "all of these"], ["or", "any of these"]]} />
        {onRemove && <Button size="sm" variant="ghost" onClick={onRemove}>Remove group</Button>}
      </div>
      {own && !group.rules.length && <p class="field-error" role="alert">{own}</p>}
      <ul class="rule-list">
        {group.rules.map((r, i) => (
          <li key={i} class="rule">
            {"op" in r
              ? <GroupEditor group={r} onChange={(g) => setRule(i, g)} error={error} path={`${path}.rules.${i}`} depth={depth + 1} maxDepth={maxDepth} onRemove={() => remove(i)} />
              : (
                <div class="rule-row">
                  <ConditionRow c={r} onChange={(c) => setRule(i, c)} error={(p) => error(`${path}.rules.${i}${p}`)} />
                  <Button size="sm" variant="ghost" onClick={() => remove(i)} aria-label={`Remove condition ${i + 1}`}>Remove</Button>
                </div>
              )}
          </li>
        ))}
      </ul>
      <div class="rule-actions">
        <Button size="sm" onClick={() => onChange({ ...group, rules: [...group.rules, newCondition()] })}>Add condition</Button>
        {depth < maxDepth && <Button size="sm" variant="ghost" onClick={() => onChange({ ...group, rules: [...group.rules, { op: group.op === "and" ? "or" : "and", rules: [newCondition()] }] })}>Add group</Button>}
      </div>
    </div>
  );
}
