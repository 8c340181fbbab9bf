// The small kit every page is built from: fields with labels and error text, buttons,
// states (loading, empty, error), cards, badges, a modal dialog and a copy button.
import type { ButtonHTMLAttributes, ComponentChildren, InputHTMLAttributes, RefObject } from "preact";
import { useEffect, useId, useRef, useState } from "preact/hooks";
import type { ApiError } from "../api";
import { toast, toasts } from "../state/toasts";

type ButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type" | "size"> & {
  variant?: "primary" | "secondary" | "danger" | "ghost";
  size?: "sm" | "md";
  busy?: boolean;
  type?: "button" | "submit";
  disabled?: boolean;
};
export function Button({ variant = "secondary", size = "md", busy, children, class: cls, disabled, type = "button", ...rest }: ButtonProps) {
  return (
    <button {...rest} type={type} class={`btn btn-${variant} btn-${size} ${cls ?? ""}`} disabled={disabled || busy} aria-busy={busy || undefined}>
      {busy && <span class="spinner spinner-sm" aria-hidden="true" />}
      {children}
    </button>
  );
}

interface FieldProps {
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ComponentChildren;
  class?: string;
}
/** A label, the control (render prop, so it gets the ids), a hint and the API's message for it. */
export function Field({ label, hint, error, children, class: cls }: FieldProps) {
  const id = useId();
  const hintId = hint && !error ? `${id}-hint` : undefined; // the hint is not shown beside an error
  const errId = error ? `${id}-err` : undefined;
  const describedBy = [hintId, errId].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field ${error ? "field-invalid" : ""} ${cls ?? ""}`}>
      <label for={id}>{label}</label>
      {children({ id, describedBy, invalid: !!error })}
      {hint && !error && <p class="hint" id={hintId}>{hint}</p>}
      {error && <p class="field-error" id={errId}>{error}</p>}
    </div>
  );
}

interface InputProps {
  label: ComponentChildren; hint?: ComponentChildren; error?: string; value: string | number; onValue: (v: string) => void;
  type?: string; placeholder?: string; required?: boolean; autocomplete?: string; maxLength?: number; minLength?: number;
  min?: number | string; max?: number | string; step?: string; class?: string; disabled?: boolean; name?: string;
}
export function TextField({ label, hint, error, value, onValue, class: cls, ...rest }: InputProps) {
  return (
    <Field label={label} hint={hint} error={error} class={cls as string}>
      {({ id, describedBy, invalid }) => (
        <input {...(rest as InputHTMLAttributes<HTMLInputElement>)} id={id} value={value} aria-describedby={describedBy} aria-invalid={invalid || undefined}
          onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)} />
      )}
    </Field>
  );
}

export function SelectField({ label, hint, error, value, onValue, options, disabled }: {
  label: ComponentChildren; hint?: ComponentChildren; error?: string; value: string; onValue: (v: string) => void;
  options: (string | [string, string])[]; disabled?: boolean;
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => (
        <select id={id} value={value} disabled={disabled} aria-describedby={describedBy} aria-invalid={invalid || undefined}
          onChange={(e) => onValue((e.currentTarget as HTMLSelectElement).value)}>
          {options.map((o) => {
            const [v, text] = typeof o === "string" ? [o, o] : o;
            return <option key={v} value={v}>{text}</option>;
          })}
        </select>
      )}
    </Field>
  );
}

export function Checkbox({ label, checked, onChange, hint, disabled }: { label: ComponentChildren; checked: boolean; onChange: (v: boolean) => void; hint?: ComponentChildren; disabled?: boolean }) {
  return (
    <label class="checkbox">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)} />
      <span>
        {label}
        {hint && <span class="hint">{hint}</span>}
      </span>
    </label>
  );
}

export function Alert({ tone = "error", title, children }: { tone?: "error" | "info" | "warn" | "ok"; title?: string; children?: ComponentChildren }) {
  return (
    <div class={`alert alert-${tone}`} role={tone === "error" ? "alert" : "status"}>
      {title && <strong>{title}</strong>}
      {children && <div>{children}</div>}
    </div>
  );
}

/** "settings.soft_prompt.delay_s" → "Soft prompt delay", for messages no field on the form shows. */
function humanPath(path: string): string {
  const words = path.split(".").filter((p) => p !== "settings" && p !== "body").map((p) => (/^\d+$/.test(p) ? String(Number(p) + 1) : p.replace(/_s$/, "").replace(/_/g, " ")));
  const text = words.join(" ") || "Request";
  return text[0]!.toUpperCase() + text.slice(1);
}

/**
 * The form-level message of an API error, as a plain sentence. Messages for the fields the
 * form renders (`fields`: API paths; a path covers what is under it) are shown at those
 * fields; anything else is listed here with a readable name (`labels`, or the path in words).
 * Focusable, so a failed submit can move focus here when no field is to blame.
 */
export function FormError({ error, fields = [], labels = {} }: { error: ApiError | null; fields?: string[]; labels?: Record<string, string> }) {
  if (!error) return null;
  const shown = (path: string) => fields.some((f) => path === f || path.startsWith(`${f}.`));
  const atFields = error.fields.filter((f) => shown(f.path));
  const rest = error.fields.filter((f) => !shown(f.path));
  const label = (path: string) => labels[path] ?? humanPath(path);
  const lead = atFields.length
    ? atFields.length === 1 ? "Please correct the highlighted field." : "Please correct the highlighted fields."
    : error.message;
  const list = atFields.length ? rest : rest.length > 1 ? rest : [];
  return (
    <div class="alert alert-error form-error" role="alert" tabIndex={-1}>
      <div>{lead}</div>
      {list.length > 0 && <ul>{list.map((f) => <li key={f.path}>{label(f.path)}: {f.message}</li>)}</ul>}
    </div>
  );
}

/**
 * After a failed submit: scrolls the first field with an error (else the form's error
 * message) into the middle of the screen, clear of sticky bars, opening any collapsed
 * <details> around it, and focuses it so keyboard and screen reader users land there too.
 */
export function revealFirstError(root: HTMLElement | null) {
  const target = root?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? root?.querySelector<HTMLElement>(".form-error, .alert-error");
  if (!target) return;
  for (let d = target.closest("details"); d; d = d.parentElement?.closest("details") ?? null) d.open = true;
  const smooth = !matchMedia("(prefers-reduced-motion: reduce)").matches;
  target.scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
  target.focus({ preventScroll: true });
}

/** Runs revealFirstError once the form has rendered a new error (each failed submit). */
export function useRevealErrors(root: RefObject<HTMLElement | null>, error: unknown) {
  useEffect(() => {
    if (!error) return;
    // After the other effects of this render: a closing <dialog> hands focus back to its opener.
    const timer = setTimeout(() => revealFirstError(root.current), 0);
    return () => clearTimeout(timer);
  }, [error]);
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div class="state state-loading" role="status">
      <span class="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function Empty({ title, children, action }: { title: string; children?: ComponentChildren; action?: ComponentChildren }) {
  return (
    <div class="state state-empty">
      <div class="state-icon" aria-hidden="true">○</div>
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {action}
    </div>
  );
}

export function ErrorState({ error, retry, what = "this page" }: { error: ApiError; retry?: () => void; what?: string }) {
  const pending = error.missingRoute;
  return (
    <div class="state state-error" role="alert">
      <div class="state-icon" aria-hidden="true">{pending ? "…" : "!"}</div>
      <h3>{pending ? `${what[0]!.toUpperCase()}${what.slice(1)} is not available on this server yet` : `Could not load ${what}`}</h3>
      <p>{pending ? "This part of the Herald API has not been deployed here. It will appear once it is." : error.message}</p>
      {retry && <Button onClick={retry}>Try again</Button>}
    </div>
  );
}

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ComponentChildren; actions?: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · Herald`;
  }, [title]);
  return (
    <header class="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p class="subtitle">{subtitle}</p>}
      </div>
      {actions && <div class="page-actions">{actions}</div>}
    </header>
  );
}

export function Card({ title, children, actions, class: cls }: { title?: ComponentChildren; children: ComponentChildren; actions?: ComponentChildren; class?: string }) {
  return (
    <section class={`card ${cls ?? ""}`}>
      {(title || actions) && (
        <div class="card-head">
          {title && <h2>{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

export function Stat({ label, value, sub }: { label: string; value: ComponentChildren; sub?: ComponentChildren }) {
  return (
    <div class="stat">
      <div class="stat-label">{label}</div>
      <div class="stat-value">{value}</div>
      {sub && <div class="stat-sub">{sub}</div>}
    </div>
  );
}

const TONES: Record<string, string> = {
  draft: "grey", scheduled: "blue", sending: "amber", completed: "green", cancelled: "grey", failed: "red",
  owner: "violet", admin: "blue", member: "grey", active: "green", inactive: "grey", revoked: "red",
};
export function Badge({ children, tone }: { children: string; tone?: string }) {
  return <span class={`badge badge-${tone ?? TONES[children] ?? "grey"}`}>{children}</span>;
}

/** A modal on the native <dialog>: focus is trapped, Escape closes, focus returns on close. */
export function Dialog({ open, title, onClose, children, actions }: { open: boolean; title: string; onClose: () => void; children: ComponentChildren; actions?: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby={titleId} onClose={onClose} onCancel={(e) => (e.preventDefault(), onClose())}>
      {open && (
        <div class="dialog-body">
          <h2 id={titleId}>{title}</h2>
          {children}
          {actions && <div class="dialog-actions">{actions}</div>}
        </div>
      )}
    </dialog>
  );
}

export function CopyButton({ text, label = "Copy", size = "sm", ariaLabel }: { text: string; label?: string; size?: "sm" | "md"; ariaLabel?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard API needs a secure context and permission; fall back to a hidden textarea.
      const ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.className = "visually-hidden";
      document.body.append(ta);
      ta.select();
      document.execCommand("copy");
      ta.remove();
    }
    setCopied(true);
    toast("Copied to clipboard");
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <Button size={size} onClick={copy} aria-label={copied ? "Copied" : ariaLabel ?? label}>
      {copied ? "Copied ✓" : label}
    </Button>
  );
}

export function Toasts() {
  return (
    <div class="toasts" aria-live="polite" aria-atomic="false">
      {toasts.value.map((t) => (
        <div key={t.id} class={`toast toast-${t.tone}`}>{t.text}</div>
      ))}
    </div>
  );
}

/** A snippet with a copy button. label: shown above it; name: its accessible name when the
 *  label alone is ambiguous on the page (two "HTML" snippets), e.g. "Step title: HTML". */
export function CodeBlock({ code, label, name = label }: { code: string; label: string; name?: string }) {
  return (
    <div class="code-block">
      <div class="code-head">
        <span>{label}</span>
        <CopyButton text={code} label="Copy" ariaLabel={`Copy ${name}`} />
      </div>
      <pre tabIndex={0} aria-label={name}><code>{code}</code></pre>
    </div>
  );
}

/** Shown instead of a page whose chunk failed to load (offline, or a deploy replaced it). */
export function ChunkError() {
  return (
    <div class="page">
      <div class="state state-error" role="alert">
        <div class="state-icon" aria-hidden="true">!</div>
        <h3>This page could not be loaded</h3>
        <p>Herald may have been updated, or your connection dropped.</p>
        <Button variant="primary" onClick={() => location.reload()}>Reload</Button>
      </div>
    </div>
  );
}

/** A lazily loaded page that degrades to ChunkError instead of a blank screen. */
export const lazyPage = <T,>(load: () => Promise<{ default: T }>) =>
  load().then((m) => m, () => ({ default: ChunkError as unknown as T }));
