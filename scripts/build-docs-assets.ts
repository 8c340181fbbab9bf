// Copies Swagger UI (the swagger-ui-dist package) into the static assets, so /docs is
// an interactive API reference that works offline and under a strict CSP (no CDN).
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(root, "dist/dashboard/docs-assets");
const dist = path.join(root, "node_modules/swagger-ui-dist");

await mkdir(out, { recursive: true });
await Promise.all(["swagger-ui-bundle.js", "swagger-ui.css"].map((f) => copyFile(path.join(dist, f), path.join(out, f))));
await writeFile(
  path.join(out, "init.js"),
  `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true, persistAuthorization: true });\n`,
);
console.log("docs assets → dist/dashboard/docs-assets");
