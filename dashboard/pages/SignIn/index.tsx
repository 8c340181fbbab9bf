// Sign in with email and password; the API sets the refresh cookie, we keep the access token.
import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { api } from "../../api";
import { AuthCard } from "../../components/AuthCard";
import { Alert, Button, FormError, TextField } from "../../components/ui";
import { useSubmit } from "../../lib/use-submit";
import { sessionNotice, startSession } from "../../state/session";

/** Only same-origin paths are followed after sign-in (no open redirect). */
export function safeNext(query: Record<string, string>) {
  const next = query.next ?? "/";
  return next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export default function SignIn() {
  const { query, route } = useLocation();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, submit } = useSubmit(async () => {
    startSession(await api.login({ email, password }));
    route(safeNext(query), true);
  });

  return (
    <AuthCard title="Sign in to Herald" footer={<>New to Herald? <a href="/signup">Create an account</a></>}>
      {sessionNotice.value && !error && <Alert tone="info">{sessionNotice.value}</Alert>}
      <form onSubmit={submit} noValidate>
        <FormError error={error} fields={["email", "password"]} />
        <TextField label="Email" type="email" autocomplete="email" required value={email} onValue={setEmail} error={error?.field("email")} />
        <TextField label="Password" type="password" autocomplete="current-password" required value={password} onValue={setPassword} error={error?.field("password")} />
        <Button type="submit" variant="primary" busy={busy} class="btn-block">Sign in</Button>
      </form>
    </AuthCard>
  );
}
