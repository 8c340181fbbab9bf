// Shared Hono plumbing: the app's Env/Variables type, router factory with the
// validation hook that turns zod issues into our error shape, and OpenAPI helpers.
import { OpenAPIHono, z } from "@hono/zod-openapi";
import { ApiError, type FieldError } from "../errors";
import type { Deps } from "../services/deps";
import type { Principal, SiteAccess } from "../services/access";

export interface AppEnv {
  Bindings: Env;
  Variables: { deps: Deps; principal: Principal; access: SiteAccess; originAllowed: boolean };
}

type ZodIssueLike = { path: PropertyKey[]; message: string; code?: string; keys?: string[] };

export function issuesToFields(issues: readonly ZodIssueLike[], target?: string): FieldError[] {
  const fields: FieldError[] = [];
  for (const issue of issues) {
    const base = issue.path.map(String);
    if (issue.code === "unrecognized_keys" && issue.keys) {
      for (const key of issue.keys) fields.push({ path: [...base, key].join("."), message: "Unknown field." });
    } else {
      fields.push({ path: base.join(".") || (target ?? "body"), message: issue.message });
    }
  }
  return fields;
}

export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const fields = issuesToFields(result.error.issues as ZodIssueLike[], result.target);
        const first = fields[0];
        throw new ApiError("validation_failed", first ? `${first.path}: ${first.message}` : undefined, fields);
      }
    },
  });
}

// ─── OpenAPI helpers ──────────────────────────────────────────────────────────
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_failed" }),
      message: z.string(),
      fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
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
  404: errorResponse("Not found (also for other tenants' ids)"),
  413: errorResponse("Body larger than 64 KB"),
  415: errorResponse("Body is not application/json"),
  429: errorResponse("Rate limited; see Retry-After"),
} as const;

export const publicErrors = { 400: commonErrors[400], 413: commonErrors[413], 415: commonErrors[415], 429: commonErrors[429] } as const;

export const bearerSecurity = [{ Bearer: [] as string[] }];

/** Path parameter schema with an OpenAPI param declaration. */
export const pathId = (name: string, example: string) =>
  z.string().min(1).max(64).openapi({ param: { name, in: "path" }, example });
