// Who receives the notification, with a live count of matching subscribers
// (POST /audience/count, debounced while typing).
import { useEffect, useState } from "preact/hooks";
import { api, type ApiError } from "../../api";
import { Field, SelectField, TextField } from "../../components/ui";
import { currentSite } from "../../state/sites";
import { useResource } from "../../lib/use-resource";
import { segmentsApi } from "../Segments/api";
import { fmtInt } from "../../lib/format";
import { toApiError } from "../../lib/use-resource";
import type { AudienceTarget } from "../../types";

export type TargetMode = "all" | "tags" | "subscriber_ids" | "external_ids" | "segment";
export interface TargetForm { mode: TargetMode; any: string; all: string; none: string; ids: string; segmentId: string }
export const emptyTarget: TargetForm = { mode: "all", any: "", all: "", none: "", ids: "", segmentId: "" };

/** The form state for a stored target (editing a draft). */
export function fromTarget(t: AudienceTarget | null | undefined): TargetForm {
  if (!t || typeof t !== "object" || "all" in t) return emptyTarget;
  if ("tags" in t && t.tags) return { ...emptyTarget, mode: "tags", any: (t.tags.any ?? []).join(", "), all: (t.tags.all ?? []).join(", "), none: (t.tags.none ?? []).join(", ") };
  if ("subscriber_ids" in t && Array.isArray(t.subscriber_ids)) return { ...emptyTarget, mode: "subscriber_ids", ids: t.subscriber_ids.join("\n") };
  if ("external_ids" in t && Array.isArray(t.external_ids)) return { ...emptyTarget, mode: "external_ids", ids: t.external_ids.join("\n") };
  if ("segment_id" in t) return { ...emptyTarget, mode: "segment", segmentId: t.segment_id };
  return emptyTarget;
}

const list = (s: string) => s.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);

export function toTarget(t: TargetForm): AudienceTarget {
  switch (t.mode) {
    case "all":
      return { all: true };
    case "tags": {
      const tags: { any?: string[]; all?: string[]; none?: string[] } = {};
      if (list(t.any).length) tags.any = list(t.any);
      if (list(t.all).length) tags.all = list(t.all);
      if (list(t.none).length) tags.none = list(t.none);
      return { tags };
    }
    case "subscriber_ids":
      return { subscriber_ids: list(t.ids) };
    case "external_ids":
      return { external_ids: list(t.ids) };
    case "segment":
      return { segment_id: t.segmentId };
  }
}

/** What the target still needs before it names anyone (the API would answer 400), or null. */
export function targetProblem(t: TargetForm): string | null {
  if (t.mode === "tags" && !list(t.any).length && !list(t.all).length && !list(t.none).length) return "Add a tag";
  if (t.mode === "subscriber_ids" && !list(t.ids).length) return "Add a subscriber ID";
  if (t.mode === "external_ids" && !list(t.ids).length) return "Add one of your user IDs";
  if (t.mode === "segment" && !t.segmentId) return "Pick a segment";
  return null;
}

const COUNT_DEBOUNCE_MS = 400;

interface CountState { count: number | null; error: ApiError | null; loading: boolean; problem: string | null }

/** The live audience count for a target; null while unknown. Nothing is asked while the
 *  target is incomplete (`problem`): the answer would be a 400, not a number. */
export function useAudienceCount(siteId: string, target: AudienceTarget, problem: string | null = null): CountState {
  const key = JSON.stringify(target);
  const [state, setState] = useState<Omit<CountState, "problem">>({ count: null, error: null, loading: !problem });
  useEffect(() => {
    if (problem) {
      setState({ count: null, error: null, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(async () => {
      try {
        const { count } = await api.audienceCount(siteId, target);
        if (live) setState({ count, error: null, loading: false });
      } catch (err) {
        if (live) setState({ count: null, error: toApiError(err), loading: false });
      }
    }, COUNT_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [siteId, key, problem]);
  return { ...state, problem };
}

export function AudienceCount({ count, error, loading, problem }: CountState) {
  return (
    <div class="audience-count" aria-live="polite">
      {problem ? (
        <span class="muted">{problem} to see how many subscribers match.</span>
      ) : loading ? (
        <span class="muted">Counting subscribers…</span>
      ) : error ? (
        <span class="muted">{error.missingRoute ? "Live audience count is not available on this server yet." : error.message}</span>
      ) : (
        <span><strong>{fmtInt(count)}</strong> {count === 1 ? "subscriber matches" : "subscribers match"}</span>
      )}
    </div>
  );
}

const MODES: [TargetMode, string, string][] = [
  ["all", "Everyone", "All active subscribers"],
  ["tags", "By tags", "Match subscriber tags"],
  ["subscriber_ids", "Subscriber IDs", "Specific subscribers"],
  ["external_ids", "Your user IDs", "External IDs you set with the SDK"],
  ["segment", "A segment", "A saved audience of rules"],
];

/**
 * errorFor gets the form's names: "any" / "all" / "none" (tag lists) and "ids"; the page maps
 * them to API paths (target.tags.any, target.subscriber_ids, or target itself).
 */
export function Targeting({ value, onChange, errorFor }: { value: TargetForm; onChange: (t: TargetForm) => void; errorFor: (f: "any" | "all" | "none" | "ids" | "segment") => string | undefined }) {
  const set = (patch: Partial<TargetForm>) => onChange({ ...value, ...patch });
  const site = currentSite.value!;
  const segments = useResource(() => (value.mode === "segment" ? segmentsApi.list(site.id).then((r) => r.data) : Promise.resolve(null)), [site.id, value.mode === "segment"]);
  return (
    <div class="targeting">
      <fieldset class="choice-cards">
        <legend class="visually-hidden">Audience</legend>
        {MODES.map(([mode, label, hint]) => (
          <label key={mode} class={value.mode === mode ? "on" : ""}>
            <input type="radio" name="target-mode" value={mode} checked={value.mode === mode} onChange={() => set({ mode })} />
            <span><strong>{label}</strong><span class="hint">{hint}</span></span>
          </label>
        ))}
      </fieldset>
      {value.mode === "tags" && (
        <div class="grid-3">
          <TextField label="Has any of" placeholder="sale, vip" value={value.any} onValue={(any) => set({ any })} error={errorFor("any")}
            hint="Separate tags with commas." />
          <TextField label="Has all of" placeholder="newsletter" value={value.all} onValue={(all) => set({ all })} error={errorFor("all")} />
          <TextField label="Has none of" placeholder="churned" value={value.none} onValue={(none) => set({ none })} error={errorFor("none")} />
        </div>
      )}
      {value.mode === "segment" && (
        segments.data && segments.data.length === 0
          ? <p class="muted">No segments yet. <a href={`/sites/${site.id}/segments`}>Build one</a> from rules on tags, attributes, location, engagement and more.</p>
          : <SelectField label="Segment" value={value.segmentId} onValue={(segmentId) => set({ segmentId })} error={errorFor("segment")}
              options={[["", segments.loading ? "Loading segments…" : "Pick a segment"], ...(segments.data ?? []).map((s): [string, string] => [s.id, s.name])]}
              hint={<>Who matches is fixed when the send starts. <a href={`/sites/${site.id}/segments`}>Manage segments</a></>} />
      )}
      {(value.mode === "subscriber_ids" || value.mode === "external_ids") && (
        <Field label={value.mode === "subscriber_ids" ? "Subscriber IDs" : "External IDs"} hint="Separate with commas, spaces or new lines."
          error={errorFor("ids")}>
          {({ id, describedBy, invalid }) => (
            <textarea id={id} rows={3} aria-describedby={describedBy} aria-invalid={invalid || undefined} value={value.ids}
              onInput={(e) => set({ ids: (e.currentTarget as HTMLTextAreaElement).value })} />
          )}
        </Field>
      )}
    </div>
  );
}
