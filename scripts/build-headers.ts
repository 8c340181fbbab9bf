// Writes dist/dashboard/_headers: the dashboard's static assets get the same security
// headers as the API (workers/http/security-headers.ts), applied by the platform.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { assetHeadersFile } from "../workers/http/security-headers.ts";

const out = path.resolve(import.meta.dirname, "../dist/dashboard/_headers");
await writeFile(out, assetHeadersFile());
console.log("security headers → dist/dashboard/_headers");
