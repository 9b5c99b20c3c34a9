import { Rejection } from './rejection';

/**
 * The device topic contract (DESIGN.md section 4, docs/mqtt-contract.md): devices publish QoS 1
 * to sc/v1/{siteId}/{deviceId}/{channel}; the MQTT username and client id are the device id and
 * the site is the code of the device's community.
 */
export const TOPIC_ROOT = 'sc/v1';

export const CHANNELS = ['telemetry', 'event', 'heartbeat', 'status'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Devices publish at QoS 1: at least once, deduplicated by (deviceId, msgId). */
export const DEVICE_QOS = 1;

/** The retained payloads of the status channel; `offline` is also the device's last will. */
export const STATUS_ONLINE = 'online';
export const STATUS_OFFLINE = 'offline';

/** Shared-subscription group: every ingest instance joins it, the broker splits the load. */
export const INGEST_SHARE_GROUP = 'sc-ingest';

/** Everything devices publish. */
export const DEVICE_TOPIC_FILTER = `${TOPIC_ROOT}/+/+/+`;

/**
 * The ingest's two lanes. Events (alarms, access control: someone may be waiting on them) must
 * not queue behind a backlog of telemetry, in the broker or in the ingest: they arrive on
 * connections of their own, and every batch takes them before any telemetry (IngestPipeline).
 */
export type IngestLane = 'event' | 'routine';
export const INGEST_LANES: readonly IngestLane[] = ['event', 'routine'];

/** The channels each lane carries. */
export const LANE_CHANNELS: Readonly<Record<IngestLane, readonly Channel[]>> = {
  event: ['event'],
  routine: ['telemetry', 'heartbeat', 'status'],
};

/**
 * The filters ingest instances subscribe with on an external broker (MQTT 5 shared
 * subscriptions), one group per lane so each lane's share is queued apart. Topics on other
 * channels reach no lane: the broker's ACL refuses them (deploy/mosquitto/acl), as the embedded
 * broker does.
 */
export const INGEST_LANE_FILTERS: Readonly<Record<IngestLane, readonly string[]>> = {
  event: LANE_CHANNELS.event.map((channel) => `$share/${INGEST_SHARE_GROUP}-event/${TOPIC_ROOT}/+/+/${channel}`),
  routine: LANE_CHANNELS.routine.map((channel) => `$share/${INGEST_SHARE_GROUP}/${TOPIC_ROOT}/+/+/${channel}`),
};

/**
 * What ingest sessions subscribed to before the lanes (one filter for every channel): dropped
 * from a resumed session, so a broker that keeps shared subscriptions in a session (EMQX) stops
 * sending events down the routine lane.
 */
export const INGEST_LEGACY_FILTER = `$share/${INGEST_SHARE_GROUP}/${DEVICE_TOPIC_FILTER}`;

/** The lane of a message, by its topic's last level (a malformed topic is refused in either). */
export function ingestLaneOf(topic: string): IngestLane {
  return topic.endsWith('/event') ? 'event' : 'routine';
}

/** Ids and site codes: what a topic level may hold (no wildcards, separators or spaces). */
export const TOPIC_SEGMENT_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export interface DeviceTopic {
  siteId: string;
  deviceId: string;
  channel: Channel;
}

export function deviceTopic(siteId: string, deviceId: string, channel: Channel): string {
  if (!TOPIC_SEGMENT_PATTERN.test(siteId)) throw new RangeError(`invalid site id: ${siteId}`);
  if (!TOPIC_SEGMENT_PATTERN.test(deviceId)) throw new RangeError(`invalid device id: ${deviceId}`);
  return `${TOPIC_ROOT}/${siteId}/${deviceId}/${channel}`;
}

export function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value);
}

/** A failed parse is a ready-made `bad_topic` rejection, so callers never spell the reason. */
export type TopicParseResult = { ok: true; topic: DeviceTopic } | ({ ok: false } & Rejection);

function badTopic(detail: string): { ok: false } & Rejection {
  return { ok: false, reason: 'bad_topic', detail };
}

export function parseDeviceTopic(topic: string): TopicParseResult {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) {
    return badTopic(`topic must be ${TOPIC_ROOT}/{siteId}/{deviceId}/{channel}`);
  }
  const [, , siteId, deviceId, channel] = parts;
  if (!TOPIC_SEGMENT_PATTERN.test(siteId)) return badTopic('invalid site id in topic');
  if (!TOPIC_SEGMENT_PATTERN.test(deviceId)) return badTopic('invalid device id in topic');
  // The channel is echoed only when short: a topic can be long and is device-controlled.
  if (!isChannel(channel)) return badTopic(`unknown channel "${channel.slice(0, 32)}" (expected ${CHANNELS.join(', ')})`);
  return { ok: true, topic: { siteId, deviceId, channel } };
}
