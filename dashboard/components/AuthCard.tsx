// The centred card sign-in and sign-up share.
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import { Logo } from "./AppShell";

export function AuthCard({ title, children, footer }: { title: string; children: ComponentChildren; footer: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · Herald`;
  }, [title]);
  return (
    <main class="auth">
      <div class="auth-brand">
        <Logo />
        <span>Herald</span>
      </div>
      <div class="auth-card">
        <h1>{title}</h1>
        {children}
      </div>
      <p class="auth-footer">{footer}</p>
    </main>
  );
}
