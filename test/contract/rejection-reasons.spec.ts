import { getDeviceType } from '@sc/core/devices/device-types.catalogue';
import { DeviceTypeSpec } from '@sc/core/devices/device-type';
import { validateDevicePayload } from '@sc/core/devices/payload-validation';
import { parsePayload } from '@sc/messaging/mqtt/payloads';
import { REJECTION_MEANINGS, REJECTION_REASONS, RejectionReason } from '@sc/messaging/mqtt/rejection';
import { parseDeviceTopic } from '@sc/messaging/mqtt/topics';

const KEY = 'a-test-pseudonym-key-of-at-least-32-characters';
const NOW = Date.parse('2025-03-01T08:00:00.000Z');

/**
 * The contract's own checks in the order the ingest runs them, minus the registry lookup
 * (unknown device, disabled, topic mismatch: those need the database and are tested with it).
 */
function check(topic: string, raw: Buffer | string, type: DeviceTypeSpec): RejectionReason | 'accepted' {
  const parsedTopic = parseDeviceTopic(topic);
  if (!parsedTopic.ok) return parsedTopic.reason;
  const parsed = parsePayload(parsedTopic.topic, Buffer.isBuffer(raw) ? raw : Buffer.from(raw), NOW);
  if (!parsed.ok) return parsed.reason;
  if (parsed.payload.channel === 'status') return 'accepted';
  const validated = validateDevicePayload(type, parsed.payload, KEY);
  return validated.ok ? 'accepted' : validated.reason;
}

const smoke = getDeviceType('smoke')!;
const T = 'sc/v1/HN-TJA-DS-JL/jl-smoke-0001';
const json = (body: unknown) => JSON.stringify(body);

/** One message per reason the contract decides, and what it must come back as. */
const CASES: { reason: RejectionReason | 'accepted'; topic: string; raw: Buffer | string }[] = [
  { reason: 'accepted', topic: `${T}/telemetry`, raw: json({ msgId: 'a', ts: NOW, values: { temperature: 21 } }) },
  { reason: 'bad_topic', topic: 'sc/v1/HN-TJA-DS-JL/jl-smoke-0001/alarm', raw: json({ msgId: 'a', ts: NOW }) },
  { reason: 'payload_too_large', topic: `${T}/event`, raw: Buffer.alloc(16 * 1024 + 1, 0x20) },
  { reason: 'not_utf8', topic: `${T}/event`, raw: Buffer.from([0xc3, 0x28]) },
  { reason: 'not_json', topic: `${T}/event`, raw: 'smoke!' },
  { reason: 'bad_envelope', topic: `${T}/telemetry`, raw: json({ msgId: 'a', ts: NOW, values: { temperature: 'warm' } }) },
  { reason: 'missing_msg_id', topic: `${T}/event`, raw: json({ ts: NOW, type: 'smoke.alarm' }) },
  { reason: 'bad_timestamp', topic: `${T}/event`, raw: json({ msgId: 'a', ts: 'yesterday', type: 'smoke.alarm' }) },
  { reason: 'timestamp_in_future', topic: `${T}/event`, raw: json({ msgId: 'a', ts: NOW + 3_600_000, type: 'smoke.alarm' }) },
  { reason: 'timestamp_too_old', topic: `${T}/event`, raw: json({ msgId: 'a', ts: NOW - 30 * 86_400_000, type: 'smoke.alarm' }) },
  { reason: 'unknown_event_type', topic: `${T}/event`, raw: json({ msgId: 'a', ts: NOW, type: 'elevator.trapped' }) },
  { reason: 'unknown_field', topic: `${T}/telemetry`, raw: json({ msgId: 'a', ts: NOW, values: { ppm: 12.5 } }) },
  { reason: 'value_out_of_range', topic: `${T}/telemetry`, raw: json({ msgId: 'a', ts: NOW, values: { battery: 140 } }) },
];

describe('rejection reasons of the device contract', () => {
  it.each(CASES.map((c) => [c.reason, c] as const))('a message that should be %s comes back as that', (_reason, c) => {
    expect(check(c.topic, c.raw, smoke)).toBe(c.reason);
  });

  it('covers every reason the contract decides itself: all but the registry ones', () => {
    const contractReasons = REJECTION_REASONS.filter((r) => REJECTION_MEANINGS[r].stage !== 'registry');
    const tested = new Set(CASES.map((c) => c.reason));
    expect(contractReasons.filter((r) => !tested.has(r))).toEqual([]);
    expect(REJECTION_REASONS.filter((r) => REJECTION_MEANINGS[r].stage === 'registry').sort()).toEqual(['device_disabled', 'topic_mismatch', 'unknown_device']);
  });
});
