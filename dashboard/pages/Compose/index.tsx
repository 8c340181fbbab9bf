// Compose a notification: the channels it goes out on (web push, and email, SMS, WhatsApp or
// mobile push where the site has a provider: Channels.tsx), every field the API takes, live
// previews, targeting with a live count, and send now / schedule in the site's time zone behind
// a confirmation showing the audience size. Members can only save drafts; admins and owners can send.
import { useLocation } from "preact-iso";
import { useRef, useState } from "preact/hooks";
import type { ChannelId } from "../../../workers/contracts/channels";
import { FREE_FORM_MAX_BYTES, FREE_FORM_MAX_DEPTH, PUSH_TOPIC_MAX_CHARS, PUSH_TTL_MAX_S, SCHEDULE_MAX_AHEAD_MS } from "../../../workers/config";
import { ApiError, type FieldError, api } from "../../api";
import { DurationField } from "../../components/DurationField";
import { Alert, Button, Card, Checkbox, Dialog, ErrorState, Field, FormError, Loading, PageHeader, SelectField, TextField, useRevealErrors } from "../../components/ui";
import { fmtDate, fmtDuration, fmtInt, hostOf } from "../../lib/format";
import { msToWallClock, wallClockToMs } from "../../lib/timezone";
import { toApiError, useResource } from "../../lib/use-resource";
import { can, currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";
import type { NotificationAction, NotificationRecord, Urgency } from "../../types";
import { CHANNEL_PATHS, ChannelContent, ChannelPicker, channelErrorAt, useProviders } from "./Channels";
import {
  type CampaignDraft, type CampaignRecord, type ChannelsForm, channelList, channelProblems, channelsFromDraft, channelsPayload, emptyChannels, userChannelsOn,
} from "./campaign";
import { Previews } from "./Previews";
import { RepeatFields, type RepeatForm, emptyRepeat, toRecurrence } from "./Repeat";
import { AbTestFields, type AbForm, emptyAb, toAbTest } from "./AbTest";
import { recurrenceInWords, recurringApi } from "../Automations/api";
import { AudienceCount, type TargetForm, Targeting, emptyTarget, fromTarget, targetProblem, toTarget, useAudienceCount } from "./Targeting";

// The API's limits (workers/routes/notifications.ts Content), said before they are broken.
const TITLE_MAX = 200;
const BODY_MAX = 1000;
const ACTION_TITLE_MAX = 40;
const UTM_MAX = 100;
const REPLACE_TAG_MAX = 64;
const UTM_KEYS = ["source", "medium", "campaign", "term", "content"] as const;

interface Form {
  title: string; body: string; url: string; icon: string; image: string; badge: string;
  actions: NotificationAction[]; utm: Record<(typeof UTM_KEYS)[number], string>;
  ttl: string; urgency: Urgency; topic: string; tag: string; renotify: boolean; require_interaction: boolean; data: string;
  target: TargetForm; when: "now" | "later" | "local" | "repeat"; at: string; localTime: string; localDate: string; channels: ChannelsForm;
  repeat: RepeatForm;
  ab: AbForm;
}

/** The first timezone to reach a wall-clock time (UTC+14): a dated local-time send starts when
 *  its clock gets there (the API's local_delivery, workers/services/preferences/local-delivery.ts). */
const FIRST_ZONE = "Pacific/Kiritimati";

function formFromDraft(n: NotificationRecord, ttl: number): Form {
  const base = initialForm(ttl);
  return {
    ...base,
    title: n.title, body: n.body ?? "", url: n.url ?? "", icon: n.icon ?? "", image: n.image ?? "", badge: n.badge ?? "",
    actions: (n.actions ?? []).map((a) => ({ ...a, url: a.url ?? "" })),
    utm: { ...base.utm, ...Object.fromEntries(Object.entries(n.utm ?? {}).map(([k, v]) => [k, v ?? ""])) },
    ttl: String(n.ttl ?? ttl), urgency: n.urgency ?? "normal", topic: n.topic ?? "", tag: n.tag ?? "",
    renotify: !!n.renotify, require_interaction: !!n.require_interaction, data: n.data ? JSON.stringify(n.data) : "",
    target: fromTarget(n.target), channels: channelsFromDraft(n as CampaignRecord),
    ...((n as CampaignRecord).local_delivery
      ? { when: "local" as const, localTime: (n as CampaignRecord).local_delivery!.time, localDate: (n as CampaignRecord).local_delivery!.date ?? "" }
      : {}),
  };
}

function initialForm(ttl: number): Form {
  return {
    title: "", body: "", url: "", icon: "", image: "", badge: "", actions: [],
    utm: { source: "herald", medium: "push", campaign: "", term: "", content: "" },
    ttl: String(ttl), urgency: "normal", topic: "", tag: "", renotify: false, require_interaction: false, data: "",
    target: emptyTarget, when: "now", at: "", localTime: "09:00", localDate: "", channels: emptyChannels(),
    repeat: emptyRepeat(new Date().toISOString().slice(0, 10)),
    ab: emptyAb(),
  };
}

export default function Compose() {
  const site = currentSite.value!;
  const { query } = useLocation();
  const draftId = query.draft;
  const draft = useResource(() => (draftId ? api.notification(site.id, draftId) : Promise.resolve(null)), [site.id, draftId]);
  if (draftId && draft.loading) return <Loading label="Loading draft…" />;
  if (draftId && draft.error) return <div class="page"><ErrorState error={draft.error} retry={draft.reload} what="this draft" /></div>;
  if (draft.data && draft.data.status !== "draft")
    return (
      <div class="page">
        <Alert tone="info" title="Only drafts can be edited">
          {draft.data.status === "scheduled"
            ? <>This notification is scheduled and goes out as it is. {can("notifications:send") ? "To change it, move it back to drafts from " : "Only admins can change it; see "}
                <a href={`/sites/${site.id}/notifications/${draft.data.id}`}>its page</a>.</>
            : <>This notification is {draft.data.status}. <a href={`/sites/${site.id}/notifications/${draft.data.id}`}>See its results</a>.</>}
        </Alert>
      </div>
    );
  return <ComposeForm key={draftId ?? "new"} draft={draft.data ?? null} />;
}

/** The form's names → the API paths its messages come back on (see FormError). */
const PATHS = ["title", "body", "url", "icon", "image", "badge", "utm", "ttl", "urgency", "tag", "topic", "renotify", "require_interaction", "data", "scheduled_at", "target", "local_delivery", "recurrence", "ab_test"];

function ComposeForm({ draft }: { draft: NotificationRecord | null }) {
  const site = currentSite.value!;
  const tz = site.settings.timezone;
  const { route, query } = useLocation();
  const [f, setF] = useState<Form>(() =>
    draft ? formFromDraft(draft, site.settings.default_ttl_s) : { ...initialForm(site.settings.default_ttl_s), ...(query.when === "repeat" ? { when: "repeat" as const } : {}) },
  );
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<"draft" | "send" | null>(null);
  const [confirming, setConfirming] = useState(false);
  const form = useRef<HTMLDivElement>(null);
  const providers = useProviders(site.id);
  /** The channels of the last request, to place the API's channels.<index> messages. */
  const sentChannels = useRef<ChannelId[]>([]);
  useRevealErrors(form, error);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((s) => ({ ...s, [k]: v }));
  const target = toTarget(f.target);
  const problem = targetProblem(f.target);
  const audience = useAudienceCount(site.id, target, problem);
  const canSend = can("notifications:send");
  // A dated local-time send starts when the first timezone reaches the time; an undated one now.
  const localStart = f.when === "local" && f.localDate && f.localTime ? wallClockToMs(`${f.localDate}T${f.localTime}`, FIRST_ZONE) : null;
  const scheduledAt = f.when === "later" ? wallClockToMs(f.at, tz) : localStart !== null && localStart > Date.now() + 60_000 ? localStart : null;
  const err = (path: string) => error?.field(path);
  /** Exactly this path (a message for "target" itself, not for one of its lists). */
  const errExact = (path: string) => error?.fields.find((x) => x.path === path)?.message;
  const push = f.channels.on.web_push;
  const userChannels = userChannelsOn(f.channels);
  /** User channels reach users: an audience of browsers (tags, subscriber IDs) names none. */
  const browsersOnly = userChannels.length > 0 && (f.target.mode === "tags" || f.target.mode === "subscriber_ids" || f.target.mode === "segment");
  const targetErr = (name: "any" | "all" | "none" | "ids" | "segment") => {
    if (name === "segment") return err("target.segment_id") ?? errExact("target");
    const mode = f.target.mode;
    const own = name === "ids" ? err(`target.${mode}`) : err(`target.tags.${name}`);
    // A message for the whole target (or "name at least one tag") goes on the first input.
    const whole = name === "any" || name === "ids" ? errExact("target.tags") ?? errExact("target") : undefined;
    return own ?? whole;
  };

  /** The request body, or null after showing what is wrong at the fields (nothing is sent). */
  const build = (withSchedule: boolean): CampaignDraft | null => {
    const problems: FieldError[] = channelProblems(f.channels);
    const problemAt = (path: string, message: string) => problems.push({ path, message });
    if (!f.title.trim()) problemAt("title", push ? "Give the notification a title." : "Give the campaign a name.");
    if (browsersOnly) problemAt("target", `${channelList(userChannels)} reach your users: pick Everyone or Your user IDs.`);
    f.actions.forEach((a, i) => !a.title.trim() && problemAt(`actions.${i}.title`, "Give the button a label, or remove it."));
    if (problem) problemAt(f.target.mode === "tags" ? "target.tags" : "target", `${problem}, or pick another audience.`);
    if (f.ttl !== "" && Number(f.ttl) > PUSH_TTL_MAX_S) problemAt("ttl", `At most ${fmtDuration(PUSH_TTL_MAX_S)}.`);
    let data: unknown;
    if (f.data.trim()) {
      try {
        data = JSON.parse(f.data);
      } catch {
        data = undefined;
      }
      if (!data || typeof data !== "object" || Array.isArray(data)) problemAt("data", "Custom data must be a JSON object, like {\"order\": 123}.");
    }
    if (f.when === "local" && !/^\d\d:\d\d$/.test(f.localTime)) problemAt("local_delivery.time", "Pick a time of day.");
    if (withSchedule && f.when === "later") {
      if (!scheduledAt) problemAt("scheduled_at", "Pick a date and time.");
      else if (scheduledAt < Date.now()) problemAt("scheduled_at", "Pick a date and time in the future.");
      else if (scheduledAt > Date.now() + SCHEDULE_MAX_AHEAD_MS) problemAt("scheduled_at", "Pick a date within a year from now.");
    }
    if (problems.length) {
      setError(new ApiError(0, "validation_failed", "Please correct the highlighted fields.", problems));
      return null;
    }
    const opt = (v: string) => (v.trim() ? v.trim() : undefined);
    // Editing a draft: an emptied field is sent as null so PATCH clears the stored value.
    const cleared = draft ? null : undefined;
    const clearable = (v: string) => (v.trim() ? v.trim() : cleared);
    const utmEntries = Object.entries(f.utm).filter(([, v]) => v.trim());
    const d: CampaignDraft = {
      title: f.title.trim(), body: clearable(f.body), url: clearable(f.url), icon: clearable(f.icon), image: clearable(f.image), badge: clearable(f.badge),
      actions: f.actions.length ? f.actions.map((a) => ({ action: a.action, title: a.title, ...(a.url ? { url: a.url } : {}) })) : cleared,
      utm: opt(f.url) && utmEntries.length ? Object.fromEntries(utmEntries) : undefined,
      ttl: f.ttl === "" ? undefined : Number(f.ttl), urgency: f.urgency, topic: opt(f.topic), tag: opt(f.tag),
      renotify: (f.tag.trim() && f.renotify) || undefined, require_interaction: f.require_interaction || undefined, data, target,
      ...channelsPayload(f.channels),
    };
    sentChannels.current = d.channels ?? [];
    if (withSchedule && scheduledAt) d.scheduled_at = scheduledAt;
    if (f.when === "local") d.local_delivery = { time: f.localTime, ...(f.localDate ? { date: f.localDate } : {}) };
    if (f.when === "repeat") delete d.scheduled_at;
    const abTest = push && f.when !== "repeat" && f.when !== "local" ? toAbTest(f.ab) : undefined;
    if (abTest) d.ab_test = abTest;
    else if (draft) d.ab_test = null;
    else if (draft) d.local_delivery = null;
    return d;
  };

  /** "Repeat": a recurring series of this campaign; its notification.* errors land on the form's own fields. */
  const createSeries = async (d: CampaignDraft) => {
    const { scheduled_at: _s, local_delivery: _l, ab_test: _a, ...notification } = d;
    try {
      const s = await recurringApi.create(site.id, { name: f.title.trim(), recurrence: toRecurrence(f.repeat), catch_up: f.repeat.catchUp, notification });
      toast(`${s.name}: first run ${fmtDate(s.next_run_at, tz)}`);
      route(`/sites/${site.id}/automations`);
    } catch (e) {
      const err = toApiError(e);
      setConfirming(false);
      setError(new ApiError(err.status, err.code, err.message, err.fields.map((x) => ({ ...x, path: x.path.replace(/^notification\./, "") }))));
      setBusy(null);
    }
  };

  const saveDraft = async () => {
    const d = build(false);
    if (!d) return;
    setBusy("draft");
    setError(null);
    try {
      const n = draft ? await api.updateNotification(site.id, draft.id, d) : await api.createNotification(site.id, d);
      toast("Draft saved");
      route(`/sites/${site.id}/notifications/${n.id}`);
    } catch (e) {
      setError(toApiError(e));
      setBusy(null);
    }
  };

  const openConfirm = () => {
    if (!build(true)) return;
    setError(null);
    setConfirming(true);
  };

  const send = async () => {
    const d = build(true);
    if (!d) return setConfirming(false);
    setBusy("send");
    setError(null);
    if (f.when === "repeat") return createSeries(d);
    try {
      const n = draft ? await api.updateNotification(site.id, draft.id, d) : await api.createNotification(site.id, d);
      if (!d.scheduled_at) await api.sendNotification(site.id, n.id);
      toast(d.scheduled_at ? `Scheduled for ${fmtDate(d.scheduled_at, tz)}` : "Sending started");
      route(`/sites/${site.id}/notifications/${n.id}`);
    } catch (e) {
      setConfirming(false);
      setError(toApiError(e));
      setBusy(null);
    }
  };

  const setAction = (i: number, patch: Partial<NotificationAction>) =>
    set("actions", f.actions.map((a, j) => (j === i ? { ...a, ...patch } : a)));

  return (
    <div class="page">
      <PageHeader title={draft ? "Edit draft" : "New notification"} subtitle={canSend ? "Write it, check the previews, pick who gets it." : "You can save drafts; an admin sends them."} />
      <div class="compose">
        <div class="compose-form" ref={form}>
          <ChannelPicker siteId={site.id} value={f.channels} onChange={(c) => set("channels", c)} providers={providers} error={channelErrorAt(error, sentChannels.current)} />

          {!push && (
            <Card title="Campaign">
              <TextField label="Name" required maxLength={TITLE_MAX} value={f.title} onValue={(v) => set("title", v)} error={err("title")}
                hint="Names the campaign in your lists. Web push is off: nothing is pushed to browsers." />
            </Card>
          )}
          {push && <>
          <Card title={userChannels.length ? "Web push" : "Content"}>
            <TextField label="Title" required maxLength={TITLE_MAX} value={f.title} onValue={(v) => set("title", v)} error={err("title")}
              hint={`${f.title.length}/${TITLE_MAX} · keep it under ~50 characters to avoid truncation`} />
            <Field label="Message" error={err("body")} hint={`${f.body.length}/${BODY_MAX}`}>
              {({ id, describedBy, invalid }) => (
                <textarea id={id} rows={3} maxLength={BODY_MAX} aria-describedby={describedBy} aria-invalid={invalid || undefined} value={f.body}
                  onInput={(e) => set("body", (e.currentTarget as HTMLTextAreaElement).value)} />
              )}
            </Field>
            <TextField label="Link when clicked" type="url" placeholder={site.url} value={f.url} onValue={(v) => set("url", v)} error={err("url")}
              hint="A full https:// address. Empty: your site's home page." />
            <div class="grid-2">
              <TextField label="Icon URL" type="url" placeholder={site.settings.default_icon ?? "https://…/icon.png"} value={f.icon} onValue={(v) => set("icon", v)} error={err("icon")}
                hint={site.settings.default_icon ? "Empty: the site's default icon." : "A square https:// image, at least 192×192."} />
              <TextField label="Large image URL" type="url" placeholder="https://…/banner.jpg" value={f.image} onValue={(v) => set("image", v)} error={err("image")}
                hint="Shown on Chrome desktop, Windows and Android." />
            </div>
          </Card>

          <Card title="Buttons" actions={f.actions.length < 2 && (
            <Button size="sm" onClick={() => set("actions", [...f.actions, { action: `action-${f.actions.length + 1}`, title: "", url: "" }])}>Add button</Button>
          )}>
            {f.actions.length === 0 && <p class="muted">Up to two buttons under the message, each with its own link.</p>}
            {f.actions.map((a, i) => (
              <div class="action-row" key={i}>
                <TextField label={`Button ${i + 1} label`} maxLength={ACTION_TITLE_MAX} value={a.title} onValue={(title) => setAction(i, { title })} error={err(`actions.${i}.title`)}
                  hint={`${a.title.length}/${ACTION_TITLE_MAX}`} />
                <TextField label="Link" type="url" value={a.url ?? ""} onValue={(url) => setAction(i, { url })} error={err(`actions.${i}.url`)} />
                <Button size="sm" variant="ghost" aria-label={`Remove button ${i + 1}`} onClick={() => set("actions", f.actions.filter((_, j) => j !== i))}>Remove</Button>
              </div>
            ))}
          </Card>
          </>}

          <ChannelContent value={f.channels} onChange={(c) => set("channels", c)} err={err} errExact={errExact} />

          <Card title="Audience">
            <Targeting value={f.target} onChange={(t) => set("target", t)} errorFor={targetErr} />
            {push && <AudienceCount {...audience} />}
            {browsersOnly ? (
              <div class="audience-note">
                <Alert tone="warn" title={`${channelList(userChannels)} need an audience of users`}>
                  Tags and subscriber IDs name browsers, which only web push reaches. Pick <strong>Everyone</strong> or <strong>Your user IDs</strong> to send by {channelList(userChannels)}.
                </Alert>
              </div>
            ) : userChannels.length > 0 && (
              <p class="muted small audience-note">
                {push ? "The count is of browsers subscribed to web push. " : ""}{channelList(userChannels)} go{userChannels.length === 1 ? "es" : ""} to each user in the audience with an address for {userChannels.length === 1 ? "it" : "them"} (see <a href={`/sites/${site.id}/users`}>Users</a>).
              </p>
            )}
          </Card>

          {push && f.when !== "repeat" && f.when !== "local" && (
            <Card title="A/B test">
              <AbTestFields value={f.ab} onChange={(ab) => set("ab", ab)} error={err} />
            </Card>
          )}

          {push && <details class="card details">
            <summary>Tracking and delivery options</summary>
            <div class="grid-3">
              {UTM_KEYS.map((k) => (
                <TextField key={k} label={`utm_${k}`} maxLength={UTM_MAX} value={f.utm[k]} onValue={(v) => set("utm", { ...f.utm, [k]: v })} error={err(`utm.${k}`)} />
              ))}
            </div>
            <div class="grid-3">
              <DurationField label="Time to live" seconds={f.ttl} onSeconds={(v) => set("ttl", v)} maxSeconds={PUSH_TTL_MAX_S} error={err("ttl")}
                hint={`How long push services keep trying. Up to ${fmtDuration(PUSH_TTL_MAX_S)}; 0 means now or never.`} />
              <SelectField label="Urgency" value={f.urgency} onValue={(v) => set("urgency", v as Urgency)}
                options={[["very-low", "Very low"], ["low", "Low"], ["normal", "Normal"], ["high", "High"]]} error={err("urgency")} />
              <TextField label="Replace tag" placeholder="order-123" maxLength={REPLACE_TAG_MAX} value={f.tag} onValue={(v) => set("tag", v)} error={err("tag")}
                hint="A newer notification with the same tag replaces this one." />
              <TextField label="Push topic" maxLength={PUSH_TOPIC_MAX_CHARS} value={f.topic} onValue={(v) => set("topic", v)} error={err("topic")}
                hint={`Undelivered messages with the same topic are collapsed. Up to ${PUSH_TOPIC_MAX_CHARS} letters, digits, - or _.`} />
              <TextField label="Badge URL" type="url" value={f.badge} onValue={(v) => set("badge", v)} error={err("badge")} hint="Monochrome, Android status bar." />
            </div>
            {f.tag.trim() && <Checkbox label="Alert again when replacing an earlier notification with this tag" checked={f.renotify} onChange={(v) => set("renotify", v)} />}
            <Checkbox label="Keep on screen until the user acts" checked={f.require_interaction} onChange={(v) => set("require_interaction", v)} />
            <Field label="Custom data (JSON)" error={err("data")} hint={`A JSON object, passed to your service worker's notification data: up to ${fmtInt(FREE_FORM_MAX_BYTES)} bytes, ${FREE_FORM_MAX_DEPTH} levels deep.`}>
              {({ id, describedBy, invalid }) => (
                <textarea id={id} rows={2} class="mono" aria-describedby={describedBy} aria-invalid={invalid || undefined} value={f.data} placeholder='{"order": 123}'
                  onInput={(e) => set("data", (e.currentTarget as HTMLTextAreaElement).value)} />
              )}
            </Field>
          </details>}

          {canSend && (
            <Card title="When">
              <fieldset class="choice-cards choice-cards-4">
                <legend class="visually-hidden">When to send</legend>
                <label class={f.when === "now" ? "on" : ""}>
                  <input type="radio" name="when" checked={f.when === "now"} onChange={() => set("when", "now")} />
                  <span><strong>Send now</strong><span class="hint">Delivery starts as soon as you confirm</span></span>
                </label>
                <label class={f.when === "later" ? "on" : ""}>
                  <input type="radio" name="when" checked={f.when === "later"} onChange={() => set("when", "later")} />
                  <span><strong>Schedule</strong><span class="hint">At a date and time in {tz}</span></span>
                </label>
                <label class={f.when === "local" ? "on" : ""}>
                  <input type="radio" name="when" checked={f.when === "local"} onChange={() => set("when", "local")} />
                  <span><strong>Local time</strong><span class="hint">At a time of day on each subscriber's own clock</span></span>
                </label>
                <label class={f.when === "repeat" ? "on" : ""}>
                  <input type="radio" name="when" checked={f.when === "repeat"} onChange={() => set("when", "repeat")} />
                  <span><strong>Repeat</strong><span class="hint">Daily, weekly or monthly, until you stop it</span></span>
                </label>
              </fieldset>
              {f.when === "repeat" && <RepeatFields value={f.repeat} onChange={(r) => set("repeat", r)} error={err} tz={tz} />}
              {f.when === "local" && (
                <div class="grid-2">
                  <TextField label="Time on their clock" type="time" value={f.localTime} onValue={(v) => set("localTime", v)} error={err("local_delivery.time")} />
                  <TextField label="Date (optional)" type="date" value={f.localDate} onValue={(v) => set("localDate", v)} error={err("local_delivery.date")}
                    hint={f.localDate ? "Each subscriber gets it on this date at that time in their timezone (their browser's, else " + tz + ")." : "Empty: the next time their clock reads it, within a day of sending."} />
                </div>
              )}
              {f.when === "later" && (
                <TextField label={`Date and time (${tz})`} type="datetime-local" value={f.at} onValue={(v) => set("at", v)}
                  min={msToWallClock(Date.now(), tz)} max={msToWallClock(Date.now() + SCHEDULE_MAX_AHEAD_MS, tz)} error={err("scheduled_at")}
                  hint={scheduledAt ? `That is ${fmtDate(scheduledAt)} in your own time zone.` : "From now to a year ahead."} />
              )}
            </Card>
          )}

          <FormError error={error} fields={[...PATHS, ...CHANNEL_PATHS, ...f.actions.flatMap((_, i) => [`actions.${i}.title`, `actions.${i}.url`])]}
            labels={{ actions: "Buttons" }} />
          <div class="form-actions sticky-actions">
            {f.when !== "repeat" && <Button onClick={saveDraft} busy={busy === "draft"} disabled={!!busy}>Save draft</Button>}
            {canSend && (
              <Button variant="primary" onClick={openConfirm} disabled={!!busy}>
                {f.when === "repeat" ? "Create series…" : f.when === "later" || scheduledAt ? "Schedule…" : "Send now…"}
              </Button>
            )}
          </div>
        </div>

        <aside class="compose-preview" aria-label="Previews">
          <Card title={userChannels.length ? "Web push preview" : "Preview"}>
            {push
              ? <Previews title={f.title} body={f.body} icon={f.icon || site.settings.default_icon || ""} image={f.image} host={hostOf(site.url)} actions={f.actions} />
              : <p class="muted">Web push is off: this campaign goes out by {channelList(userChannels) || "no channel yet"} only.</p>}
          </Card>
        </aside>
      </div>

      <Dialog open={confirming} title={f.when === "repeat" ? "Create this recurring notification?" : scheduledAt ? "Schedule this notification?" : "Send this notification now?"} onClose={() => setConfirming(false)}
        actions={<>
          <Button onClick={() => setConfirming(false)} disabled={busy === "send"}>Cancel</Button>
          <Button variant="primary" onClick={send} busy={busy === "send"}>
            {f.when === "repeat" ? "Create series" : scheduledAt ? "Schedule" : `Send to ${audience.count != null ? fmtInt(audience.count) : "audience"}`}
          </Button>
        </>}>
        <p class="confirm-title">“{f.title}”</p>
        <p>
          {push
            ? <>It will go to <strong>{audience.count != null ? `${fmtInt(audience.count)} subscriber${audience.count === 1 ? "" : "s"}` : "the selected audience"}</strong> by web push</>
            : <>It will go to the selected audience</>}
          {userChannels.length > 0 && <>{push ? ", and" : ""} by <strong>{channelList(userChannels)}</strong> to each user with an address for it</>}
          {f.when === "repeat"
            ? <>, <strong>{recurrenceInWords(toRecurrence(f.repeat), tz).replace(/^Every/, "every")}</strong>, starting {f.repeat.start}</>
            : f.when === "local"
            ? <> at <strong>{f.localTime}</strong> on each subscriber's own clock{f.localDate ? <> on <strong>{f.localDate}</strong></> : <>, the next time it reads that</>}</>
            : f.when === "later" && scheduledAt ? <> on <strong>{fmtDate(scheduledAt, tz)}</strong> ({tz})</> : " right away"}.
        </p>
        {push && !userChannels.length && audience.count === 0 && <Alert tone="warn">No subscribers match this audience yet.</Alert>}
        <p class="muted small">{f.when === "repeat" ? "You can pause or delete it on the Automations page; sent runs can't be recalled." : "Sent notifications can't be recalled."}</p>
      </Dialog>
    </div>
  );
}
