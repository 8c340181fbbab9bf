// The install page's contract: the steps GET …/install-code returns and the answer of
// POST …/install-check. Defined once for the Worker (services/install.ts) and the dashboard.
import { OutboundFailureReason } from "./outbound";

export const INSTALL_CHECK_OUTCOMES = ["installed", "not_found", "http_error", "redirected", "missing_import", "other_site_key"] as const;
export const INSTALL_CHECK_REASONS = [...INSTALL_CHECK_OUTCOMES, ...OutboundFailureReason.options] as const;
export type InstallCheckReason = (typeof INSTALL_CHECK_REASONS)[number];

export interface InstallCheckResult {
  url: string;
  reachable: boolean;
  imports_herald: boolean;
  status: number | null;
  reason: InstallCheckReason;
  detail: string;
}

export interface InstallStep {
  id: "service_worker" | "sdk_tag" | "subscribe" | "identify" | "check";
  title: string;
  text: string;
  snippets: Array<{ label: string; language: "html" | "js" | "php"; code: string }>;
  optional: boolean;
}

