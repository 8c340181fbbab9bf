// One error type and the catalogue of stable error codes. A code never changes
// meaning once shipped; clients (the dashboard, the SDK, API users) switch on it.
// Every error response has the shape { "error": { "code", "message", "fields"? } }.
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { fieldSentence } from "./lib/messages";

export const ERROR_CATALOGUE = {
  validation_failed: { status: 400, message: "The request is invalid." },
  bad_request: { status: 400, message: "The request is malformed." },
  invalid_site_key: { status: 400, message: "site must be a site key: 1-64 letters, digits, '_' or '-'." },
  invalid_json: { status: 400, message: "The request body is not valid JSON." },
  json_too_deep: { status: 400, message: "The request body nests arrays and objects too deeply." },
  unauthorized: { status: 401, message: "Authentication is required." },
  invalid_credentials: { status: 401, message: "Email or password is incorrect." },
  invalid_token: { status: 401, message: "The token is invalid or expired." },
  refresh_token_reused: { status: 401, message: "This refresh token was already used; the session has been revoked." },
  forbidden: { status: 403, message: "You do not have permission to do this." },
  insufficient_scope: { status: 403, message: "This API key lacks the scope required for this action." },
  identity_unverified: {
    status: 403,
    message: "external_id must be verified: pass external_id_hash, the HMAC-SHA256 of the external id under the site's identity secret.",
  },
  origin_not_allowed: { status: 403, message: "This origin is not allowed for the site." },
  not_found: { status: 404, message: "Not found." },
  route_not_found: { status: 404, message: "No such route." },
  email_taken: { status: 409, message: "An account with this email already exists." },
  already_member: { status: 409, message: "This user is already a member of the site." },
  last_owner: { status: 409, message: "A site must keep at least one owner." },
  invalid_state: { status: 409, message: "The resource is not in a state that allows this." },
  webhook_limit_reached: { status: 409, message: "The site has as many webhook endpoints as it may have; delete one first." },
  channel_not_configured: { status: 409, message: "The site has no provider for this channel: add an integration first." },
  subscriber_gone: { status: 410, message: "This subscriber no longer exists." },
  idempotency_conflict: { status: 422, message: "This Idempotency-Key was used with a different request." },
  idempotency_in_progress: { status: 409, message: "A request with this Idempotency-Key is still being processed." },
  template_exists: { status: 409, message: "A template with this key already exists." },
  template_unpublished: { status: 409, message: "The template has no published version yet." },
  template_syntax_error: { status: 400, message: "A template part has a Liquid syntax error." },
  template_missing_variable: { status: 422, message: "The template uses a variable that is not set, without a default." },
  template_render_error: { status: 422, message: "The template could not be rendered with this data." },
  template_no_channel: { status: 422, message: "The template has no part for this channel." },
  category_exists: { status: 409, message: "A category with this key already exists." },
  category_required: { status: 403, message: "This category is required: users cannot switch it off." },
  push_payload_too_large: { status: 400, message: "The notification is too large for a push message (4096 bytes encrypted)." },
  payload_too_large: { status: 413, message: "The request body is too large." },
  unsupported_media_type: { status: 415, message: "Content-Type must be application/json." },
  upgrade_required: { status: 426, message: "This endpoint speaks WebSocket: send an Upgrade: websocket request." },
  signature_invalid: { status: 401, message: "X-Herald-Signature is missing or does not match the body under the trigger's secret." },
  signature_expired: { status: 401, message: "The signature's timestamp is outside the 5-minute window: sign the call when you send it." },
  signature_replayed: { status: 409, message: "This signed call was already received." },
  payload_unmapped: { status: 422, message: "The payload does not have what the trigger's mapping needs." },
  rate_limited: { status: 429, message: "Too many requests; retry later." },
  internal: { status: 500, message: "Something went wrong on our side." },
  unavailable: { status: 503, message: "A dependency is unavailable." },
} as const satisfies Record<string, { status: ContentfulStatusCode; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
export interface FieldError {
  path: string;
  message: string;
  /** Where in a template field the problem is (1-based), for template errors. */
  line?: number;
  column?: number;
}

export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly fields?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.status = ERROR_CATALOGUE[code].status;
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

/** The code an HTTP status thrown by a framework (an HTTPException) answers with. Statuses not
 *  listed are ours to fix: a 4xx becomes bad_request, anything else internal (see app.ts). */
export const CODE_FOR_HTTP_STATUS: Partial<Record<number, ErrorCode>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
  503: "unavailable",
};

export const notFound = (what = "Not found.") => new ApiError("not_found", what);
/** A validation error about one field; the message names the field in words (lib/messages.ts). */
export const invalidField = (path: string, message: string) =>
  new ApiError("validation_failed", fieldSentence(path, message), [{ path, message }]);
