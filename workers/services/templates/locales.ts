// Which language variant of a template a recipient gets: their locale, then ever shorter forms
// of it (fr-CA → fr; zh-Hant-TW → zh-Hant → zh), then the template's default locale. Tags are
// compared in canonical BCP 47 form (Intl.getCanonicalLocales), which is how they are stored.
import { isLocaleTag } from "../../contracts/template";

/** The canonical form of a language tag ("en-gb" → "en-GB"), or null if it is not one. */
export function canonicalLocale(tag: string | null | undefined): string | null {
  if (!tag || !isLocaleTag(tag)) return null;
  return Intl.getCanonicalLocales(tag)[0] ?? null;
}

/** The locales to try, best first: the requested one, its shorter forms, the default. */
export function localeChain(requested: string | null | undefined, defaultLocale: string): string[] {
  const chain: string[] = [];
  const canonical = canonicalLocale(requested);
  if (canonical) {
    const subtags = canonical.split("-");
    for (let n = subtags.length; n > 0; n--) {
      // A lone single-letter subtag is an extension or private-use marker, not a language.
      if (subtags[n - 1]!.length === 1) continue;
      chain.push(subtags.slice(0, n).join("-"));
    }
  }
  chain.push(defaultLocale);
  return [...new Set(chain)];
}
