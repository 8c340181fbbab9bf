// Resend stand-in: the send email API as Resend serves it (https://resend.com/docs/api-reference).
//
//   POST /emails        Authorization: Bearer re_…; JSON { from, to (string or ≤ 50), subject, html?, text? }
//        200 { id }                          accepted
//        401 missing_api_key                 no Authorization header
//        403 invalid_api_key                 not a re_… key, or one starting "re_invalid"
//        422 missing_required_field / validation_error   a missing or malformed field (Resend
//                                            names it in backticks: "Invalid `to` field. …")
//        403 validation_error                from on a domain starting "unverified" (not verified)
//   Errors are { statusCode, name, message }.
//
// Failure modes by the first recipient's local part (case-insensitive prefix):
//   invalid…   422 validation_error about `to`
//   ratelimit… 429 rate_limit_exceeded once per address (ratelimit-* headers, retry-after: 1), then 200
//   error…     500 internal_server_error once per address, then 200
//   slow…      200 after SLOW_MS
import { randomUUID } from "node:crypto";
import type { StandIn, StandInContext } from "./types.ts";

const SLOW_MS = 3000;
const KEY_PATTERN = /^re_[A-Za-z0-9_]{16,64}$/;
const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;
const MAX_RECIPIENTS = 50;

const error = (statusCode: number, name: string, message: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ statusCode, name, message }), { status: statusCode, headers: { "content-type": "application/json", ...headers } });

/** "Name <a@b.example>" or "a@b.example" → the address, or null when malformed. */
function address(mailbox: string): string | null {
  const m = /^\s*(?:"(?:[^"\\]|\\.)*"|[^<>"]*)\s*<([^<>]+)>\s*$/.exec(mailbox);
  const email = (m ? m[1]! : mailbox).trim();
  return EMAIL.test(email) ? email : null;
}

function validate(body: Record<string, unknown>): { to: string[]; from: string } | Response {
  for (const field of ["from", "to", "subject"]) {
    if (body[field] === undefined || body[field] === "") return error(422, "missing_required_field", `Missing \`${field}\` field.`);
  }
  const from = typeof body.from === "string" ? address(body.from) : null;
  if (!from) return error(422, "validation_error", "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.");
  const list = Array.isArray(body.to) ? body.to : [body.to];
  if (list.length === 0 || list.length > MAX_RECIPIENTS) return error(422, "validation_error", `Invalid \`to\` field. You can send to at most ${MAX_RECIPIENTS} recipients.`);
  const to: string[] = [];
  for (const r of list) {
    const email = typeof r === "string" ? address(r) : null;
    if (!email || /^invalid/i.test(email)) {
      return error(422, "validation_error", "Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.");
    }
    to.push(email);
  }
  if (typeof body.subject !== "string") return error(422, "validation_error", "Invalid `subject` field. It must be a string.");
  if (body.html === undefined && body.text === undefined) return error(422, "validation_error", "Missing `html` or `text` field.");
  const domain = from.split("@")[1]!;
  if (/^unverified/i.test(domain)) {
    return error(403, "validation_error", `The ${domain} domain is not verified. Please, add and verify your domain on https://resend.com/domains`);
  }
  return { to, from };
}

async function sendEmail(req: Request, ctx: StandInContext): Promise<Response> {
  const text = await req.text();
  const headers: Record<string, string> = {};
  req.headers.forEach((v, k) => (headers[k] = v));
  const record = (res: Response, parsed?: unknown, messageId?: string) => {
    ctx.record({ method: req.method, path: "/emails", headers, body: text, parsed, status: res.status, ...(messageId ? { messageId } : {}) });
    return res;
  };
  const auth = req.headers.get("authorization");
  if (!auth) return record(error(401, "missing_api_key", "Missing API key in the authorization header."));
  const key = /^Bearer (.+)$/.exec(auth)?.[1]?.trim() ?? "";
  if (!KEY_PATTERN.test(key) || key.startsWith("re_invalid")) return record(error(403, "invalid_api_key", "API key is invalid"));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return record(error(400, "validation_error", "We found an error with one or more fields in the request: the body is not valid JSON."));
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return record(error(422, "validation_error", "The request body must be a JSON object."));
  const mail = validate(body as Record<string, unknown>);
  if (mail instanceof Response) return record(mail, body);
  const local = mail.to[0]!.toLowerCase();
  if (local.startsWith("ratelimit") && ctx.seen(`resend:429:${local}`) === 0) {
    return record(
      error(429, "rate_limit_exceeded", "Too many requests. You can only make 2 requests per second. See rate limit response headers for more information. Or contact support to increase rate limit.", {
        "ratelimit-limit": "2",
        "ratelimit-remaining": "0",
        "ratelimit-reset": "1",
        "retry-after": "1",
      }),
      body,
    );
  }
  if (local.startsWith("error") && ctx.seen(`resend:500:${local}`) === 0) return record(error(500, "internal_server_error", "An unexpected error occurred."), body);
  if (local.startsWith("slow")) await new Promise((r) => setTimeout(r, SLOW_MS));
  const id = randomUUID();
  return record(new Response(JSON.stringify({ id }), { status: 200, headers: { "content-type": "application/json" } }), body, id);
}

export const resend: StandIn = {
  name: "resend",
  async handle(req, url, ctx) {
    if (url.pathname === "/emails" && req.method === "POST") return sendEmail(req, ctx);
    return null;
  },
};
