import { signWebhook, WEBHOOK_HEADERS } from '@sc/messaging';
import type { OutgoingRequest } from '../delivery-ports';
import type { ChannelInput } from './channel-input';

/**
 * A signed JSON webhook: the stored payload plus {deliveryId, event, sentAt}, with the headers of
 * the signature contract (libs/messaging/src/webhooks/signature.ts). Signed afresh on every
 * attempt, so a retry hours later still passes the receiver's replay window.
 */
export function webhookRequest(input: ChannelInput): OutgoingRequest {
  if (!input.secret) throw new Error('a webhook target needs a signing secret');
  const body = JSON.stringify({ ...input.payload, deliveryId: input.deliveryId, event: input.event, sentAt: input.now.toISOString() });
  const timestamp = Math.floor(input.now.getTime() / 1000);
  return {
    url: input.url,
    body,
    headers: {
      'content-type': 'application/json',
      [WEBHOOK_HEADERS.delivery]: input.deliveryId,
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      [WEBHOOK_HEADERS.signature]: signWebhook(input.secret, timestamp, body),
      [WEBHOOK_HEADERS.event]: input.event,
    },
  };
}
