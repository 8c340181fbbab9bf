// Small value shapes every contract uses: an http(s) URL and a bounded free-form JSON object.
import { z } from "@hono/zod-openapi";
import { FREE_FORM_MAX_BYTES, FREE_FORM_MAX_DEPTH } from "../config";
import { jsonBytes, jsonValueDepth } from "../lib/json-limits";
import { formatNumber } from "../lib/messages";

export const HttpsUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .openapi({ example: "https://shop.example.com" });

/** A free-form JSON object stored and delivered as given (a notification's data), bounded in
 *  depth and size (config.ts FREE_FORM_*). The body middleware already capped the depth at
 *  MAX_JSON_DEPTH, so the byte count below never stringifies anything deeper. */
export const FreeFormData = z
  .record(z.string(), z.unknown())
  .refine((v) => jsonValueDepth(v, FREE_FORM_MAX_DEPTH) <= FREE_FORM_MAX_DEPTH, {
    message: `Must be nested at most ${FREE_FORM_MAX_DEPTH} levels deep.`,
    abort: true,
  })
  .refine((v) => jsonBytes(v) <= FREE_FORM_MAX_BYTES, `Must be at most ${formatNumber(FREE_FORM_MAX_BYTES)} bytes as JSON.`)
  .openapi({
    description: `Free-form JSON delivered with the push: at most ${FREE_FORM_MAX_DEPTH} levels deep and ${formatNumber(FREE_FORM_MAX_BYTES)} bytes`,
  });
