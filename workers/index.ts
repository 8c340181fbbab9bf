// The Worker's only entry: HTTP (Hono app), queue consumers and cron triggers.
import { app } from "./app";

export { RateLimiter } from "../durable-objects/rate-limiter";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
