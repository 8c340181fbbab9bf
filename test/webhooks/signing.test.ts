// Standard Webhooks signing in workerd: the standardwebhooks library (pure JS HMAC-SHA256)
// signs here and verifies on the receiver's side; the Svix retry schedule, computed per attempt.
import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { WEBHOOK_RETRY_SCHEDULE_S } from "../../workers/config";
import { newWebhookSecret } from "../../workers/services/webhooks/endpoints";
import { nextAttempt, WEBHOOK_MAX_ATTEMPTS } from "../../workers/services/webhooks/schedule";
import { signedHeaders, webhookMessageId } from "../../workers/services/webhooks/signing";

const body = JSON.stringify({ type: "message.sent", timestamp: "2026-08-15T09:30:00.000Z", data: { message_id: "ntf_1" } });

describe("webhook signing", () => {
  it("makes whsec_ secrets of 32 random bytes in standard base64", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(atob(secret.slice(6))).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it("signs so that Webhook.verify accepts it, and refuses a changed body", () => {
    const secret = newWebhookSecret();
    const headers = signedHeaders({ messageId: "msg_1", at: new Date(), body, secrets: [secret] });
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body.replace("ntf_1", "ntf_2"), headers)).toThrow("No matching signature");
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow("No matching signature");
  });

  it("matches the Standard Webhooks reference signature", () => {
    // The spec's example (standard-webhooks/standard-webhooks, spec/standard-webhooks.md).
    const headers = signedHeaders({
      messageId: "msg_p5jXN8AQM9LWM0D4loKWxJek",
      at: new Date(1614265330 * 1000),
      body: '{"test": 2432232314}',
      secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    });
    expect(headers).toEqual({
      "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "webhook-timestamp": "1614265330",
      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    });
  });

  it("carries one signature per secret during a rotation, each verifying on its own", () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const headers = signedHeaders({ messageId: "msg_2", at: new Date(), body, secrets: [current, previous] });
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(() => new Webhook(current).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(previous).verify(body, headers)).not.toThrow();
  });

  it("keeps the webhook-id per event and endpoint", async () => {
    const id = await webhookMessageId("whk_a", "evt_1");
    expect(id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(await webhookMessageId("whk_a", "evt_1")).toBe(id);
    expect(await webhookMessageId("whk_b", "evt_1")).not.toBe(id);
    expect(await webhookMessageId("whk_a", "evt_2")).not.toBe(id);
  });
});

describe("webhook retry schedule", () => {
  it("retries after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then gives up", () => {
    const now = 1_000_000;
    const delays: number[] = [];
    for (let attempt = 1; ; attempt++) {
      const next = nextAttempt(attempt, now);
      if (!next) break;
      expect(next).toEqual({ attempt: attempt + 1, delayS: next.delayS, dueAt: now + next.delayS * 1000 });
      delays.push(next.delayS);
    }
    expect(delays).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(WEBHOOK_MAX_ATTEMPTS).toBe(8);
    expect(WEBHOOK_RETRY_SCHEDULE_S[0]).toBe(0); // the first attempt goes at once
  });
});
