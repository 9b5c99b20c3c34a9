import { EventPayload, HeartbeatPayload, TelemetryPayload } from '@sc/messaging/mqtt/payloads';
import { pseudonymise } from '../shared/pseudonym';
import { DEVICE_TYPES, getDeviceType } from './device-types.catalogue';
import { DeviceTypeSpec } from './device-type';
import { acceptedEventTypes, redactForLog, validateDevicePayload } from './payload-validation';

const KEY = 'a-test-pseudonym-key-of-at-least-32-characters';
const TS = new Date('2025-03-01T08:00:00.000Z');

function type(code: string): DeviceTypeSpec {
  const spec = getDeviceType(code);
  if (!spec) throw new Error(`no device type ${code} in the catalogue`);
  return spec;
}

const telemetry = (values: Record<string, number>): TelemetryPayload => ({ channel: 'telemetry', msgId: 'm-1', ts: TS, values });
const event = (eventType: string, data: Record<string, unknown> = {}): EventPayload => ({ channel: 'event', msgId: 'm-2', ts: TS, type: eventType, data });

describe('validateDevicePayload: telemetry', () => {
  it('accepts every field of every device type at both ends of its range', () => {
    for (const spec of DEVICE_TYPES) {
      for (const field of spec.telemetry) {
        for (const value of [field.min, field.max]) {
          const result = validateDevicePayload(spec, telemetry({ [field.key]: value }), KEY);
          expect({ type: spec.code, field: field.key, value, ok: result.ok }).toEqual({ type: spec.code, field: field.key, value, ok: true });
        }
      }
    }
  });

  it('returns the values unchanged with the envelope of the message', () => {
    const result = validateDevicePayload(type('gas'), telemetry({ lel: 3.5, co: 12, rssi: -95 }), KEY);
    expect(result).toEqual({ ok: true, payload: { channel: 'telemetry', msgId: 'm-1', ts: TS, values: { lel: 3.5, co: 12, rssi: -95 } } });
  });

  it('rejects a key the device type does not report as unknown_field, naming the key and the type', () => {
    const result = validateDevicePayload(type('smoke'), telemetry({ temperature: 21, ppm: 12.5 }), KEY);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe('unknown_field');
    expect(result.detail).toContain('values.ppm');
    expect(result.detail).toContain('smoke');
  });

  it('rejects battery from a mains-powered type whose telemetry has no battery field', () => {
    const result = validateDevicePayload(type('elevator'), telemetry({ floor: 3, battery: 80 }), KEY);
    expect(result).toMatchObject({ ok: false, reason: 'unknown_field' });
  });

  it('rejects a value outside the field range as value_out_of_range, naming the field, the value and the range', () => {
    const result = validateDevicePayload(type('gas'), telemetry({ lel: 3, co: 1200 }), KEY);
    expect(result).toEqual({ ok: false, reason: 'value_out_of_range', detail: 'values.co = 1200 is outside [0, 1000] ppm' });
  });

  it('rejects a value just below the minimum', () => {
    const result = validateDevicePayload(type('hydrant_pressure'), telemetry({ pressure: -0.01 }), KEY);
    expect(result).toMatchObject({ ok: false, reason: 'value_out_of_range' });
    if (!result.ok) expect(result.detail).toContain('values.pressure = -0.01');
  });

  it('cuts a long unknown key short in the detail', () => {
    const result = validateDevicePayload(type('smoke'), telemetry({ ['x'.repeat(500)]: 1 }), KEY);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.detail.length).toBeLessThan(200);
  });
});

describe('validateDevicePayload: events', () => {
  it('accepts every event type the catalogue lists for each device type', () => {
    for (const spec of DEVICE_TYPES) {
      for (const e of spec.events) {
        expect({ type: spec.code, event: e.type, ok: validateDevicePayload(spec, event(e.type), KEY).ok }).toEqual({ type: spec.code, event: e.type, ok: true });
      }
    }
  });

  it('accepts the shared device.fault from every type and battery.low from battery-powered types only', () => {
    // door_contact does not list device.fault; elevator is mains-powered and does not list battery.low.
    expect(validateDevicePayload(type('door_contact'), event('device.fault'), KEY).ok).toBe(true);
    expect(validateDevicePayload(type('parking_barrier'), event('device.fault'), KEY).ok).toBe(true);
    expect(validateDevicePayload(type('elevator'), event('battery.low'), KEY)).toMatchObject({ ok: false, reason: 'unknown_event_type' });
    expect(acceptedEventTypes(type('door_contact')).map((e) => e.type)).toContain('device.fault');
  });

  it('rejects an event type of another device type as unknown_event_type', () => {
    const result = validateDevicePayload(type('smoke'), event('gas.alarm'), KEY);
    expect(result).toMatchObject({ ok: false, reason: 'unknown_event_type' });
    if (!result.ok) expect(result.detail).toContain('gas.alarm');
  });

  it('replaces data.subject of an access event by its keyed hash under the purpose access-subject', () => {
    const result = validateDevicePayload(type('access_controller'), event('access.granted', { subject: '3402119876', method: 'card', door: 'east gate' }), KEY);
    expect(result).toEqual({
      ok: true,
      payload: {
        channel: 'event',
        msgId: 'm-2',
        ts: TS,
        type: 'access.granted',
        data: { subject: pseudonymise(KEY, '3402119876', 'access-subject'), method: 'card', door: 'east gate' },
      },
    });
  });

  it('never lets the raw subject into the normalised payload, whatever its form or depth', () => {
    const raw = 'CARD-7788990011';
    const payloads = [
      event('access.denied', { subject: raw }),
      event('door.forced', { subject: raw, person: { cardNo: raw, name: 'Zhang San' } }),
      event('access.granted', { records: [{ card_no: raw }, { faceId: raw, faceImage: 'data:image/jpeg;base64,AAAA' }] }),
      event('access.granted', { Subject: raw, phone: '13800138000', idNumber: '340102199001011234' }),
    ];
    for (const payload of payloads) {
      const result = validateDevicePayload(type('access_controller'), payload, KEY);
      expect(result.ok).toBe(true);
      const stored = JSON.stringify(result.ok ? result.payload : null);
      for (const secret of [raw, 'Zhang San', '13800138000', '340102199001011234', 'base64']) expect(stored).not.toContain(secret);
    }
  });

  it('gives the same card the same pseudonym across events, and a different one under another key', () => {
    const a = validateDevicePayload(type('access_controller'), event('access.granted', { subject: '42' }), KEY);
    const b = validateDevicePayload(type('access_controller'), event('access.denied', { subject: 42 }), KEY);
    const c = validateDevicePayload(type('access_controller'), event('access.granted', { subject: '42' }), `${KEY}-other`);
    const subject = (r: typeof a) => (r.ok ? r.payload.data.subject : undefined);
    expect(subject(a)).toBe(subject(b));
    expect(subject(a)).not.toBe(subject(c));
  });

  it('drops an empty subject instead of hashing it, so unrelated empty subjects do not link', () => {
    const result = validateDevicePayload(type('access_controller'), event('access.granted', { subject: '  ', method: 'button' }), KEY);
    expect(result).toMatchObject({ ok: true, payload: { data: { method: 'button' } } });
  });

  it('does not modify the payload it was given', () => {
    const input = event('access.granted', { subject: '1234' });
    validateDevicePayload(type('access_controller'), input, KEY);
    expect(input.data.subject).toBe('1234');
  });
});

describe('validateDevicePayload: heartbeats', () => {
  it('keeps the heartbeat fields that were sent and nothing else', () => {
    const beat: HeartbeatPayload = { channel: 'heartbeat', ts: TS, battery: 87, rssi: undefined, fw: '1.2.3' };
    expect(validateDevicePayload(type('smoke'), beat, KEY)).toEqual({ ok: true, payload: { channel: 'heartbeat', ts: TS, battery: 87, fw: '1.2.3' } });
  });
});

describe('redactForLog', () => {
  it('names the keys of event data but none of its values', () => {
    const result = validateDevicePayload(type('access_controller'), event('access.granted', { subject: '3402119876', method: 'card' }), KEY);
    if (!result.ok) throw new Error(result.detail);
    const line = JSON.stringify(redactForLog(result.payload));
    expect(line).toContain('subject');
    expect(line).not.toContain(String(result.payload.data.subject));
    expect(line).not.toContain('card"');
    expect(line).not.toContain('3402119876');
  });
});
