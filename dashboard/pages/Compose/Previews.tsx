// Live previews of a notification as Chrome renders it on desktop (Linux/ChromeOS), and as
// macOS, Windows 11 and Android show Chrome's notifications. Approximations in CSS: close
// enough to judge length, truncation and imagery before sending.
import { useState } from "preact/hooks";
import type { NotificationAction } from "../../types";

export interface PreviewProps { title: string; body: string; icon: string; image: string; host: string; actions: NotificationAction[] }

const PLATFORMS = [
  ["chrome", "Chrome desktop"],
  ["macos", "macOS"],
  ["windows", "Windows"],
  ["android", "Android"],
] as const;
type Platform = (typeof PLATFORMS)[number][0];

function Img({ src, class: cls, fallback }: { src: string; class: string; fallback?: string }) {
  const [broken, setBroken] = useState<string | null>(null);
  const usable = /^https:\/\//.test(src) && broken !== src;
  if (!usable) return fallback ? <span class={`${cls} img-fallback`} aria-hidden="true">{fallback}</span> : null;
  return <img class={cls} src={src} alt="" loading="lazy" referrerpolicy="no-referrer" onError={() => setBroken(src)} />;
}

const ChromeLogo = ({ size = "sm" }: { size?: "sm" | "lg" }) => <span class={`chrome-logo chrome-logo-${size}`} aria-hidden="true" />;

/** Title, body, icon, image and buttons: laid out the same by Chrome desktop and Android. */
function CardBody({ p, titleClass = "" }: { p: PreviewProps; titleClass?: string }) {
  return (
    <>
      <div class="pv-row">
        <div class="pv-text">
          <div class={`pv-title ${titleClass}`.trim()}>{p.title || "Notification title"}</div>
          {p.body && <div class="pv-body clamp-2">{p.body}</div>}
        </div>
        <Img src={p.icon} class="pv-icon" fallback={(p.title || "N").slice(0, 1)} />
      </div>
      <Img src={p.image} class="pv-image" />
      {p.actions.length > 0 && <div class="pv-actions">{p.actions.map((a) => <span key={a.action}>{a.title || "Action"}</span>)}</div>}
    </>
  );
}

function Chrome(p: PreviewProps) {
  return (
    <div class="pv pv-chrome">
      <div class="pv-head"><ChromeLogo /> <span>Google Chrome</span> <span class="pv-dot">•</span> <span>{p.host}</span></div>
      <CardBody p={p} />
    </div>
  );
}

function MacOS(p: PreviewProps) {
  return (
    <div class={`pv pv-macos ${p.actions.length ? "has-options" : ""}`}>
      <ChromeLogo size="lg" />
      <div class="pv-text">
        <div class="pv-title clamp-1">{p.title || "Notification title"}</div>
        <div class="pv-sub clamp-1">{p.host}</div>
        {p.body && <div class="pv-body clamp-2">{p.body}</div>}
      </div>
      <Img src={p.icon} class="pv-icon" />
      <span class="pv-time">now</span>
      {p.actions.length > 0 && <span class="pv-options">Options ⌄</span>}
    </div>
  );
}

function Windows(p: PreviewProps) {
  return (
    <div class="pv pv-windows">
      <div class="pv-head"><ChromeLogo /> <span>Google Chrome</span><span class="pv-spacer" /><span aria-hidden="true">···  ✕</span></div>
      <Img src={p.image} class="pv-hero" />
      <div class="pv-row">
        <Img src={p.icon} class="pv-icon" fallback={(p.title || "N").slice(0, 1)} />
        <div class="pv-text">
          <div class="pv-title clamp-2">{p.title || "Notification title"}</div>
          {p.body && <div class="pv-body clamp-3">{p.body}</div>}
          <div class="pv-sub">{p.host}</div>
        </div>
      </div>
      {p.actions.length > 0 && <div class="pv-actions">{p.actions.map((a) => <span key={a.action}>{a.title || "Action"}</span>)}</div>}
    </div>
  );
}

function Android(p: PreviewProps) {
  return (
    <div class="pv pv-android">
      <div class="pv-head"><ChromeLogo /> <span>Chrome</span> <span class="pv-dot">•</span> <span>{p.host}</span> <span class="pv-dot">•</span> <span>now</span> <span class="pv-spacer" /><span aria-hidden="true">⌃</span></div>
      <CardBody p={p} titleClass="clamp-1" />
    </div>
  );
}

const RENDER: Record<Platform, (p: PreviewProps) => preact.JSX.Element> = { chrome: Chrome, macos: MacOS, windows: Windows, android: Android };

export function Previews(props: PreviewProps) {
  const [platform, setPlatform] = useState<Platform | "all">("all");
  const shown = platform === "all" ? PLATFORMS.map(([k]) => k) : [platform];
  return (
    <div class="previews">
      <fieldset class="segmented">
        <legend class="visually-hidden">Preview platform</legend>
        {[["all", "All"] as const, ...PLATFORMS].map(([k, long]) => [k, long.replace(" desktop", "")] as const).map(([k, label]) => (
          <label key={k} class={platform === k ? "on" : ""}>
            <input type="radio" name="preview-platform" value={k} checked={platform === k} onChange={() => setPlatform(k)} />
            {label}
          </label>
        ))}
      </fieldset>
      {shown.map((k) => {
        const R = RENDER[k];
        return (
          <figure key={k} class="preview">
            <figcaption>{PLATFORMS.find(([p]) => p === k)![1]}</figcaption>
            <div class={`pv-stage pv-stage-${k}`}><R {...props} /></div>
          </figure>
        );
      })}
    </div>
  );
}
