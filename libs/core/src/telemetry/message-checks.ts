import { Channel, DeviceTopic, parseDeviceTopic, TOPIC_SEGMENT_PATTERN } from '@sc/messaging/mqtt/topics';
import { EventPayload, HeartbeatPayload, parsePayload, TelemetryPayload, TimeWindow } from '@sc/messaging/mqtt/payloads';
import { RejectionReason } from '@sc/messaging/mqtt/rejection';
import { DeviceTypeSpec } from '../devices/device-type';
import { getDeviceType } from '../devices/device-types.catalogue';
import { validateDevicePayload } from '../devices/payload-validation';
import { DirectoryEntry } from './device-directory';
import { IngestMessage } from './ingest-message';
import { hasUnstorableText } from './text-safety';

/**
 * The checks of one message, in order: topic, publisher, registry (known, same site, enabled),
 * channel envelope and time, then the device type's contract. Pure: the device lookup is done
 * for the whole batch beforehand (DeviceDirectory).
 */

export type CheckedMessage =
  | { kind: 'event'; device: DirectoryEntry; deviceType: DeviceTypeSpec; payload: TelemetryPayload | EventPayload }
  | { kind: 'heartbeat'; device: DirectoryEntry; payload: HeartbeatPayload }
  | { kind: 'status'; device: DirectoryEntry; online: boolean }
  | RejectedMessage;

export interface RejectedMessage {
  kind: 'rejected';
  reason: RejectionReason;
  detail: string;
  /** The device id the message claimed (publisher or topic), when readable. */
  deviceCode?: string;
  /** The registered device it is attributed to, when there is one. */
  device?: DirectoryEntry;
  /** The topic's channel, when the topic could be read. */
  channel?: Channel;
}

export type TopicCheck =
  | { ok: true; topic: DeviceTopic; claimedCode: string }
  | { ok: false; rejection: RejectedMessage; claimedCode?: string };

/**
 * First pass, before the batch's device lookup: the topic, and which device code the message
 * is attributed to (the publisher on our own broker, else the topic's device id), so a
 * rejection can still be linked to a registered device and shown to the people in its scope.
 */
export function checkTopic(message: IngestMessage): TopicCheck {
  const parsed = parseDeviceTopic(message.topic);
  if (parsed.ok) return { ok: true, topic: parsed.topic, claimedCode: message.username ?? parsed.topic.deviceId };
  const level = message.topic.split('/')[3];
  const claimedCode = message.username ?? (level !== undefined && TOPIC_SEGMENT_PATTERN.test(level) ? level : undefined);
  return { ok: false, claimedCode, rejection: { kind: 'rejected', reason: 'bad_topic', detail: parsed.detail, deviceCode: claimedCode } };
}

export interface CheckContext {
  now: number;
  timeWindow: TimeWindow;
  pseudonymKey: string;
}

/** Second pass, with the device the claimed code names (null: not registered). */
export function checkMessage(message: IngestMessage, topic: DeviceTopic, device: DirectoryEntry | null, context: CheckContext): CheckedMessage {
  const deviceType = device ? getDeviceType(device.type) : undefined;
  const reject = (reason: RejectionReason, detail: string): RejectedMessage => ({
    kind: 'rejected',
    reason,
    detail,
    deviceCode: message.username ?? topic.deviceId,
    device: device ?? undefined,
    channel: topic.channel,
  });

  if (message.username !== undefined && message.username !== topic.deviceId) {
    return reject('topic_mismatch', `device ${message.username} published under device ${topic.deviceId}`);
  }
  if (!device) return reject('unknown_device', `no device ${topic.deviceId} is registered`);
  if (device.siteId !== topic.siteId) {
    return reject('topic_mismatch', `device ${device.code} belongs to site ${device.siteId}, the topic names site ${topic.siteId}`);
  }
  if (!device.enabled) return reject('device_disabled', `device ${device.code} is disabled`);

  const parsed = parsePayload(topic, message.payload, context.now, context.timeWindow);
  if (!parsed.ok) return reject(parsed.reason, parsed.detail);
  const payload = parsed.payload;
  if (payload.channel === 'status') return { kind: 'status', device, online: payload.online };
  if (!deviceType) return reject('unknown_device', `device ${device.code} has type ${device.type}, which the catalogue does not know`);

  const valid = validateDevicePayload(deviceType, payload, context.pseudonymKey);
  if (!valid.ok) return reject(valid.reason, valid.detail);
  if (valid.payload.channel === 'heartbeat') return { kind: 'heartbeat', device, payload: valid.payload };
  const stored = valid.payload.channel === 'event' ? valid.payload.data : valid.payload.values;
  if (hasUnstorableText(stored)) return reject('bad_envelope', 'payload text holds NUL characters or unpaired surrogates');
  return { kind: 'event', device, deviceType, payload: valid.payload };
}
