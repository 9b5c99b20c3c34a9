import { getDeviceType } from '../devices/device-types.catalogue';
import { containsPersonalData, scrubPersonalText } from '../devices/personal-data';
import { newId } from '../shared/ids';
import { IngestMessage } from './ingest-message';
import { RejectedMessage } from './message-checks';
import { storableText } from './text-safety';

/** How much of a refused payload the quarantine keeps. */
export const EXCERPT_BYTES = 512;

export interface RejectionRow {
  id: string;
  receivedAt: Date;
  reason: string;
  detail: string;
  topic: string;
  deviceCode: string | null;
  deviceId: string | null;
  payloadExcerpt: string | null;
}

/**
 * The excerpt, unless the payload may carry a person's identifier: an event (or a message on
 * an unreadable topic) from a device whose type is unknown or sends access subjects keeps none.
 * Everything else is cut to 512 bytes and scrubbed of personal keys, best effort.
 */
function excerptOf(message: IngestMessage, rejected: RejectedMessage): string | null {
  const type = rejected.device ? getDeviceType(rejected.device.type) : undefined;
  const plainChannel = rejected.channel === 'telemetry' || rejected.channel === 'heartbeat' || rejected.channel === 'status';
  if (!plainChannel && (!type || containsPersonalData(type))) return null;
  const text = message.payload.subarray(0, EXCERPT_BYTES).toString('utf8');
  return storableText(scrubPersonalText(text), EXCERPT_BYTES * 2);
}

export function rejectionRow(message: IngestMessage, rejected: RejectedMessage): RejectionRow {
  return {
    id: newId(),
    receivedAt: message.receivedAt,
    reason: rejected.reason,
    detail: storableText(rejected.detail, 500),
    topic: storableText(message.topic, 300),
    deviceCode: rejected.deviceCode ? storableText(rejected.deviceCode, 64) : null,
    deviceId: rejected.device?.id ?? null,
    payloadExcerpt: excerptOf(message, rejected),
  };
}
