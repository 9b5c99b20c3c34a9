import type { EventPayload, HeartbeatPayload, TelemetryPayload } from '@sc/messaging/mqtt/payloads';
import type { Rejection } from '@sc/messaging/mqtt/rejection';
import { DeviceTypeSpec, EventTypeSpec } from './device-type';
import { getEventType, getTelemetryField } from './device-types.catalogue';
import { BATTERY_LOW, DEVICE_FAULT } from './device-types.shared';
import { pseudonymiseEventData } from './personal-data';

/**
 * The second half of the device contract: after the channel parser (libs/messaging payloads.ts)
 * has checked size, encoding, envelope and time, the payload is checked against the device's
 * type in the catalogue, and personal identifiers in event data are pseudonymised. What comes
 * out is what may be stored and logged.
 */

export type TypedPayload = TelemetryPayload | EventPayload | HeartbeatPayload;

export type PayloadValidation<T extends TypedPayload = TypedPayload> = { ok: true; payload: T } | ({ ok: false } & Rejection);

/**
 * Events every device type may send besides its own: any device can report a fault, and any
 * battery-powered device a low battery, even where the catalogue entry does not list them.
 */
function sharedEventTypes(deviceType: DeviceTypeSpec): EventTypeSpec[] {
  return deviceType.power === 'battery' ? [DEVICE_FAULT, BATTERY_LOW] : [DEVICE_FAULT];
}

/** The event types a device of this type may send: its own, then the shared ones it lacks. */
export function acceptedEventTypes(deviceType: DeviceTypeSpec): EventTypeSpec[] {
  const own = deviceType.events.map((e) => e.type);
  return [...deviceType.events, ...sharedEventTypes(deviceType).filter((e) => !own.includes(e.type))];
}

export function acceptedEventType(deviceType: DeviceTypeSpec, type: string): EventTypeSpec | undefined {
  return getEventType(deviceType, type) ?? sharedEventTypes(deviceType).find((e) => e.type === type);
}

/** Device-controlled text in a detail is cut short: details are logged and stored. */
function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function reject(reason: Rejection['reason'], detail: string): { ok: false } & Rejection {
  return { ok: false, reason, detail };
}

function validateTelemetry(deviceType: DeviceTypeSpec, payload: TelemetryPayload): PayloadValidation<TelemetryPayload> {
  const values: Record<string, number> = {};
  for (const [key, value] of Object.entries(payload.values)) {
    const field = getTelemetryField(deviceType, key);
    if (!field) {
      const known = deviceType.telemetry.map((f) => f.key).join(', ') || 'none';
      return reject('unknown_field', `values.${clip(key)} is not a telemetry field of ${deviceType.code} (fields: ${known})`);
    }
    if (value < field.min || value > field.max) {
      const unit = field.unit ? ` ${field.unit}` : '';
      return reject('value_out_of_range', `values.${key} = ${value} is outside [${field.min}, ${field.max}]${unit}`);
    }
    values[key] = value;
  }
  return { ok: true, payload: { channel: 'telemetry', msgId: payload.msgId, ts: payload.ts, values } };
}

function validateEvent(deviceType: DeviceTypeSpec, payload: EventPayload, pseudonymKey: string): PayloadValidation<EventPayload> {
  const spec = acceptedEventType(deviceType, payload.type);
  if (!spec) {
    return reject('unknown_event_type', `event type "${clip(payload.type, 64)}" is not one of the ${deviceType.code} event types`);
  }
  // Every event, not only the access-control ones: a subject in any event is still a person.
  const data = pseudonymiseEventData(payload.data, pseudonymKey);
  return { ok: true, payload: { channel: 'event', msgId: payload.msgId, ts: payload.ts, type: spec.type, data } };
}

function validateHeartbeat(payload: HeartbeatPayload): PayloadValidation<HeartbeatPayload> {
  // Ranges of battery and rssi are the channel's (payloads.ts); undefined members are dropped.
  const out: HeartbeatPayload = { channel: 'heartbeat', ts: payload.ts };
  if (payload.battery !== undefined) out.battery = payload.battery;
  if (payload.rssi !== undefined) out.rssi = payload.rssi;
  if (payload.fw !== undefined) out.fw = payload.fw;
  return { ok: true, payload: out };
}

/**
 * Checks a parsed payload against the device's type and returns it normalised: telemetry keys
 * and ranges from the catalogue, event types from the type (or shared), event data with
 * personal identifiers pseudonymised under `pseudonymKey`. Pure: no I/O, no clock.
 */
export function validateDevicePayload(deviceType: DeviceTypeSpec, payload: TelemetryPayload, pseudonymKey: string): PayloadValidation<TelemetryPayload>;
export function validateDevicePayload(deviceType: DeviceTypeSpec, payload: EventPayload, pseudonymKey: string): PayloadValidation<EventPayload>;
export function validateDevicePayload(deviceType: DeviceTypeSpec, payload: HeartbeatPayload, pseudonymKey: string): PayloadValidation<HeartbeatPayload>;
export function validateDevicePayload(deviceType: DeviceTypeSpec, payload: TypedPayload, pseudonymKey: string): PayloadValidation;
export function validateDevicePayload(deviceType: DeviceTypeSpec, payload: TypedPayload, pseudonymKey: string): PayloadValidation {
  switch (payload.channel) {
    case 'telemetry':
      return validateTelemetry(deviceType, payload);
    case 'event':
      return validateEvent(deviceType, payload, pseudonymKey);
    case 'heartbeat':
      return validateHeartbeat(payload);
  }
}

/**
 * What a log line may say about a payload: ids, time, type and telemetry values; of event data
 * only the keys, so no subject (raw or pseudonymised) or free text reaches the logs.
 */
export function redactForLog(payload: TypedPayload): Record<string, unknown> {
  switch (payload.channel) {
    case 'telemetry':
      return { channel: payload.channel, msgId: payload.msgId, ts: payload.ts.toISOString(), values: payload.values };
    case 'event':
      return { channel: payload.channel, msgId: payload.msgId, ts: payload.ts.toISOString(), type: payload.type, dataKeys: Object.keys(payload.data) };
    case 'heartbeat':
      return { channel: payload.channel, ts: payload.ts.toISOString(), battery: payload.battery, rssi: payload.rssi, fw: payload.fw };
  }
}
