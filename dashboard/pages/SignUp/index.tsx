// Create an account; signs in straight away and goes to site creation.
import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { api, type ApiError } from "../../api";
import { AuthCard } from "../../components/AuthCard";
import { Button, FormError, TextField } from "../../components/ui";
import { toApiError } from "../../lib/use-resource";
import { startSession } from "../../state/session";

const PASSWORD_MIN = 10;

export default function SignUp() {
  const { route } = useLocation();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      startSession(await api.register({ name, email, password }));
      route("/", true);
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  };

  return (
    <AuthCard title="Create your Herald account" footer={<>Already have an account? <a href="/signin">Sign in</a></>}>
      <form onSubmit={submit} noValidate>
        <FormError error={error} fields={["name", "email", "password"]} />
        <TextField label="Your name" autocomplete="name" required value={name} onValue={setName} error={error?.field("name")} />
        <TextField label="Work email" type="email" autocomplete="email" required value={email} onValue={setEmail} error={error?.field("email")} />
        <TextField label="Password" type="password" autocomplete="new-password" required minLength={PASSWORD_MIN} value={password} onValue={setPassword}
          hint={`At least ${PASSWORD_MIN} characters.`} error={error?.field("password")} />
        <Button type="submit" variant="primary" busy={busy} class="btn-block">Create account</Button>
      </form>
    </AuthCard>
  );
}
