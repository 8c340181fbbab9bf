// Script of the demo customer page (GET /demo/?site=KEY, workers/routes/sdk.ts): drives
// window.Herald through its command queue, like a customer page would. Served as an
// external file because the page's CSP allows scripts from 'self' only.
// Before saying "Ready" it asks the API for the site's SDK config itself, so an unknown
// site key or an unreachable Herald is shown as such instead of a Subscribe button that fails.
// With ?user=ID&user_hash=HASH (the sign-in form, or a test) it plays a signed-in user:
// Herald.identify() then the inbox bell in the header (Herald.inbox.mount).
export {};

type Herald = NonNullable<Window["Herald"]>;
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

const params = new URLSearchParams(location.search);
const user = params.get("user") ?? "";
const userHash = params.get("user_hash") ?? "";

/** The signed-in part: identify, mount the bell, say how many are unread (or why not). */
async function signIn(herald: Herald) {
  if (!user || !userHash) {
    $("signin").hidden = false;
    return;
  }
  $("signed-in").hidden = false;
  $("user-name").textContent = user;
  const inboxStatus = $("inbox-status");
  const say = (text: string, kind = "") => ((inboxStatus.textContent = text), (inboxStatus.className = kind));
  try {
    if (await configProblem) return say("The inbox needs a working site key.", "error");
    await herald.identify(user, userHash);
    herald.inbox.on("counts", (c) => say(`${c.unread} unread of ${c.total} in the inbox.`, "ok"));
    await herald.inbox.mount("#inbox");
    await herald.inbox.counts();
  } catch (e) {
    const err = e as Error & { code?: string };
    say(err.message || "The inbox could not be loaded.", "error");
    if (err.code) inboxStatus.dataset.code = err.code;
  }
}

(page.HeraldQueue = page.HeraldQueue || []).push((herald: Herald) => {
  wired = true;
  clearTimeout(sdkMissing);
  return Promise.all([wire(herald), signIn(herald)]);
});
