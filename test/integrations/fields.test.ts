// The dashboard's form for each provider (contracts/integrations.ts PROVIDER_FIELDS) asks for
// exactly the fields the provider's own schemas accept, and marks required what they require.
import { describe, expect, it } from "vitest";
import { PROVIDER_FIELDS } from "../../workers/contracts/integrations";
import { PROVIDER_IMPLEMENTATIONS } from "../../workers/providers";

type Shaped = { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> };

describe("PROVIDER_FIELDS", () => {
  for (const [id, provider] of Object.entries(PROVIDER_IMPLEMENTATIONS)) {
    it(`lists ${id}'s credential and setting fields`, () => {
      const fields = PROVIDER_FIELDS[id as keyof typeof PROVIDER_FIELDS];
      for (const part of ["credentials", "settings"] as const) {
        const schema = (part === "credentials" ? provider!.credentialsSchema : provider!.settingsSchema) as unknown as Shaped;
        expect(fields[part].map((f) => f.name).sort(), `${id} ${part}`).toEqual(Object.keys(schema.shape).sort());
        for (const f of fields[part]) {
          // A field marked optional must accept being left out.
          if (!f.required) expect(schema.shape[f.name]!.safeParse(undefined).success, `${id} ${part}.${f.name}`).toBe(true);
        }
      }
    });
  }
});
