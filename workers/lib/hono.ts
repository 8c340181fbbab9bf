// Shared Hono plumbing: the app's Env/Variables type, router factory with the
// validation hook that turns zod issues into our error shape (plain sentences from
// lib/messages.ts, installed here as zod's error map), and OpenAPI helpers.
import { OpenAPIHono, z } from "@hono/zod-openapi";
import { PATH_ID_PATTERN } from "../config";
import { ApiError, type FieldError } from "../errors";
import { fieldSentence, type IssueLike, issueMessage } from "./messages";
import type { Deps } from "../services/deps";
import type { Principal, SiteAccess } from "../services/access";

export interface AppEnv {
  Bindings: Env;
  Variables: { deps: Deps; principal: Principal; access: SiteAccess; originAllowed: boolean };
}

// One error map for every schema: zod calls it only for issues whose schema gave no message.
z.config({ customError: (issue) => issueMessage(issue as IssueLike) });

type ZodIssueLike = { path: PropertyKey[]; message: string; code?: string; keys?: string[] };

/** The path of an issue about a whole validation target: "" is the JSON body itself (as in JSON Pointer). */
const TARGET_PATH: Record<string, string> = { json: "", query: "query", param: "path", header: "headers" };

export function issuesToFields(issues: readonly ZodIssueLike[], target?: string): FieldError[] {
  const fields: FieldError[] = [];
  for (const issue of issues) {
    const base = issue.path.map(String);
    if (issue.code === "unrecognized_keys" && issue.keys) {
      for (const key of issue.keys) fields.push({ path: [...base, key].join("."), message: "Unknown field." });
    } else {
      fields.push({ path: base.length ? base.join(".") : (TARGET_PATH[target ?? "json"] ?? ""), message: issue.message });
    }
  }
  return fields;
}

/** validation_failed for these fields; the message is the first field's sentence, plus how many others need fixing. */
export function validationError(fields: FieldError[]): ApiError {
  const first = fields[0];
  if (!first) return new ApiError("validation_failed");
  const others = new Set(fields.map((f) => f.path)).size - 1;
  const more = others === 0 ? "" : others === 1 ? " 1 more field needs fixing." : ` ${others} more fields need fixing.`;
  return new ApiError("validation_failed", fieldSentence(first.path, first.message) + more, fields);
}

export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(issuesToFields(result.error.issues as ZodIssueLike[], result.target));
    },
  });
}

// ─── OpenAPI helpers ──────────────────────────────────────────────────────────
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_failed" }),
      message: z.string(),
      fields: z
        .array(
          z.object({
            path: z.string(),
            message: z.string(),
            line: z.number().int().optional().openapi({ description: "Template errors: the line in the field (1-based)" }),
            column: z.number().int().optional(),
          }),
        )
        .optional(),
    }),
  })
  .openapi("Error");

export const jsonBody = <T extends z.ZodType>(schema: T, description = "JSON body") => ({
  body: { content: { "application/json": { schema } }, required: true, description },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

export const errorResponse = (description: string) => ({ content: { "application/json": { schema: ErrorSchema } }, description });

/** The error responses every authenticated route can produce. */
export const commonErrors = {
  400: errorResponse("Invalid request (code validation_failed, with fields)"),
  401: errorResponse("Missing or invalid credentials"),
  403: errorResponse("Not permitted for this role or API key scope"),
  404: errorResponse("Not found (also for other tenants' ids: not_found; unknown paths: route_not_found)"),
  413: errorResponse("Body larger than 64 KB"),
  415: errorResponse("Body is not application/json"),
  429: errorResponse("Rate limited; see Retry-After"),
} as const;

export const publicErrors = { 400: commonErrors[400], 413: commonErrors[413], 415: commonErrors[415], 429: commonErrors[429] } as const;

export const bearerSecurity = [{ Bearer: [] as string[] }];

const PATH_ID_MESSAGE = "Must be an id of 1 to 64 letters, digits, '_' or '-'.";

/** Path parameter schema with an OpenAPI param declaration. A malformed id is a 400; a
 *  well-formed one that is not the caller's answers 404 like one that does not exist. */
export const pathId = (name: string, example: string) =>
  z.string().regex(PATH_ID_PATTERN, PATH_ID_MESSAGE).openapi({ param: { name, in: "path" }, example });

/** The same rule for ids read before the route's validation runs (the site-access guard). */
export function assertPathId(name: string, value: string): void {
  if (!PATH_ID_PATTERN.test(value)) throw validationError([{ path: name, message: PATH_ID_MESSAGE }]);
}
