import type { DeliveryEvent } from '../entities/delivery.entity';

/** What a channel formatter gets: one stored delivery, its target's address and secret, the time of this attempt. */
export interface ChannelInput {
  url: string;
  /** The target's decrypted secret (webhook HMAC key, DingTalk "SEC…" secret), when it has one. */
  secret?: string;
  deliveryId: string;
  event: DeliveryEvent;
  payload: Record<string, unknown>;
  now: Date;
}
