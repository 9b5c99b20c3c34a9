/**
 * The device topic contract (DESIGN.md section 4): devices publish QoS 1 to
 * sc/v1/{siteId}/{deviceId}/{channel}; the MQTT username is the device id and the
 * site is the code of the device's community.
 */
export const TOPIC_ROOT = 'sc/v1';

export const CHANNELS = ['telemetry', 'event', 'heartbeat', 'status'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Shared-subscription group: every ingest instance joins it, the broker splits the load. */
export const INGEST_SHARE_GROUP = 'sc-ingest';

/** Everything devices publish. */
export const DEVICE_TOPIC_FILTER = `${TOPIC_ROOT}/+/+/+`;

/** The filter ingest instances subscribe with on an external broker (MQTT 5 / 3.1.1 shared subscription). */
export const INGEST_SHARED_FILTER = `$share/${INGEST_SHARE_GROUP}/${DEVICE_TOPIC_FILTER}`;

/** Ids and site codes: what a topic level may hold (no wildcards, separators or spaces). */
const SEGMENT = /^[A-Za-z0-9_.-]{1,64}$/;

export interface DeviceTopic {
  siteId: string;
  deviceId: string;
  channel: Channel;
}

export function deviceTopic(siteId: string, deviceId: string, channel: Channel): string {
  if (!SEGMENT.test(siteId)) throw new RangeError(`invalid site id: ${siteId}`);
  if (!SEGMENT.test(deviceId)) throw new RangeError(`invalid device id: ${deviceId}`);
  return `${TOPIC_ROOT}/${siteId}/${deviceId}/${channel}`;
}

export type TopicParseResult = { ok: true; topic: DeviceTopic } | { ok: false; detail: string };

export function parseDeviceTopic(topic: string): TopicParseResult {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) {
    return { ok: false, detail: `topic must be ${TOPIC_ROOT}/{siteId}/{deviceId}/{channel}` };
  }
  const [, , siteId, deviceId, channel] = parts;
  if (!SEGMENT.test(siteId)) return { ok: false, detail: 'invalid site id in topic' };
  if (!SEGMENT.test(deviceId)) return { ok: false, detail: 'invalid device id in topic' };
  if (!(CHANNELS as readonly string[]).includes(channel)) {
    return { ok: false, detail: `unknown channel "${channel}" (expected ${CHANNELS.join(', ')})` };
  }
  return { ok: true, topic: { siteId, deviceId, channel: channel as Channel } };
}
