// Every limit and default of the platform, with its unit and the reason for it.
// Change a number here, not at its use site.

// ─── HTTP API ───────────────────────────────────────────────────────────────
/** Largest JSON request body we parse; larger bodies get 413 before parsing. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;
/** Deepest nesting of arrays and objects in a JSON body (levels), checked on the text before
 *  it is parsed. Our schemas need 4 (target.tags.any[0]); 32 leaves room for free-form data
 *  while keeping recursive code (zod, JSON.stringify, D1 bindings) far from a stack overflow:
 *  a 64 KB body can otherwise nest 30,000 levels deep. */
export const MAX_JSON_DEPTH = 32;
/** Free-form JSON objects stored and delivered as given (a notification's data): at most this
 *  many levels deep, counting the object itself; deeper than this is a data dump, not a payload. */
export const FREE_FORM_MAX_DEPTH = 5;
/** …and at most this many bytes as JSON. A push message carries at most 4096 bytes encrypted
 *  (RFC 8291 §4) with the title and body, so larger data could never be sent anyway. */
export const FREE_FORM_MAX_BYTES = 4096;
/** Largest time value a JavaScript Date holds, ms either side of the epoch (ECMA-262 §21.4.1.1). */
export const DATE_MAX_MS = 8.64e15;
/** Path ids (site_…, sub_…, ntf_…): what newId() makes, with room to spare. Anything else is a
 *  malformed id (400) — it never reaches a query, a header or a log line. */
export const PATH_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Characters of the request path quoted in a route_not_found message. */
export const ROUTE_ECHO_MAX_CHARS = 200;

// ─── Accounts ───────────────────────────────────────────────────────────────
/** PBKDF2-SHA256 iterations. Production Workers refuse more than 100,000. */
export const PBKDF2_ITERATIONS = 100_000;
export const PBKDF2_MAX_ITERATIONS = 100_000;
export const PASSWORD_SALT_BYTES = 16;
export const PASSWORD_MIN_LENGTH = 10;
/** Access tokens are short-lived JWTs (HS256), checked for iss/aud on every request. A token is
 *  refused once older than this from its iat, whatever its exp says (issue #7: a validly signed
 *  token with a ten-year exp must not work). */
export const ACCESS_TOKEN_TTL_S = 15 * 60;
/** Clock difference tolerated between the issuing and the checking isolate (seconds). */
export const ACCESS_TOKEN_CLOCK_SKEW_S = 60;
/** Each access token names its session (the refresh-token family). Whether that session is still
 *  alive is cached per isolate this long (ms): after logout, or a refresh token's reuse revoking
 *  the family, its access tokens stop working everywhere within this time (at once in the isolate
 *  that revoked it) — one D1 read per session per isolate per interval instead of per request. */
export const SESSION_CHECK_CACHE_MS = 30_000;
/** Refresh per client IP (token bucket): a dashboard refreshes every ~15 min per tab. */
export const REFRESH_LIMIT_PER_IP = { capacity: 30, refillPerMinute: 30 };
export const ACCESS_TOKEN_AUDIENCE = "herald-api";
/** Refresh tokens: opaque, rotated on every use; a family dies after this long idle. */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;
/** Login: per IP and per email token buckets (capacity, refill per minute). */
export const LOGIN_LIMIT_PER_IP = { capacity: 20, refillPerMinute: 10 };
export const LOGIN_LIMIT_PER_EMAIL = { capacity: 10, refillPerMinute: 5 };
export const REGISTER_LIMIT_PER_IP = { capacity: 10, refillPerMinute: 5 };

// ─── Team ───────────────────────────────────────────────────────────────────
/** An invitation to a site's team can be accepted for this long (ms); inviting again renews it. */
export const INVITATION_TTL_MS = 14 * 24 * 3600 * 1000;

// ─── API keys ───────────────────────────────────────────────────────────────
/** Server keys look like hk_<40 base62 chars>; the first 11 chars are shown in lists. */
export const API_KEY_PREFIX = "hk_";
export const API_KEY_RANDOM_BYTES = 30;
export const API_KEY_DISPLAY_PREFIX_CHARS = 11;
/** last_used_at is written at most this often per key, to spare D1 a write per request. */
export const API_KEY_TOUCH_INTERVAL_MS = 60_000;

// ─── Sites ──────────────────────────────────────────────────────────────────
export const DEFAULT_SITE_SETTINGS = {
  timezone: "UTC",
  default_ttl_s: 7 * 24 * 3600, // 7 days: most push services cap TTL around 28 days
  default_icon: null as string | null,
  value_per_click: 0,
  currency: "USD", // ISO 4217: what value_per_click (and every Value figure) is counted in
  allowed_origins: [] as string[],
  soft_prompt: { enabled: false, text: "Get notified about news and offers?", delay_s: 5 },
  inbox_retention_days: 90, // = INBOX_RETENTION_DAYS_DEFAULT (declared below, with the inbox's limits)
};

// ─── Identity verification ──────────────────────────────────────────────────
/** Identity secrets are "hid_" + 32 random bytes (base64url): a 256-bit HMAC key. */
export const IDENTITY_SECRET_PREFIX = "hid_";
export const IDENTITY_SECRET_BYTES = 32;
/** After a rotation the previous secret keeps verifying this long (ms), so pages already
 *  rendered with old hashes, and a staged deploy of the new secret, do not log users out. */
export const IDENTITY_PREVIOUS_SECRET_GRACE_MS = 24 * 3600 * 1000;

// ─── Web Push ───────────────────────────────────────────────────────────────
/** RFC 8188 §2 record size we declare. One record carries the whole message, so any
 *  value ≥ body works; 4096 is what browsers and the RFC 8291 §5 example use. */
export const PUSH_RECORD_SIZE = 4096;
/** RFC 8291 §4: a push service need not accept an encrypted body over 4096 octets (413). */
export const PUSH_MAX_BODY_BYTES = 4096;
/** VAPID JWT lifetime, seconds. RFC 8292 §2 forbids exp more than 24 h ahead; 12 h
 *  (what web-push uses) leaves room for clock skew at the push service. */
export const VAPID_JWT_TTL_S = 12 * 3600;
/** A cached VAPID header is re-signed once less than this is left before exp (seconds),
 *  so a request that is queued, in flight or retried never carries an expired token. */
export const VAPID_JWT_REFRESH_MARGIN_S = 3600;
/** Per-signer cap on cached headers (one per push-service origin; real sites see < 10). */
export const VAPID_CACHE_MAX_ORIGINS = 64;
/** One push POST, milliseconds. Push services answer in < 1 s; a stuck one must not
 *  hold a queue batch (consumer wall time) hostage. */
export const PUSH_REQUEST_TIMEOUT_MS = 10_000;
/** TTL header upper bound, seconds: FCM and Mozilla cap at 4 weeks anyway. */
export const PUSH_TTL_MAX_S = 28 * 24 * 3600;
/** RFC 8030 §5.4: Topic is at most 32 characters of the base64url alphabet. */
export const PUSH_TOPIC_MAX_CHARS = 32;
/** How much of a failed push response body we keep for logs (characters). */
export const PUSH_ERROR_BODY_MAX_CHARS = 512;

// ─── Subscriptions (public endpoints) ───────────────────────────────────────
/** Push services we accept endpoints from (host or host suffix), https only. Others
 *  must be listed in the EXTRA_PUSH_ORIGINS variable (that is how the local push sink
 *  and self-hosted services are allowed; plain http only for those). */
export const KNOWN_PUSH_HOSTS = [
  "fcm.googleapis.com", // Chrome, Edge, Opera, Samsung (FCM)
  "android.googleapis.com", // legacy GCM endpoints still in old Chrome subscriptions
  ".push.services.mozilla.com", // Firefox (autopush)
  ".push.apple.com", // Safari 16+ (web.push.apple.com)
  ".notify.windows.com", // Edge legacy / Windows (WNS)
];
export const MAX_ENDPOINT_CHARS = 2048;
export const MAX_TAGS = 50;
export const MAX_TAG_CHARS = 64;
/** Subscribe/unsubscribe per client IP and per site (token buckets). */
export const SUBSCRIBE_LIMIT_PER_IP = { capacity: 30, refillPerMinute: 30 };
export const SUBSCRIBE_LIMIT_PER_SITE = { capacity: 3000, refillPerMinute: 3000 };
/** Engagement events per client IP (a page can emit a few per notification). */
export const EVENTS_LIMIT_PER_IP = { capacity: 600, refillPerMinute: 600 };
/** Subscriber list pagination. */
export const PAGE_SIZE_DEFAULT = 50;
export const PAGE_SIZE_MAX = 200;

// ─── Notifications and sending ──────────────────────────────────────────────
/** Retrying any provider (push service, email/SMS API): 429 without a usable Retry-After
 *  waits this long (seconds). */
export const RETRY_AFTER_DEFAULT_S = 60;
/** Longest Retry-After we honour (seconds); Queues allow ≤ 12 h but a notification
 *  delayed past an hour has usually lost its point. */
export const RETRY_AFTER_MAX_S = 3600;
/** 5xx/timeout backoff: full jitter over min(MAX, BASE · 2^(attempt−1)) seconds
 *  (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export const RETRY_BASE_DELAY_S = 2;
export const RETRY_MAX_DELAY_S = 15 * 60;
/** Floor for any retry delay (seconds): Queues' delaySeconds is an integer, 0 would hot-loop. */
export const RETRY_MIN_DELAY_S = 1;
/** Subscribers per queue message. A retried message re-sends nothing already sent
 *  (deliveries are unique), so the size only sets the overhead: every message costs 5 D1
 *  round trips (notification, recipients, site settings, delivery insert, finish) and 2
 *  live-counter DO calls whatever its size. 500 (was 100) makes that 1,000 D1 queries per
 *  100k send instead of 5,000 — D1 runs one database's queries one at a time in production —
 *  and cut the Worker's CPU per delivered message by ~8 % locally (bench/push-e2e). The
 *  consumer takes 2 messages per invocation (wrangler.toml); 400 rather than 500 keeps an
 *  invocation at ≤ 800 pushes, inside the 1,000-subrequest limit of an invocation. */
export const SEND_BATCH_SUBSCRIBERS = 400;
/** Ids read per planner query while cutting ranges (D1 rows per response). */
export const PLANNER_PAGE_IDS = 5_000;
/** Queues sendBatch accepts at most 100 messages per call. */
export const QUEUE_SEND_BATCH_MAX = 100;
/** Workers allow 6 simultaneous outbound connections per invocation; more fetches would
 *  only wait for a free connection. (Locally 16 in flight sends ~15 % faster because the
 *  isolate and the push sink share two cores — not a production effect, so it stays 6.) */
export const PUSH_CONCURRENCY = 6;
/** Attempts of one deliver message before the still-failing subscribers are recorded
 *  as failed (kept below wrangler.toml max_retries so the DLQ sees only crashes). */
export const SEND_MAX_ATTEMPTS = 8;
/** A notification stuck in "sending" without a plan this long is re-planned by cron. */
export const PLAN_RECOVERY_AFTER_MS = 2 * 60_000;
/** Deliveries are recorded every this many pushes (one D1 round trip with the lease renewal),
 *  not once per batch: a crash re-sends at most one chunk plus the pushes in flight (issue #7).
 *  50 keeps a 400-subscriber batch at 8 round trips; the duplicates a crash can cause stay
 *  invisible anyway (the service worker tags by notification id; the push carries a Topic). */
export const SEND_RECORD_CHUNK = 50;
/** …or after this long (ms), whichever comes first, so slow push services still record often. */
export const SEND_RECORD_MAX_WAIT_MS = 2_000;
/** A deliver message holds its batch this long (ms) past its last recorded chunk. Longer than a
 *  chunk can take (50 pushes / 6 connections × PUSH_REQUEST_TIMEOUT_MS ≈ 90 s at worst, and
 *  SEND_RECORD_MAX_WAIT_MS bounds it in practice) so a live holder is never taken over. */
export const SEND_LEASE_MS = 2 * 60_000;
/** A send that recorded nothing for this long (ms) while batches remain is stalled: cron
 *  re-enqueues its unfinished batches whose lease has lapsed. */
export const SEND_STALL_AFTER_MS = 3 * 60_000;
/** Furthest ahead a notification may be scheduled (ms). Further is almost always a unit slip
 *  (seconds for ms, a year typo) that would otherwise sit unnoticed in the schedule. */
export const SCHEDULE_MAX_AHEAD_MS = 365 * 24 * 3600 * 1000;
/** Targeting by explicit ids: at most this many per notification. */
export const MAX_TARGET_IDS = 10_000;
/** Idempotency-Key records are kept this long (Stripe keeps 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
/** Longest token the sender puts in a payload; the create-time size check assumes it. */
export const EVENT_TOKEN_MAX_CHARS = 200;

// ─── Templates (services/templates) ────────────────────────────────────────
/** One Liquid source field of a template part (a title, a URL, an SMS text), characters.
 *  Rendered values are held to the channel's own limits afterwards (contracts/message-content);
 *  this only bounds what we store and parse. Email html/text use EMAIL_BODY_MAX_CHARS instead. */
export const TEMPLATE_FIELD_MAX_CHARS = 8_000;
/** Language variants per template: every locale a site is likely to ship, with room to spare. */
export const TEMPLATE_MAX_LOCALES = 50;
/** A template's whole content (every locale and channel) as JSON, bytes: one D1 row holds the
 *  draft and one each version (D1 rows ≤ 2 MB); large emails are added a locale at a time
 *  because a request body is capped at MAX_JSON_BODY_BYTES. */
export const TEMPLATE_CONTENT_MAX_BYTES = 512 * 1024;
/** Template nodes (text, outputs, tags, loop iterations) one field's render may execute. An
 *  email listing 200 order lines of 10 nodes each takes 2,000; nested loops over data take
 *  millions. This counter is what bounds a render in workerd: LiquidJS's time limit
 *  (renderLimit) cannot work where the clock stands still while a Worker computes, and its
 *  templateLimit option is declared but not enforced (10.30). */
export const TEMPLATE_RENDER_MAX_STEPS = 10_000;
/** Characters LiquidJS filters and ranges may allocate during one field's render
 *  (memoryLimit): (1..100000000) or a join of a huge list fails at once instead of at 128 MB. */
export const TEMPLATE_RENDER_MAX_MEMORY = 1_000_000;
/** Characters one rendered field may produce: the largest channel field (an email body) —
 *  anything longer fails the channel's own check anyway, so the render stops there. */
export const TEMPLATE_RENDER_MAX_OUTPUT_CHARS = 200_000;
/** Parsed template versions kept per isolate (least recently used dropped first). A version is
 *  immutable, so a cached parse is never stale; this bounds isolate memory (128 MB). */
export const TEMPLATE_CACHE_MAX_ENTRIES = 200;
/** Templates per list page. */
export const TEMPLATE_PAGE_SIZE_DEFAULT = 50;

// ─── Installation ───────────────────────────────────────────────────────────
/** Where a site hosts the one-line service worker (scope "/" needs the root). */
export const SERVICE_WORKER_PATH = "/herald-sw.js";
/** "Check my installation" fetch of the customer's service worker file. */
export const INSTALL_CHECK_TIMEOUT_MS = 5_000;

// ─── Outbound fetches (tenant-supplied URLs: lib/safe-fetch.ts) ─────────────
/** Whole operation (DNS check, every redirect hop, reading the body), milliseconds, for
 *  callers that do not pass their own: a Worker invocation must not wait on a slow site. */
export const OUTBOUND_TIMEOUT_MS = 10_000;
/** Largest response body we read (bytes), enforced while streaming. Feeds and service
 *  worker files are far smaller; the cap bounds isolate memory (128 MB) per fetch. */
export const OUTBOUND_MAX_BYTES = 256 * 1024;
/** Redirect hops followed, each re-validated. Browsers allow 20; 5 covers http→https,
 *  apex→www and a trailing-slash fix with room to spare. */
export const OUTBOUND_MAX_REDIRECTS = 5;
/** DNS answers are cached per isolate for min(record TTL, this) seconds: short enough
 *  that a re-pointed name is re-checked soon, long enough to spare DoH on bursts. */
export const OUTBOUND_DNS_CACHE_MAX_TTL_S = 5 * 60;
/** Host names kept in that cache per isolate (oldest dropped first). */
export const OUTBOUND_DNS_CACHE_MAX_ENTRIES = 1_000;
/** DNS-over-HTTPS endpoint used when OUTBOUND_DOH_URL is unset. It must speak the JSON
 *  API (application/dns-json) that Cloudflare and Google serve, not RFC 8484 wire format. */
export const OUTBOUND_DOH_DEFAULT_URL = "https://cloudflare-dns.com/dns-query";

// ─── Twilio and FCM (providers/twilio, providers/fcm) ───────────────────────
/** Lifetime of the JWT assertion exchanged for an FCM access token (seconds): Google's
 *  JWT-bearer grant refuses an exp more than 1 hour after iat. */
export const FCM_JWT_TTL_S = 3600;
/** A cached FCM access token is used until this long before its expiry (seconds), so a send
 *  that is queued, in flight or retried never carries an expired token. Google's tokens live
 *  3599 s, so this is one token fetch per project per ~55 minutes per isolate. */
export const FCM_TOKEN_REFRESH_MARGIN_S = 5 * 60;
/** Access tokens cached per isolate (one per service account; the oldest go first). A real
 *  deployment has one per site using FCM; the cap bounds memory, not normal use. */
export const FCM_TOKEN_CACHE_MAX_ENTRIES = 500;
/** Google refusing a service account (invalid_grant: wrong key, deleted account) is remembered
 *  this long (ms): a batch of 400 sends then fails fast with one token request, not 400, and a
 *  fixed key is picked up within the minute. Transient failures (5xx, network) are not kept. */
export const FCM_TOKEN_REFUSAL_CACHE_MS = 60_000;
/** Twilio refuses a message body above 1600 characters (error 21617). */
export const TWILIO_BODY_MAX_CHARS = 1600;

// ─── Integrations (services/integrations, providers/sendgrid, providers/resend) ─
/** Integrations one site may hold (all channels together). A site needs one or two per
 *  channel (a primary and a spare); the cap keeps lists and master-key re-seal pages small. */
export const INTEGRATIONS_PER_SITE_MAX = 20;
/** Opened credentials are cached per isolate this long (ms), keyed by integration id and
 *  updated_at, so a batch of sends opens them once; a rotation (new updated_at) misses at once. */
export const INTEGRATION_CREDENTIALS_CACHE_MS = 60_000;
/** Integrations whose opened credentials an isolate keeps at most (the oldest go first). */
export const INTEGRATION_CREDENTIALS_CACHE_MAX_ENTRIES = 500;
/** Largest provider status callback body (bytes): SendGrid batches Event Webhook posts up to
 *  768 KB, far above the API's 64 KB JSON limit. */
export const CALLBACK_MAX_BODY_BYTES = 1024 * 1024;
/** A signed SendGrid Event Webhook post older (or newer) than this is refused (seconds), so a
 *  captured post cannot be replayed later. SendGrid documents no window; 5 minutes is the
 *  Standard Webhooks / Stripe convention. */
export const SENDGRID_EVENT_WEBHOOK_TOLERANCE_S = 5 * 60;

// ─── Outbound webhooks (services/webhooks; Standard Webhooks, issue #8 §6) ─────
/** Webhook signing secrets are "whsec_" + base64 of this many random bytes: a 256-bit HMAC-SHA256
 *  key (the Standard Webhooks spec asks for 24 to 64 bytes; its libraries base64-decode the rest). */
export const WEBHOOK_SECRET_PREFIX = "whsec_";
export const WEBHOOK_SECRET_BYTES = 32;
/** After a rotation the previous secret keeps signing too (two signatures in webhook-signature)
 *  for this long (ms), so receivers can deploy the new secret without dropping a delivery. */
export const WEBHOOK_PREVIOUS_SECRET_GRACE_MS = 24 * 3600 * 1000;
/** Endpoints one site may register. Each event fans out to every subscribed endpoint, so the
 *  cap bounds the queue messages one event costs; Svix's default plans allow a similar number. */
export const WEBHOOK_ENDPOINTS_PER_SITE_MAX = 20;
/** Delay before each attempt (seconds), Svix's schedule: immediately, 5 s, 5 min, 30 min, 2 h,
 *  5 h, 10 h, 10 h — 8 attempts over ~27.6 h. Queues' delaySeconds allows up to 12 h. */
export const WEBHOOK_RETRY_SCHEDULE_S = [0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600] as const;
/** An endpoint whose every attempt failed for this long (ms) is disabled, with the reason shown,
 *  until someone re-enables it (Svix: 5 days). */
export const WEBHOOK_DISABLE_AFTER_FAILING_MS = 5 * 24 * 3600 * 1000;
/** One delivery attempt, ms (DNS check, redirects, the answer). Standard Webhooks receivers
 *  should answer quickly and work later; Svix gives them 15 s. */
export const WEBHOOK_TIMEOUT_MS = 15_000;
/** An attempt being sent holds its row this long (ms): longer than WEBHOOK_TIMEOUT_MS plus the
 *  D1 writes, so a live attempt is never taken over; a crashed one is retried after it. */
export const WEBHOOK_ATTEMPT_LEASE_MS = 60_000;
/** Bytes of the receiver's answer kept in the delivery log (the brief: ≤ 1 KB). */
export const WEBHOOK_RESPONSE_EXCERPT_BYTES = 1024;
/** Per isolate, a site's enabled endpoints are cached this long (ms) for emission, so hot paths
 *  (clicks, subscribes, sends) cost no D1 read per event; a new endpoint receives events within it. */
export const WEBHOOK_ENDPOINT_CACHE_MS = 30_000;
/** Sites whose endpoint lists an isolate caches at most (the oldest go first). */
export const WEBHOOK_ENDPOINT_CACHE_MAX_SITES = 5_000;
/** Attempts running at once in one consumer invocation: Workers open at most 6 connections. */
export const WEBHOOK_CONCURRENCY = 6;
/** A pending attempt this overdue (ms) lost its queue message (a failed send, a message that
 *  died): housekeeping re-enqueues it. Well past queue delivery delays, so it never races them. */
export const WEBHOOK_STALL_AFTER_MS = 15 * 60_000;
/** A queue message may run its attempt this early (ms): delaySeconds is whole seconds and the
 *  writer's and the consumer's clocks differ a little. Earlier, it is put back until due. */
export const WEBHOOK_DUE_SLACK_MS = 2_000;
/** Longest delaySeconds Queues accept (12 h); an attempt further away waits in steps. */
export const WEBHOOK_QUEUE_DELAY_MAX_S = 12 * 3600;
/** Rows per housekeeping statement (re-enqueue, log clean-up): bounded D1 work per cron run. */
export const WEBHOOK_HOUSEKEEPING_BATCH = 1_000;
/** The delivery log and the events it delivered are kept this long (ms), then deleted. */
export const WEBHOOK_LOG_RETENTION_MS = 30 * 24 * 3600 * 1000;
/** Events written per D1 statement when emitting many at once (json_each rows, far below D1's
 *  2 MB value limit at the 4 KB a payload may reach). */
export const WEBHOOK_EMIT_CHUNK = 200;

/** How long a provider status report that found no delivery waits for the sender to record it
 *  (services/sending/status.ts): the sender records within seconds, or at worst after a stalled
 *  send's recovery (SEND_STALL_AFTER_MS) and its queue retries; 3 days covers every retry. */
export const PROVIDER_REPORT_HOLD_MS = 3 * 24 * 3600 * 1000;

// ─── In-app inbox (issue #9; durable-objects/user-inbox.ts) ─────────────────
/** Items kept per site by default (days); a site sets 1–3650 (settings.inbox_retention_days). */
export const INBOX_RETENTION_DAYS_DEFAULT = 90;
export const INBOX_RETENTION_DAYS_MAX = 3650;
/** How often a user's object sweeps items past retention (ms): once a day is exact enough for a
 *  limit counted in days, and an object with no items sets no alarm at all. */
export const INBOX_RETENTION_SWEEP_MS = 24 * 3600 * 1000;
/** Items deleted per retention statement: one alarm run stays a bounded transaction; the alarm
 *  comes back at once while older items remain. */
export const INBOX_RETENTION_CHUNK = 1_000;
/** Tombstones of deleted items kept per user (the newest), so `resume` can report deletions;
 *  a client further behind than the oldest kept one is told `complete: false` (reload). */
export const INBOX_TOMBSTONES_KEPT = 1_000;
/** At most this many changes in one `resumed` answer; more means `complete: false`. */
export const INBOX_RESUME_MAX_CHANGES = 200;
/** A change touching more items than this (read-all, a retention sweep) is not streamed item by
 *  item to sockets: they get one `resumed` with `complete: false` (reload the list). */
export const INBOX_STREAM_MAX_ITEMS = 100;
/** Items per page of GET /api/inbox: default, and the most (contracts/inbox.ts limit). */
export const INBOX_PAGE_DEFAULT = 20;
/** Open sockets per user object: far more tabs and devices than a person uses, and far below the
 *  ~32k hibernated sockets one object can hold. Beyond it the oldest socket is closed. */
export const INBOX_MAX_SOCKETS_PER_USER = 50;
/** Close code sent to the oldest socket when a user opens one too many (4000–4999: private use). */
export const INBOX_CLOSE_TOO_MANY = 4008;
/** Per isolate, a site (by key) and its opened identity secrets are cached this long (ms), so an
 *  inbox call costs no D1 read and no unseal; a rotated secret takes effect within it (the old one
 *  stays valid for IDENTITY_PREVIOUS_SECRET_GRACE_MS anyway). */
export const INBOX_AUTH_CACHE_MS = 30_000;
/** Sites an isolate's inbox auth cache holds at most (the oldest go first). */
export const INBOX_AUTH_CACHE_MAX_SITES = 1_000;
/** End-user inbox calls per user: a page polls every few seconds at most and the widget does a few
 *  calls per click; 300 a minute with bursts of 120 leaves room for several tabs. */
export const INBOX_LIMIT_PER_USER = { capacity: 120, refillPerMinute: 300 };

// ─── Preferences, quiet hours, digests (issue #9 §3; services/preferences) ──
/** (notification, channel) pairs whose quiet hours ended released per minute's run: each is one
 *  D1 transaction and one queue message, so a run stays well inside a cron invocation's time;
 *  more wait a minute (their release time has passed, so they go first next run). */
export const RELEASE_DEFERRED_MAX_PER_RUN = 200;
/** Digest windows flushed per minute's run (each: a few reads, one transaction, one queue message). */
export const DIGEST_FLUSH_MAX_PER_RUN = 200;
/** Items a digest lists by title (email lists them all up to this; push and SMS show the first few). */
export const DIGEST_MAX_ITEMS_LISTED = 50;

// ─── Recurring notifications (issue #10 §3) ───
/** A run due this long ago still counts as on time (the scheduler runs every minute). */
export const RECURRING_ON_TIME_MS = 15 * 60 * 1000;
/** Series the scheduler moves on per cron run (each creates at most one run). */
export const RECURRING_BATCH = 50;
/** Upcoming runs a series' view lists. */
export const RECURRING_NEXT_RUNS_SHOWN = 5;

// ─── Welcome drips (issue #10 §4) ───
/** Steps a drip campaign may have. */
export const DRIP_MAX_STEPS = 10;
/** The longest delay after subscribing (8 weeks). */
export const DRIP_MAX_DELAY_MINUTES = 8 * 7 * 24 * 60;
/** Due enrollments the scheduler claims per cron run (each step's claimed subscribers go out as one notification). */
export const DRIP_CLAIM_BATCH = 2000;
/** A claim older than this was lost with its run (the edge died): the enrollments are claimed
 *  again. Longer than a cron invocation can live (15 minutes), so a live run never loses its claim. */
export const DRIP_CLAIM_STALE_MS = 20 * 60 * 1000;

// ─── Segments (issue #10 §1) ───
/** Conditions per segment: each binds at most 3 parameters, far below D1's 100. */
export const SEGMENT_MAX_CONDITIONS = 20;
/** Groups nested in groups. */
export const SEGMENT_MAX_DEPTH = 4;
/** Values in one condition's list (one JSON parameter). */
export const SEGMENT_MAX_LIST = 100;

// ─── Inbound webhook triggers (issue #10 §6) ───
/** Largest JSON body a trigger takes. */
export const TRIGGER_BODY_MAX_BYTES = 64 * 1024;
/** A signature's timestamp may be this far from now (either way): the replay window. */
export const TRIGGER_SIGNATURE_TOLERANCE_S = 300;
/** Calls per trigger per minute unless the trigger says otherwise. */
export const TRIGGER_RATE_DEFAULT_PER_MINUTE = 600;
/** Calls kept in a trigger's log. */
export const TRIGGER_LOG_KEEP = 100;

// ─── RSS-to-push (issue #10 §5) ───
/** How often a feed is polled (the cron runs every 15 minutes). */
export const FEED_POLL_INTERVAL_MS = 15 * 60 * 1000;
/** Feeds one cron run polls: 100 at 6 at a time stays well inside a cron invocation's limits. */
export const FEEDS_PER_RUN = 100;
/** Feeds fetched at once (Workers allow 6 simultaneous outbound connections). */
export const FEED_FETCH_CONCURRENCY = 6;
/** A feed's body is abandoned past this. */
export const FEED_MAX_BYTES = 5 * 1024 * 1024;
/** A feed that does not answer within this is a failed poll. */
export const FEED_TIMEOUT_MS = 10_000;
/** New items one poll sends at most (the rest are skipped, never blasted). */
export const FEED_MAX_ITEMS_PER_POLL = 20;
export const FEED_DEFAULT_ITEMS_PER_POLL = 3;
/** Items of a feed remembered (for dedupe); older ones are forgotten. */
export const FEED_ITEMS_KEPT = 500;

// ─── A/B tests (issue #10 §7) ───
export const AB_MAX_VARIANTS = 5;
export const AB_WINDOW_MIN_MINUTES = 15;
export const AB_WINDOW_MAX_MINUTES = 48 * 60;
