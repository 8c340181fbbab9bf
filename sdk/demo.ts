// Script of the demo customer page (GET /demo/?site=KEY, workers/routes/sdk.ts): drives
// window.Herald through its command queue, like a customer page would. Served as an
// external file because the page's CSP allows scripts from 'self' only.
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

function show(text: string, kind: "ok" | "error" | "" = "") {
  status.textContent = text;
  status.className = kind;
}
const tags = () => tagsInput.value.split(",").map((t) => t.trim()).filter(Boolean);

async function refresh(herald: Herald, note?: string) {
  const subscribed = await herald.isSubscribed();
  $("permission").textContent = herald.permission();
  $("subscribed").textContent = subscribed ? "yes" : "no";
  buttons[0]!.disabled = subscribed;
  buttons[1]!.disabled = buttons[2]!.disabled = !subscribed;
  if (note) show(note, "ok");
}

function wire(herald: Herald) {
  const act = (button: HTMLButtonElement, run: () => Promise<string>) =>
    (button.onclick = async () => {
      buttons.forEach((b) => (b.disabled = true));
      show("Working…");
      try {
        await refresh(herald, await run());
      } catch (e) {
        const err = e as Error & { code?: string };
        show(`${err.code ?? "error"}: ${err.message}`, "error");
        await refresh(herald);
      }
    });
  act(buttons[0]!, async () => `Subscribed as ${(await herald.subscribe({ tags: tags() })).subscriber_id}`);
  act(buttons[1]!, async () => (await herald.unsubscribe(), "Unsubscribed"));
  act(buttons[2]!, async () => (await herald.setTags(tags()), `Tags set: ${tags().join(", ") || "(none)"}`));
  refresh(herald, "Ready").catch((e) => show(e.message, "error"));
}

(page.HeraldQueue = page.HeraldQueue || []).push(wire);
