// Script of the demo customer page (GET /demo/?site=KEY, workers/routes/sdk.ts): drives
// window.Herald through its command queue, like a customer page would. Served as an
// external file because the page's CSP allows scripts from 'self' only.
// Before saying "Ready" it asks the API for the site's SDK config itself, so an unknown
// site key or an unreachable Herald is shown as such instead of a Subscribe button that fails.
export {};

type Herald = {
  subscribe(o?: { tags?: string[] }): Promise<{ subscriber_id: string }>;
  unsubscribe(): Promise<void>;
  isSubscribed(): Promise<boolean>;
  setTags(tags: string[]): Promise<{ subscriber_id: string }>;
  permission(): string;
};
const page = window as unknown as { HeraldQueue?: unknown[] };

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $("status");
const tagsInput = $<HTMLInputElement>("tags");
const buttons = ["subscribe", "unsubscribe", "set-tags"].map((id) => $<HTMLButtonElement>(id));

function show(text: string, kind: "ok" | "error" | "busy" | "" = "", code = "") {
  status.textContent = text;
  status.className = kind;
  // The SDK's error code, for developers reading the page (devtools) or a test.
  if (code) status.dataset.code = code;
  else delete status.dataset.code;
}
const tags = () => tagsInput.value.split(",").map((t) => t.trim()).filter(Boolean);

/** Why this page cannot work, in a sentence, or "" when the site's SDK config loads. */
const siteKey = new URLSearchParams(location.search).get("site") ?? "";
const configProblem: Promise<string> = fetch(`/api/sdk/config?site_key=${encodeURIComponent(siteKey)}`).then(
  async (res) => {
    if (res.ok) return "";
    if (res.status == 404) return "Unknown site key: check the ?site= parameter.";
    const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
    return body.error?.message ?? `Herald could not load this site's settings (HTTP ${res.status}). Try again in a moment.`;
  },
  () => "Cannot reach Herald. Check your connection and reload the page.",
);

async function refresh(herald: Herald, note?: string) {
  const subscribed = await herald.isSubscribed();
  $("permission").textContent = herald.permission();
  $("subscribed").textContent = subscribed ? "yes" : "no";
  buttons[0]!.disabled = subscribed;
  buttons[1]!.disabled = buttons[2]!.disabled = !subscribed;
  if (note) show(note, "ok");
}

async function wire(herald: Herald) {
  const problem = await configProblem;
  if (problem) {
    $("permission").textContent = $("subscribed").textContent = "—";
    return show(problem, "error");
  }
  const act = (button: HTMLButtonElement, working: string, run: () => Promise<string>) =>
    (button.onclick = async () => {
      buttons.forEach((b) => (b.disabled = true));
      show(working, "busy");
      try {
        await refresh(herald, await run());
      } catch (e) {
        // The SDK's messages are sentences meant for people; the code rides along in data-code.
        const err = e as Error & { code?: string };
        show(err.message || "Something went wrong. Try again.", "error", err.code);
        await refresh(herald).catch(() => {});
      }
    });
  act(buttons[0]!, "Subscribing…", async () => `Subscribed as ${(await herald.subscribe({ tags: tags() })).subscriber_id}`);
  act(buttons[1]!, "Unsubscribing…", async () => (await herald.unsubscribe(), "Unsubscribed"));
  act(buttons[2]!, "Saving tags…", async () => (await herald.setTags(tags()), `Tags set: ${tags().join(", ") || "(none)"}`));
  await refresh(herald, "Ready").catch((e) => show(e.message, "error"));
}

// The SDK never loaded (blocked, offline): say so rather than "Loading the SDK…" forever.
const SDK_LOAD_WAIT_MS = 15_000;
let wired = false;
const sdkMissing = setTimeout(async () => {
  if (!wired) show((await configProblem) || "The Herald SDK did not load. Check your connection and reload the page.", "error");
}, SDK_LOAD_WAIT_MS);

(page.HeraldQueue = page.HeraldQueue || []).push((herald: Herald) => {
  wired = true;
  clearTimeout(sdkMissing);
  return wire(herald);
});
