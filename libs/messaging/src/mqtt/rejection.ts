/** Why a device message was refused; each is counted and recorded in quarantine. */
export const REJECTION_REASONS = [
  'bad_topic',
  'payload_too_large',
  'not_utf8',
  'not_json',
  'bad_envelope',
  'missing_msg_id',
  'bad_timestamp',
  'timestamp_in_future',
  'timestamp_too_old',
  'unknown_device',
  'device_disabled',
  'topic_mismatch',
  'unknown_event_type',
  'unknown_field',
  'value_out_of_range',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface Rejection {
  reason: RejectionReason;
  /** Human-readable, never containing personal data. */
  detail: string;
}

/** Which part of the contract refuses a message: the docs group reasons by it. */
export type RejectionStage = 'topic' | 'payload' | 'registry' | 'device type';

/** What each reason means, for the docs (docs/mqtt-contract.md) and for operators reading quarantine. */
export const REJECTION_MEANINGS: Readonly<Record<RejectionReason, { stage: RejectionStage; meaning: string }>> = {
  bad_topic: { stage: 'topic', meaning: 'the topic is not sc/v1/{siteId}/{deviceId}/{channel}, or names an unknown channel' },
  payload_too_large: { stage: 'payload', meaning: 'the payload is over 16 KiB' },
  not_utf8: { stage: 'payload', meaning: 'the payload is not valid UTF-8' },
  not_json: { stage: 'payload', meaning: 'the payload of telemetry, event or heartbeat is not JSON' },
  bad_envelope: {
    stage: 'payload',
    meaning:
      'a JSON value that is not an object, a member of the wrong type (values not numbers, data not an object, an empty type, a long fw), text the database cannot hold (NUL characters), or a status other than online/offline',
  },
  missing_msg_id: { stage: 'payload', meaning: 'telemetry or event without a msgId of 1-128 printable ASCII characters' },
  bad_timestamp: { stage: 'payload', meaning: 'ts missing, or neither epoch milliseconds nor ISO-8601 with a time zone' },
  timestamp_in_future: { stage: 'payload', meaning: 'ts is further ahead of the server clock than TS_MAX_FUTURE_SECONDS' },
  timestamp_too_old: { stage: 'payload', meaning: 'ts is older than TS_MAX_AGE_HOURS (often epoch seconds where milliseconds are due)' },
  unknown_device: { stage: 'registry', meaning: 'no device with this id is provisioned' },
  device_disabled: { stage: 'registry', meaning: 'the device is provisioned but disabled' },
  topic_mismatch: {
    stage: 'registry',
    meaning: 'the device published under another device id (embedded broker), or the site in the topic is not the community of the device it names',
  },
  unknown_event_type: { stage: 'device type', meaning: 'the event type is not one of the device type\'s events, nor a shared one (device.fault; battery.low on battery devices)' },
  unknown_field: { stage: 'device type', meaning: 'a telemetry key is not a field of the device type' },
  value_out_of_range: { stage: 'device type', meaning: 'a value is outside its field\'s range (heartbeat: battery 0-100, rssi -150-0 dBm)' },
};
