import {
  BATTERY_RANGE,
  EVENT_TYPE_MAX_LENGTH,
  FW_PATTERN,
  ISO_TIMESTAMP_PATTERN,
  MAX_PAYLOAD_BYTES,
  MSG_ID_PATTERN,
  RSSI_RANGE,
} from './payloads';
import { STATUS_OFFLINE, STATUS_ONLINE } from './topics';

/**
 * JSON Schemas (draft 2020-12) of the device payloads, for device makers and the docs. The
 * parser in payloads.ts is what the ingest runs; these say the same thing in a portable form
 * (a test checks both agree on the examples). Members not named here are allowed and ignored,
 * so firmware can add fields without being refused.
 */

/** The subset of JSON Schema these documents use. */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  type?: 'object' | 'string' | 'number' | 'integer' | 'array' | 'boolean' | 'null';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  minProperties?: number;
  enum?: readonly (string | number)[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  oneOf?: JsonSchema[];
  examples?: unknown[];
}

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const ID_ROOT = 'urn:smart-community:mqtt:v1';

const TIMESTAMP: JsonSchema = {
  description: 'Device time: epoch milliseconds, or ISO-8601 with a time zone. Accepted from 7 days old (TS_MAX_AGE_HOURS) to 5 minutes ahead (TS_MAX_FUTURE_SECONDS).',
  oneOf: [
    { type: 'number', exclusiveMinimum: 0, description: 'epoch milliseconds' },
    { type: 'string', pattern: ISO_TIMESTAMP_PATTERN.source, format: 'date-time', description: 'ISO-8601 with Z or an offset' },
  ],
};

const MSG_ID: JsonSchema = {
  type: 'string',
  pattern: MSG_ID_PATTERN.source,
  description: 'Unique per device; kept on redelivery. (deviceId, msgId) is the deduplication key.',
};

export const TELEMETRY_SCHEMA: JsonSchema = {
  $schema: DRAFT,
  $id: `${ID_ROOT}:telemetry`,
  title: 'telemetry',
  description: `sc/v1/{siteId}/{deviceId}/telemetry, QoS 1, at most ${MAX_PAYLOAD_BYTES} bytes of UTF-8 JSON.`,
  type: 'object',
  required: ['msgId', 'ts', 'values'],
  properties: {
    msgId: MSG_ID,
    ts: TIMESTAMP,
    values: {
      type: 'object',
      minProperties: 1,
      additionalProperties: { type: 'number' },
      description: 'Measurements by field key; the keys and ranges are the device type\'s (GET /device-types).',
    },
  },
};

export const EVENT_SCHEMA: JsonSchema = {
  $schema: DRAFT,
  $id: `${ID_ROOT}:event`,
  title: 'event',
  description: `sc/v1/{siteId}/{deviceId}/event, QoS 1, at most ${MAX_PAYLOAD_BYTES} bytes of UTF-8 JSON.`,
  type: 'object',
  required: ['msgId', 'ts', 'type'],
  properties: {
    msgId: MSG_ID,
    ts: TIMESTAMP,
    type: { type: 'string', minLength: 1, maxLength: EVENT_TYPE_MAX_LENGTH, description: 'One of the device type\'s event types, e.g. smoke.alarm.' },
    data: {
      type: 'object',
      description: 'Details of the event. Access events carry data.subject (card number, face id), pseudonymised on arrival.',
    },
  },
};

export const HEARTBEAT_SCHEMA: JsonSchema = {
  $schema: DRAFT,
  $id: `${ID_ROOT}:heartbeat`,
  title: 'heartbeat',
  description: 'sc/v1/{siteId}/{deviceId}/heartbeat, QoS 1: at least once per heartbeat interval of the device type.',
  type: 'object',
  required: ['ts'],
  properties: {
    ts: TIMESTAMP,
    battery: { type: 'number', minimum: BATTERY_RANGE.min, maximum: BATTERY_RANGE.max, description: 'Battery level, %' },
    rssi: { type: 'number', minimum: RSSI_RANGE.min, maximum: RSSI_RANGE.max, description: 'Signal strength, dBm' },
    fw: { type: 'string', pattern: FW_PATTERN.source, description: 'Firmware version' },
  },
};

/** Not JSON: the payload is the bare word, published retained; `offline` is also the last will. */
export const STATUS_SCHEMA: JsonSchema = {
  $schema: DRAFT,
  $id: `${ID_ROOT}:status`,
  title: 'status',
  description: 'sc/v1/{siteId}/{deviceId}/status, QoS 1, retained. The payload is the plain UTF-8 word, not JSON.',
  type: 'string',
  enum: [STATUS_ONLINE, STATUS_OFFLINE],
};

export const CHANNEL_SCHEMAS = {
  telemetry: TELEMETRY_SCHEMA,
  event: EVENT_SCHEMA,
  heartbeat: HEARTBEAT_SCHEMA,
  status: STATUS_SCHEMA,
} as const;

/**
 * What a device type contributes to the contract: the catalogue's DeviceTypeSpec fits it. The
 * events given are those the type may send (for the catalogue: `acceptedEventTypes(type)` of
 * libs/core, which adds the shared ones).
 */
export interface DeviceTypeContract {
  code: string;
  name: { en: string; zh: string };
  telemetry: readonly { key: string; name: { en: string; zh: string }; unit: string; min: number; max: number }[];
  events: readonly { type: string; personalSubject?: boolean }[];
}

export interface DeviceTypeSchemas {
  telemetry: JsonSchema;
  event: JsonSchema;
}

/**
 * The telemetry and event schemas of one device type: the channel envelopes narrowed to the
 * type's fields and ranges (no other key) and to its event types.
 */
export function deviceTypeSchemas(type: DeviceTypeContract): DeviceTypeSchemas {
  const fields: Record<string, JsonSchema> = {};
  for (const f of type.telemetry) {
    const unit = f.unit ? ` (${f.unit})` : '';
    fields[f.key] = { type: 'number', minimum: f.min, maximum: f.max, description: `${f.name.en} ${f.name.zh}${unit}` };
  }
  const telemetryProperties = TELEMETRY_SCHEMA.properties ?? {};
  const eventProperties = EVENT_SCHEMA.properties ?? {};
  const personal = type.events.filter((e) => e.personalSubject).map((e) => e.type);
  return {
    telemetry: {
      ...TELEMETRY_SCHEMA,
      $id: `${ID_ROOT}:${type.code}:telemetry`,
      title: `${type.code} telemetry (${type.name.zh})`,
      properties: {
        ...telemetryProperties,
        values: { type: 'object', minProperties: 1, properties: fields, additionalProperties: false },
      },
    },
    event: {
      ...EVENT_SCHEMA,
      $id: `${ID_ROOT}:${type.code}:event`,
      title: `${type.code} event (${type.name.zh})`,
      properties: {
        ...eventProperties,
        type: { type: 'string', enum: type.events.map((e) => e.type) },
        data: {
          type: 'object',
          description: personal.length
            ? `${personal.join(', ')} carry data.subject (card number or face id), pseudonymised on arrival.`
            : 'Details of the event.',
        },
      },
    },
  };
}
