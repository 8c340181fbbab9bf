// Identity verification's contract: what GET …/identity and POST …/identity/rotate answer
// (services/identity.ts), shared with the dashboard's Settings page.
export interface IdentityStatus {
  configured: boolean;
  /** The secret's last four characters, to recognise it. */
  hint: string | null;
  created_at: number | null;
  /** Until when the secret replaced by the last rotation still verifies. */
  previous_valid_until: number | null;
}

export interface IssuedSecret extends IdentityStatus {
  /** Shown once: only its seal is stored. */
  secret: string;
}

