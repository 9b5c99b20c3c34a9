import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The webhook signature contract (README "Webhooks"). Every delivery carries
 *   X-SC-Delivery:  the delivery id (the same on every retry: receivers de-duplicate on it)
 *   X-SC-Timestamp: Unix seconds when this attempt was signed
 *   X-SC-Signature: v1=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>
 * A receiver recomputes the HMAC over the raw body, compares in constant time, rejects a
 * timestamp further than the tolerance from its clock (replay window), and remembers delivery
 * ids inside that window (a replayed request inside it is a delivery it already has).
 */
export const WEBHOOK_HEADERS = {
  delivery: 'x-sc-delivery',
  timestamp: 'x-sc-timestamp',
  signature: 'x-sc-signature',
  event: 'x-sc-event',
} as const;

export const WEBHOOK_SIGNATURE_VERSION = 'v1';
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
  return `${WEBHOOK_SIGNATURE_VERSION}=${mac}`;
}

export type WebhookVerdict = { ok: true } | { ok: false; reason: 'missing_headers' | 'stale_timestamp' | 'bad_signature' };

/** What a receiver does; the tests and the benchmark's receiver use it as documented. */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  nowMs: number = Date.now(),
  toleranceSeconds: number = WEBHOOK_TOLERANCE_SECONDS,
): WebhookVerdict {
  const timestamp = single(headers[WEBHOOK_HEADERS.timestamp]);
  const signature = single(headers[WEBHOOK_HEADERS.signature]);
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return { ok: false, reason: 'missing_headers' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceSeconds) return { ok: false, reason: 'stale_timestamp' };
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), rawBody));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
  return { ok: true };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
