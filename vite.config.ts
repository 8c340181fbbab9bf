// Vite build of the marketer's dashboard (dashboard/ → dist/dashboard, served as the
// Worker's static assets with SPA fallback; see wrangler.toml [assets]).
//   npx vite build          production bundle
//   npx vite                dev server on :5173, /api proxied to wrangler dev on :8787
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import preact from "@preact/preset-vite";
import { type Plugin, defineConfig } from "vite";

const outDir = path.resolve(import.meta.dirname, "dist/dashboard");

/**
 * dist/dashboard is shared: the docs assets are copied into it by another build step, so
 * instead of emptyOutDir we remove only what this build owns (index.html and assets/),
 * which keeps stale hashed chunks from piling up across rebuilds.
 */
function cleanOwnOutput(): Plugin {
  return {
    name: "herald-clean-dashboard-output",
    apply: "build",
    async buildStart() {
      await rm(path.join(outDir, "assets"), { recursive: true, force: true });
      await rm(path.join(outDir, "index.html"), { force: true });
    },
  };
}

/**
 * Writes the initial JS (the entry plus the chunks it imports statically, i.e. what the
 * browser must download before the first render) as one file, so scripts/size.ts can hold
 * it to its budget without knowing hashed names. Lazy route chunks are not included.
 */
function initialJsForSizeCheck(): Plugin {
  return {
    name: "herald-initial-js-size",
    apply: "build",
    async writeBundle(_options, bundle) {
      const chunks = new Map(Object.values(bundle).flatMap((c) => (c.type === "chunk" ? [[c.fileName, c] as const] : [])));
      const seen = new Set<string>();
      const visit = (name: string) => {
        const chunk = chunks.get(name);
        if (!chunk || seen.has(name)) return;
        seen.add(name);
        chunk.imports.forEach(visit);
      };
      for (const c of chunks.values()) if (c.isEntry) visit(c.fileName);
      const code = [...seen].map((n) => chunks.get(n)!.code).join("\n");
      const file = path.resolve(import.meta.dirname, "dist/size/dashboard-initial.js");
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, code);
    },
  };
}

export default defineConfig({
  root: path.resolve(import.meta.dirname, "dashboard"),
  base: "/",
  plugins: [preact({ devToolsInProd: false, prefreshEnabled: true }), cleanOwnOutput(), initialJsForSizeCheck()],
  build: {
    outDir,
    emptyOutDir: false,
    target: "es2022",
    assetsDir: "assets",
    // The polyfill would be an inline-free but extra chunk of code every evergreen browser skips.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  server: {
    proxy: { "/api": { target: "http://localhost:8787", ws: true } },
  },
});
