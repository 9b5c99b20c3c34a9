import { Channel, DeviceTopic } from './topics';
import { Rejection } from './rejection';

/** At most 16 KiB of UTF-8 JSON per message (DESIGN.md section 4). */
export const MAX_PAYLOAD_BYTES = 16 * 1024;

export interface TimeWindow {
  /** How far ahead of the server clock a device timestamp may be. */
  maxFutureMs: number;
  /** How old a timestamp may be (devices buffer while offline). */
  maxAgeMs: number;
}

export const DEFAULT_TIME_WINDOW: TimeWindow = { maxFutureMs: 5 * 60_000, maxAgeMs: 7 * 24 * 3_600_000 };

export interface TelemetryPayload {
  channel: 'telemetry';
  msgId: string;
  ts: Date;
  values: Record<string, number>;
}

export interface EventPayload {
  channel: 'event';
  msgId: string;
  ts: Date;
  type: string;
  data: Record<string, unknown>;
}

export interface HeartbeatPayload {
  channel: 'heartbeat';
  ts: Date;
  battery?: number;
  rssi?: number;
  fw?: string;
}

export interface StatusPayload {
  channel: 'status';
  online: boolean;
}

export type DevicePayload = TelemetryPayload | EventPayload | HeartbeatPayload | StatusPayload;

export type PayloadParseResult<T = DevicePayload> = { ok: true; payload: T } | ({ ok: false } & Rejection);

/** Any epoch-milliseconds value below this (2001-09-09 in ms) is more likely epoch seconds. */
const EPOCH_SECONDS_BOUND = 1e12;

// fatal: invalid UTF-8 is refused, not replaced; a leading BOM is dropped (ignoreBOM false).
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Patterns of the envelope, shared with the JSON Schemas (schemas.ts) so both say the same. */
export const MSG_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
export const FW_PATTERN = /^[\w.+-]{1,32}$/;
export const ISO_TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/;
export const EVENT_TYPE_MAX_LENGTH = 64;
export const BATTERY_RANGE = { min: 0, max: 100 } as const;
export const RSSI_RANGE = { min: -150, max: 0 } as const;

function reject(reason: Rejection['reason'], detail: string): { ok: false } & Rejection {
  return { ok: false, reason, detail };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Epoch milliseconds or ISO-8601 with a time zone, inside the accepted window. */
export function parseTimestamp(value: unknown, now: number, window: TimeWindow): PayloadParseResult<Date> {
  let ms: number;
  if (typeof value === 'number' && Number.isFinite(value)) {
    ms = value;
  } else if (typeof value === 'string' && ISO_TIMESTAMP_PATTERN.test(value)) {
    ms = Date.parse(value);
  } else {
    return reject('bad_timestamp', 'ts must be epoch milliseconds or ISO-8601 with a time zone');
  }
  if (!Number.isFinite(ms) || ms <= 0) return reject('bad_timestamp', 'ts is not a valid time');
  if (ms - now > window.maxFutureMs) return reject('timestamp_in_future', `ts is ${Math.round((ms - now) / 1000)} s ahead of the server clock`);
  if (now - ms > window.maxAgeMs) {
    // The commonest firmware mistake: epoch seconds where milliseconds are due (1970 + a few weeks).
    const hint = typeof value === 'number' && value < EPOCH_SECONDS_BOUND ? ' (it looks like epoch seconds; send milliseconds)' : '';
    return reject('timestamp_too_old', `ts is older than ${Math.round(window.maxAgeMs / 3_600_000)} h${hint}`);
  }
  return { ok: true, payload: new Date(ms) };
}

/**
 * Channel-level parsing: size, UTF-8, JSON, envelope fields and timestamps. Whether the
 * device exists and its values fit its type is checked afterwards, against the registry.
 */
export function parsePayload(topic: DeviceTopic, raw: Buffer, now: number, window: TimeWindow = DEFAULT_TIME_WINDOW): PayloadParseResult {
  if (raw.length > MAX_PAYLOAD_BYTES) return reject('payload_too_large', `payload is ${raw.length} bytes, the limit is ${MAX_PAYLOAD_BYTES}`);
  let text: string;
  try {
    text = decoder.decode(raw);
  } catch {
    return reject('not_utf8', 'payload is not valid UTF-8');
  }
  if (topic.channel === 'status') {
    const state = text.trim();
    if (state === 'online' || state === 'offline') return { ok: true, payload: { channel: 'status', online: state === 'online' } };
    return reject('bad_envelope', 'status payload must be "online" or "offline"');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return reject('not_json', 'payload is not JSON');
  }
  if (!isRecord(body)) return reject('bad_envelope', 'payload must be a JSON object');
  return parseJsonEnvelope(topic.channel, body, now, window);
}

function parseJsonEnvelope(channel: Exclude<Channel, 'status'>, body: Record<string, unknown>, now: number, window: TimeWindow): PayloadParseResult {
  const ts = parseTimestamp(body.ts, now, window);
  if (!ts.ok) return ts;
  if (channel === 'heartbeat') {
    const { battery, rssi, fw } = body;
    if (battery !== undefined && (typeof battery !== 'number' || battery < BATTERY_RANGE.min || battery > BATTERY_RANGE.max)) {
      return reject('value_out_of_range', `battery must be a number from ${BATTERY_RANGE.min} to ${BATTERY_RANGE.max}`);
    }
    if (rssi !== undefined && (typeof rssi !== 'number' || rssi < RSSI_RANGE.min || rssi > RSSI_RANGE.max)) {
      return reject('value_out_of_range', `rssi must be a number of dBm from ${RSSI_RANGE.min} to ${RSSI_RANGE.max}`);
    }
    if (fw !== undefined && (typeof fw !== 'string' || !FW_PATTERN.test(fw))) return reject('bad_envelope', 'fw must be a short version string');
    return { ok: true, payload: { channel, ts: ts.payload, battery, rssi, fw } };
  }
  if (typeof body.msgId !== 'string' || !MSG_ID_PATTERN.test(body.msgId)) {
    return reject('missing_msg_id', 'msgId must be a string of 1-128 printable ASCII characters');
  }
  if (channel === 'telemetry') {
    if (!isRecord(body.values) || Object.keys(body.values).length === 0) {
      return reject('bad_envelope', 'values must be a non-empty object of numbers');
    }
    const values: Record<string, number> = {};
    for (const [key, value] of Object.entries(body.values)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) return reject('bad_envelope', `values.${key.slice(0, 40)} must be a finite number`);
      values[key] = value;
    }
    return { ok: true, payload: { channel, msgId: body.msgId, ts: ts.payload, values } };
  }
  if (typeof body.type !== 'string' || body.type.length === 0 || body.type.length > EVENT_TYPE_MAX_LENGTH) {
    return reject('bad_envelope', 'type must be a non-empty string');
  }
  if (body.data !== undefined && !isRecord(body.data)) return reject('bad_envelope', 'data must be an object');
  return { ok: true, payload: { channel, msgId: body.msgId, ts: ts.payload, type: body.type, data: isRecord(body.data) ? body.data : {} } };
}
