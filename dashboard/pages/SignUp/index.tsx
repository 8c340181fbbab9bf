// Create an account; signs in straight away and goes to site creation.
import { useLocation } from "preact-iso";
import { useRef, useState } from "preact/hooks";
import { PASSWORD_MIN_LENGTH } from "../../../workers/config";
import { api } from "../../api";
import { AuthCard } from "../../components/AuthCard";
import { Button, FormError, TextField, useRevealErrors } from "../../components/ui";
import { useSubmit } from "../../lib/use-submit";
import { startSession } from "../../state/session";

export default function SignUp() {
  const { route } = useLocation();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, submit } = useSubmit(async () => {
    startSession(await api.register({ name, email, password }));
    route("/", true);
  });
  const form = useRef<HTMLFormElement>(null);
  useRevealErrors(form, error);

  return (
    <AuthCard title="Create your Herald account" footer={<>Already have an account? <a href="/signin">Sign in</a></>}>
      <form onSubmit={submit} noValidate ref={form}>
        <FormError error={error} fields={["name", "email", "password"]} />
        <TextField label="Your name" autocomplete="name" required value={name} onValue={setName} error={error?.field("name")} />
        <TextField label="Work email" type="email" autocomplete="email" required value={email} onValue={setEmail} error={error?.field("email")} />
        <TextField label="Password" type="password" autocomplete="new-password" required minLength={PASSWORD_MIN_LENGTH} value={password} onValue={setPassword}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters`} error={error?.field("password")} />
        <Button type="submit" variant="primary" busy={busy} class="btn-block">Create account</Button>
      </form>
    </AuthCard>
  );
}
