import { acceptedEventTypes } from '@sc/core/devices/payload-validation';
import { DEVICE_TYPES, getDeviceType } from '@sc/core/devices/device-types.catalogue';
import { schemaErrors } from '@sc/testing/json-schema-subset';
import { parsePayload } from './payloads';
import { CHANNEL_SCHEMAS, deviceTypeSchemas } from './schemas';
import { Channel } from './topics';

const NOW = Date.parse('2025-03-01T08:00:00.000Z');

/** Bodies on both sides of the envelope rules, all with timestamps inside the window. */
const CASES: [Exclude<Channel, 'status'>, unknown][] = [
  ['telemetry', { msgId: 'a1', ts: NOW, values: { obscuration: 0.02, battery: 87 } }],
  ['telemetry', { msgId: 'a1', ts: '2025-03-01T15:59:00+08:00', values: { ppm: 1 }, extra: 'ignored' }],
  ['telemetry', { msgId: 'a1', ts: NOW, values: {} }],
  ['telemetry', { msgId: 'a1', ts: NOW, values: { ppm: '12' } }],
  ['telemetry', { msgId: 'a b', ts: NOW, values: { ppm: 1 } }],
  ['telemetry', { ts: NOW, values: { ppm: 1 } }],
  ['telemetry', { msgId: 'a1', values: { ppm: 1 } }],
  ['telemetry', { msgId: 'a1', ts: '2025-03-01 08:00', values: { ppm: 1 } }],
  ['telemetry', [1, 2]],
  ['event', { msgId: 'e1', ts: NOW, type: 'smoke.alarm', data: { zone: 2 } }],
  ['event', { msgId: 'e1', ts: NOW, type: 'smoke.alarm' }],
  ['event', { msgId: 'e1', ts: NOW, type: '' }],
  ['event', { msgId: 'e1', ts: NOW, type: 'x'.repeat(65) }],
  ['event', { msgId: 'e1', ts: NOW, type: 'smoke.alarm', data: [1] }],
  ['event', { msgId: 'e1', ts: NOW }],
  ['heartbeat', { ts: NOW }],
  ['heartbeat', { ts: NOW, battery: 100, rssi: -150, fw: '1.2.3' }],
  ['heartbeat', { ts: NOW, battery: 101 }],
  ['heartbeat', { ts: NOW, rssi: 1 }],
  ['heartbeat', { ts: NOW, fw: 'one two' }],
  ['heartbeat', { battery: 50 }],
];

describe('channel JSON Schemas', () => {
  it('agree with the ingest parser on every envelope case: valid for one means valid for the other', () => {
    for (const [channel, body] of CASES) {
      const parsed = parsePayload({ siteId: 's', deviceId: 'd', channel }, Buffer.from(JSON.stringify(body)), NOW).ok;
      const valid = schemaErrors(CHANNEL_SCHEMAS[channel], body).length === 0;
      expect({ channel, body, valid }).toEqual({ channel, body, valid: parsed });
    }
  });

  it('describe the status channel as the bare words online and offline', () => {
    expect(schemaErrors(CHANNEL_SCHEMAS.status, 'online')).toEqual([]);
    expect(schemaErrors(CHANNEL_SCHEMAS.status, 'offline')).toEqual([]);
    expect(schemaErrors(CHANNEL_SCHEMAS.status, 'gone')).not.toEqual([]);
  });

  it('are serialisable JSON with an id and a draft', () => {
    for (const schema of Object.values(CHANNEL_SCHEMAS)) {
      const copy = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
      expect(copy.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(String(copy.$id)).toMatch(/^urn:smart-community:mqtt:v1:/);
    }
  });
});

describe('per-device-type JSON Schemas', () => {
  it('accept every telemetry field of each type at its minimum and maximum, and nothing outside', () => {
    for (const type of DEVICE_TYPES) {
      const schema = deviceTypeSchemas({ ...type, events: acceptedEventTypes(type) }).telemetry;
      for (const field of type.telemetry) {
        const at = (value: number) => schemaErrors(schema, { msgId: 'a', ts: NOW, values: { [field.key]: value } });
        expect({ type: type.code, field: field.key, errors: [...at(field.min), ...at(field.max)] }).toEqual({ type: type.code, field: field.key, errors: [] });
        expect(at(field.max + 1)).not.toEqual([]);
        expect(at(field.min - 1)).not.toEqual([]);
      }
      expect(schemaErrors(schema, { msgId: 'a', ts: NOW, values: { notAField: 1 } })).not.toEqual([]);
    }
  });

  it('accept the type own and shared event types and refuse the others', () => {
    const smoke = getDeviceType('smoke')!;
    const schema = deviceTypeSchemas({ ...smoke, events: acceptedEventTypes(smoke) }).event;
    for (const type of ['smoke.alarm', 'smoke.clear', 'device.fault', 'battery.low']) {
      expect(schemaErrors(schema, { msgId: 'e', ts: NOW, type })).toEqual([]);
    }
    expect(schemaErrors(schema, { msgId: 'e', ts: NOW, type: 'gas.alarm' })).not.toEqual([]);
  });

  it('say which access events carry a subject that is pseudonymised', () => {
    const access = getDeviceType('access_controller')!;
    const schema = deviceTypeSchemas(access).event;
    expect(schema.properties?.data?.description).toContain('access.granted');
    expect(schema.properties?.data?.description).toContain('pseudonymised');
  });
});
