// Server API keys: `hk_` + random; shown once at creation, stored only as SHA-256.
import { API_KEY_DISPLAY_PREFIX_CHARS, API_KEY_PREFIX, API_KEY_RANDOM_BYTES } from "../config";
import * as q from "../db/queries/api-keys";
import { ApiError } from "../errors";
import { sha256Hex } from "../lib/encoding";
import { newId } from "../lib/ids";
import { randomSecret } from "../lib/tokens";
import type { Deps } from "./deps";

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

const view = (k: q.ApiKeyRow): ApiKeyView => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  created_at: k.createdAt,
  last_used_at: k.lastUsedAt,
  revoked_at: k.revokedAt,
});

export async function createApiKey(
  deps: Deps,
  siteId: string,
  createdBy: string | null,
  input: { name: string; scopes: string[] },
): Promise<ApiKeyView & { key: string }> {
  const key = randomSecret(API_KEY_PREFIX, API_KEY_RANDOM_BYTES);
  const row: q.ApiKeyRow = {
    id: newId("key", deps.now()),
    siteId,
    name: input.name,
    prefix: key.slice(0, API_KEY_DISPLAY_PREFIX_CHARS),
    keyHash: await sha256Hex(key),
    scopes: [...new Set(input.scopes)],
    createdBy,
    createdAt: deps.now(),
    lastUsedAt: null,
    revokedAt: null,
  };
  await q.insertApiKey(deps.db, row);
  return { ...view(row), key };
}

export async function listApiKeys(deps: Deps, siteId: string): Promise<ApiKeyView[]> {
  return (await q.listApiKeys(deps.db, siteId)).map(view);
}

export async function revokeApiKey(deps: Deps, siteId: string, id: string): Promise<void> {
  const key = await q.findApiKey(deps.db, siteId, id);
  if (!key) throw new ApiError("not_found", "API key not found.");
  await q.revokeApiKey(deps.db, siteId, id, deps.now());
}
