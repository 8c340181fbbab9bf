// A secret the API shows only once (a site's identity secret, on creation and on each
// rotation): the value in a box with a copy button and the warning that it will not be shown
// again. The page that got it holds it in component state only: never in storage, gone on
// reload or when the person dismisses it.
import type { ComponentChildren } from "preact";
import { Alert, Button, CopyButton } from "./ui";

export function OneTimeSecret({ secret, name, children, onDone, doneLabel = "I've saved it" }: {
  secret: string; name: string; children?: ComponentChildren; onDone?: () => void; doneLabel?: string;
}) {
  return (
    <div class="one-time-secret">
      <Alert tone="warn" title="Copy it now: it will not be shown again.">{children}</Alert>
      <div class="secret">
        <code data-testid="one-time-secret" aria-label={name}>{secret}</code>
        <CopyButton text={secret} label="Copy secret" ariaLabel={`Copy the ${name}`} size="md" />
      </div>
      {onDone && <div class="form-actions"><Button onClick={onDone}>{doneLabel}</Button></div>}
    </div>
  );
}
