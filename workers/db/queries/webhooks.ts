// SQL for outbound webhooks: endpoints, emitted events and the delivery log. Every query is
// scoped by site_id. Statements that take many rows at once pass them as one JSON array
// (json_each) — D1 binds at most 100 parameters per statement — and run as raw D1 batches,
// like savePlan: drizzle's batch() does not take raw RETURNING queries.
import { and, count, desc, eq, gt, inArray, lt, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { webhookDeliveries, webhookEndpoints, webhookEvents } from "../schema";

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookEventRow = typeof webhookEvents.$inferSelect;

// ─── Endpoints ───────────────────────────────────────────────────────────────

const endpointIs = (siteId: string, id: string) => and(eq(webhookEndpoints.siteId, siteId), eq(webhookEndpoints.id, id));

export const countEndpoints = async (db: Db, siteId: string) =>
  (await db.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.siteId, siteId)).get())?.n ?? 0;

export const insertEndpoint = (db: Db, row: WebhookEndpointRow) => db.insert(webhookEndpoints).values(row).run();

export const listEndpoints = (db: Db, siteId: string) =>
  db.select().from(webhookEndpoints).where(eq(webhookEndpoints.siteId, siteId)).orderBy(desc(webhookEndpoints.id)).all();

export const findEndpoint = (db: Db, siteId: string, id: string) => db.select().from(webhookEndpoints).where(endpointIs(siteId, id)).get();

export const updateEndpoint = (db: Db, siteId: string, id: string, patch: Partial<WebhookEndpointRow>) =>
  db.update(webhookEndpoints).set(patch).where(endpointIs(siteId, id)).returning().get();

/** Deletes the endpoint; its delivery log goes with it (foreign key cascade). */
export const deleteEndpoint = (db: Db, siteId: string, id: string) => db.delete(webhookEndpoints).where(endpointIs(siteId, id)).run();

/** What emission needs: the site's enabled endpoints and the types each takes (null: all). */
export const enabledEndpoints = (db: Db, siteId: string) =>
  db
    .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.siteId, siteId), eq(webhookEndpoints.enabled, true)))
    .all();

/** Endpoints of the sites after `afterSiteId` up to `throughSiteId` (inclusive; none: to the end), for re-sealing. */
export const endpointSecretsOfSites = (db: Db, afterSiteId: string, throughSiteId: string | null) =>
  db
    .select({ id: webhookEndpoints.id, siteId: webhookEndpoints.siteId, secretEnc: webhookEndpoints.secretEnc, previousSecretEnc: webhookEndpoints.previousSecretEnc })
    .from(webhookEndpoints)
    .where(and(gt(webhookEndpoints.siteId, afterSiteId), throughSiteId === null ? undefined : lte(webhookEndpoints.siteId, throughSiteId)))
    .all();

export const updateEndpointSecrets = (db: Db, rows: Array<{ id: string; siteId: string; secretEnc: string; previousSecretEnc: string | null }>) =>
  rows.length
    ? db.$client.batch(
        rows.map((r) =>
          db.$client
            .prepare("update webhook_endpoints set secret_enc = ?1, previous_secret_enc = ?2 where site_id = ?3 and id = ?4")
            .bind(r.secretEnc, r.previousSecretEnc, r.siteId, r.id),
        ),
      )
    : Promise.resolve([]);

// ─── Emission ────────────────────────────────────────────────────────────────

export interface EmittedEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  at: number;
}

/**
 * Records the events (an id already recorded for the site is left as it was) and a pending
 * first attempt for each (event, endpoint) pair whose endpoint is still enabled, in one batch.
 * Returns the attempts it added: a repeated emission adds none, so nothing is sent twice.
 */
export async function insertEventsWithAttempts(
  db: Db,
  siteId: string,
  events: EmittedEvent[],
  pairs: Array<{ deliveryId: string; endpointId: string; eventId: string }>,
  now: number,
): Promise<Array<{ id: string }>> {
  const [, added] = await db.$client.batch<{ id: string }>([
    db.$client
      .prepare(
        `insert into webhook_events (site_id, id, type, data, created_at)
         select ?1, value ->> '$.id', value ->> '$.type', value ->> '$.data', value ->> '$.at' from json_each(?2) where true
         on conflict do nothing`,
      )
      .bind(siteId, JSON.stringify(events)),
    db.$client
      .prepare(
        `insert into webhook_deliveries (id, site_id, endpoint_id, event_id, event_type, kind, attempt, status, next_attempt_at, created_at)
         select p.value ->> '$[0]', ?1, e.id, ev.id, ev.type, 'scheduled', 1, 'pending', ?3, ?3
         from json_each(?2) p
         join webhook_endpoints e on e.site_id = ?1 and e.id = p.value ->> '$[1]' and e.enabled = 1
         join webhook_events ev on ev.site_id = ?1 and ev.id = p.value ->> '$[2]'
         where true
         on conflict do nothing
         returning id`,
      )
      .bind(siteId, JSON.stringify(pairs.map((p) => [p.deliveryId, p.endpointId, p.eventId])), now),
  ]);
  return added!.results;
}

export const insertEvent = (db: Db, row: WebhookEventRow) => db.insert(webhookEvents).values(row).onConflictDoNothing().run();

export const findEvent = (db: Db, siteId: string, id: string) =>
  db.select().from(webhookEvents).where(and(eq(webhookEvents.siteId, siteId), eq(webhookEvents.id, id))).get();

// ─── Attempts ────────────────────────────────────────────────────────────────

export const findDelivery = (db: Db, siteId: string, endpointId: string, id: string) =>
  db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.siteId, siteId), eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.id, id)))
    .get();

export const insertDelivery = (db: Db, row: WebhookDeliveryRow) => db.insert(webhookDeliveries).values(row).run();

/**
 * Takes a pending attempt due by `dueBy` (or one whose sender's lease lapsed by `now`) for
 * sending, until `leaseUntil`. Returns the row, or undefined when there is nothing to take: done, gone, not due
 * yet, or held by another.
 */
export const claimDelivery = (db: Db, siteId: string, id: string, t: { now: number; dueBy: number; leaseUntil: number }) =>
  db
    .update(webhookDeliveries)
    .set({ status: "sending", leaseUntil: t.leaseUntil })
    .where(
      and(
        eq(webhookDeliveries.siteId, siteId),
        eq(webhookDeliveries.id, id),
        sql`((${webhookDeliveries.status} = 'pending' and coalesce(${webhookDeliveries.nextAttemptAt}, 0) <= ${t.dueBy})
            or (${webhookDeliveries.status} = 'sending' and ${webhookDeliveries.leaseUntil} < ${t.now}))`,
      ),
    )
    .returning()
    .get();

export const findDeliveryById = (db: Db, siteId: string, id: string) =>
  db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.siteId, siteId), eq(webhookDeliveries.id, id))).get();

export interface AttemptOutcome {
  status: "succeeded" | "failed" | "skipped";
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  errorDetail: string | null;
  durationMs: number | null;
  attemptedAt: number;
  /** A failed scheduled attempt's successor, written pending unless the endpoint is (or gets) disabled. */
  next: { id: string; attempt: number; dueAt: number } | null;
  /** Endpoint health: a success clears failing_since, a failure starts it (unless a test). */
  health: "ok" | "failing" | "unchanged";
  /** With "failing": disable the endpoint once it has been failing since before this time. */
  disableIfFailingSince: number;
  disabledReason: string;
}

/**
 * Records an attempt's outcome in one batch: the row, the endpoint's health (disabling it after
 * the failure window) and the next attempt. Returns whether the next attempt was written and
 * whether this outcome disabled the endpoint.
 */
export async function recordAttempt(db: Db, row: WebhookDeliveryRow, o: AttemptOutcome) {
  const c = db.$client;
  const statements: D1PreparedStatement[] = [
    c
      .prepare(
        `update webhook_deliveries set status = ?1, response_status = ?2, response_body = ?3, error = ?4, error_detail = ?5,
           duration_ms = ?6, attempted_at = ?7, next_attempt_at = ?8, lease_until = null
         where site_id = ?9 and id = ?10`,
      )
      .bind(o.status, o.responseStatus, o.responseBody, o.error, o.errorDetail, o.durationMs, o.attemptedAt, o.next?.dueAt ?? null, row.siteId, row.id),
  ];
  if (o.health === "ok") {
    statements.push(c.prepare("update webhook_endpoints set failing_since = null where site_id = ?1 and id = ?2 and failing_since is not null").bind(row.siteId, row.endpointId));
  }
  if (o.health === "failing") {
    statements.push(
      c.prepare("update webhook_endpoints set failing_since = coalesce(failing_since, ?3) where site_id = ?1 and id = ?2").bind(row.siteId, row.endpointId, o.attemptedAt),
      c
        .prepare(
          `update webhook_endpoints set enabled = 0, disabled_reason = ?3, disabled_at = ?4, updated_at = ?4
           where site_id = ?1 and id = ?2 and enabled = 1 and failing_since <= ?5 returning id`,
        )
        .bind(row.siteId, row.endpointId, o.disabledReason, o.attemptedAt, o.disableIfFailingSince),
    );
  }
  if (o.next) {
    statements.push(
      c
        .prepare(
          `insert into webhook_deliveries (id, site_id, endpoint_id, event_id, event_type, kind, attempt, status, next_attempt_at, created_at)
           select ?1, ?2, ?3, ?4, ?5, 'scheduled', ?6, 'pending', ?7, ?8
           where exists (select 1 from webhook_endpoints where site_id = ?2 and id = ?3 and enabled = 1)
           on conflict do nothing returning id`,
        )
        .bind(o.next.id, row.siteId, row.endpointId, row.eventId, row.eventType, o.next.attempt, o.next.dueAt, o.attemptedAt),
    );
  }
  const results = await c.batch(statements);
  const disabled = o.health === "failing" && results[2]!.results.length === 1;
  const scheduled = o.next !== null && results[results.length - 1]!.results.length === 1;
  return { disabled, scheduled };
}

export interface DeliveryFilter {
  status?: "pending" | "succeeded" | "failed" | "skipped";
}

export function listDeliveries(db: Db, siteId: string, endpointId: string, filter: DeliveryFilter, cursor: string | undefined, limit: number) {
  const conditions: SQL[] = [eq(webhookDeliveries.siteId, siteId), eq(webhookDeliveries.endpointId, endpointId)];
  // A row being sent right now is still pending to a reader.
  if (filter.status === "pending") conditions.push(inArray(webhookDeliveries.status, ["pending", "sending"]));
  else if (filter.status) conditions.push(eq(webhookDeliveries.status, filter.status));
  if (cursor) conditions.push(lt(webhookDeliveries.id, cursor));
  return db.select().from(webhookDeliveries).where(and(...conditions)).orderBy(desc(webhookDeliveries.id)).limit(limit).all();
}

// ─── Housekeeping ────────────────────────────────────────────────────────────

/**
 * Claims attempts whose queue message was lost — pending and overdue, or being sent by a holder
 * whose lease lapsed — by marking them due now, so a second run does not take them again.
 */
export const claimStalledDeliveries = (db: Db, overdueBefore: number, now: number, limit: number) =>
  db.$client
    .prepare(
      `update webhook_deliveries set status = 'pending', lease_until = null, next_attempt_at = ?2
       where id in (select id from webhook_deliveries
                    where (status = 'pending' and next_attempt_at < ?1) or (status = 'sending' and lease_until < ?1) limit ?3)
       returning id, site_id as siteId`,
    )
    .bind(overdueBefore, now, limit)
    .all<{ id: string; siteId: string }>()
    .then((r) => r.results);

/** Deletes up to `limit` log rows and events older than `before`; returns how many of each. */
export async function deleteOldWebhookRows(db: Db, before: number, limit: number) {
  const [deliveries, events] = await db.$client.batch([
    db.$client.prepare("delete from webhook_deliveries where id in (select id from webhook_deliveries where created_at < ?1 limit ?2)").bind(before, limit),
    db.$client.prepare("delete from webhook_events where rowid in (select rowid from webhook_events where created_at < ?1 limit ?2)").bind(before, limit),
  ]);
  return { deliveries: deliveries!.meta.changes, events: events!.meta.changes };
}

/** The DLQ's verdict on an attempt whose queue message died: failed, unless it finished meanwhile. */
export const failDeadAttempt = (db: Db, siteId: string, id: string, now: number) =>
  db
    .update(webhookDeliveries)
    .set({
      status: "failed",
      error: "consumer_failed",
      errorDetail: "Herald could not process this attempt after repeated errors of its own; replay it to send the event again.",
      attemptedAt: sql`coalesce(${webhookDeliveries.attemptedAt}, ${now})`,
      nextAttemptAt: null,
      leaseUntil: null,
    })
    .where(and(eq(webhookDeliveries.siteId, siteId), eq(webhookDeliveries.id, id), inArray(webhookDeliveries.status, ["pending", "sending"])))
    .run();
