import { DEFAULT_TIME_WINDOW, MAX_PAYLOAD_BYTES, parsePayload, PayloadParseResult } from './payloads';
import { Channel, DeviceTopic } from './topics';

const NOW = Date.parse('2025-03-01T08:00:00.000Z');
const topic = (channel: Channel): DeviceTopic => ({ siteId: 'HN-TJA-DS-JL', deviceId: 'jl-smoke-0001', channel });
const parse = (channel: Channel, body: unknown): PayloadParseResult =>
  parsePayload(topic(channel), Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), NOW);

function rejection(result: PayloadParseResult): { reason: string; detail: string } {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.payload)}`);
  return { reason: result.reason, detail: result.detail };
}

describe('parsePayload: accepted payloads', () => {
  it('parses telemetry with an epoch-milliseconds timestamp', () => {
    expect(parse('telemetry', { msgId: 'a1', ts: NOW - 1000, values: { obscuration: 0.02, battery: 87 } })).toEqual({
      ok: true,
      payload: { channel: 'telemetry', msgId: 'a1', ts: new Date(NOW - 1000), values: { obscuration: 0.02, battery: 87 } },
    });
  });

  it('accepts ISO-8601 timestamps in UTC and with an offset, with or without fractions', () => {
    for (const ts of ['2025-03-01T07:59:00Z', '2025-03-01T15:59:00+08:00', '2025-03-01T15:59:00.250+0800', '2025-03-01T07:59:00.123456Z']) {
      const result = parse('event', { msgId: 'e1', ts, type: 'smoke.alarm' });
      expect({ ts, ok: result.ok }).toEqual({ ts, ok: true });
      if (result.ok && result.payload.channel === 'event') expect(Math.abs(result.payload.ts.getTime() - (NOW - 60_000))).toBeLessThan(1000);
    }
  });

  it('gives an event without data an empty data object', () => {
    expect(parse('event', { msgId: 'e1', ts: NOW, type: 'smoke.test' })).toMatchObject({ ok: true, payload: { data: {} } });
  });

  it('parses a heartbeat without msgId, and its optional battery, rssi and firmware', () => {
    expect(parse('heartbeat', { ts: NOW, battery: 64, rssi: -97, fw: '2.1.0-rc.1' })).toEqual({
      ok: true,
      payload: { channel: 'heartbeat', ts: new Date(NOW), battery: 64, rssi: -97, fw: '2.1.0-rc.1' },
    });
  });

  it('reads the retained status online and offline', () => {
    expect(parse('status', 'online')).toEqual({ ok: true, payload: { channel: 'status', online: true } });
    expect(parse('status', 'offline')).toEqual({ ok: true, payload: { channel: 'status', online: false } });
  });

  it('accepts a payload of exactly the size limit and a UTF-8 byte-order mark', () => {
    const base = JSON.stringify({ msgId: 'big', ts: NOW, type: 'smoke.test', data: { note: '' } });
    const padded = base.replace('"note":""', `"note":"${'x'.repeat(MAX_PAYLOAD_BYTES - base.length)}"`);
    expect(Buffer.byteLength(padded)).toBe(MAX_PAYLOAD_BYTES);
    expect(parse('event', padded).ok).toBe(true);
    expect(parse('event', `\ufeff${JSON.stringify({ msgId: 'b', ts: NOW, type: 'smoke.test' })}`).ok).toBe(true);
  });
});

describe('parsePayload: every channel-level rejection reason', () => {
  it('payload_too_large: one byte over 16 KiB', () => {
    const raw = Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20);
    expect(rejection(parsePayload(topic('telemetry'), raw, NOW)).reason).toBe('payload_too_large');
  });

  it('not_utf8: invalid byte sequences are refused, not replaced', () => {
    const raw = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    expect(rejection(parsePayload(topic('event'), raw, NOW)).reason).toBe('not_utf8');
  });

  it('not_json: text that is not JSON', () => {
    expect(rejection(parse('telemetry', 'ppm=12.5')).reason).toBe('not_json');
    expect(rejection(parse('event', '{"msgId": "a", ')).reason).toBe('not_json');
  });

  it('bad_envelope: not an object, wrong member types, or an unknown status word', () => {
    const cases: [Channel, unknown][] = [
      ['telemetry', [1, 2, 3]],
      ['telemetry', '"a string"'],
      ['telemetry', { msgId: 'a', ts: NOW }],
      ['telemetry', { msgId: 'a', ts: NOW, values: {} }],
      ['telemetry', { msgId: 'a', ts: NOW, values: { ppm: '12' } }],
      ['event', { msgId: 'a', ts: NOW }],
      ['event', { msgId: 'a', ts: NOW, type: '' }],
      ['event', { msgId: 'a', ts: NOW, type: 'smoke.alarm', data: 'fire' }],
      ['heartbeat', { ts: NOW, fw: 'version one point two' }],
      ['status', 'ONLINE please'],
      ['status', ''],
    ];
    for (const [channel, body] of cases) {
      expect({ channel, body, reason: rejection(parse(channel, body)).reason }).toEqual({ channel, body, reason: 'bad_envelope' });
    }
  });

  it('missing_msg_id: telemetry and events need a printable msgId of at most 128 characters', () => {
    for (const msgId of [undefined, '', 42, 'has space', 'x'.repeat(129)]) {
      expect(rejection(parse('telemetry', { msgId, ts: NOW, values: { battery: 1 } })).reason).toBe('missing_msg_id');
      expect(rejection(parse('event', { msgId, ts: NOW, type: 'smoke.alarm' })).reason).toBe('missing_msg_id');
    }
  });

  it('bad_timestamp: missing, text that is not ISO-8601 with a zone, or not a time at all', () => {
    for (const ts of [undefined, null, '1700000000000', '2025-03-01 08:00:00', '2025-03-01T08:00:00', '2025-13-01T08:00:00Z', 0, -5, true]) {
      expect({ ts, reason: rejection(parse('telemetry', { msgId: 'a', ts, values: { battery: 1 } })).reason }).toEqual({ ts, reason: 'bad_timestamp' });
    }
  });

  it('timestamp_in_future: more than the window ahead of the server clock, but not at its edge', () => {
    const edge = NOW + DEFAULT_TIME_WINDOW.maxFutureMs;
    expect(parse('event', { msgId: 'a', ts: edge, type: 'smoke.alarm' }).ok).toBe(true);
    expect(rejection(parse('event', { msgId: 'a', ts: edge + 1, type: 'smoke.alarm' })).reason).toBe('timestamp_in_future');
  });

  it('timestamp_too_old: older than the window, with a hint when the value looks like epoch seconds', () => {
    const edge = NOW - DEFAULT_TIME_WINDOW.maxAgeMs;
    expect(parse('heartbeat', { ts: edge }).ok).toBe(true);
    expect(rejection(parse('heartbeat', { ts: edge - 1 })).reason).toBe('timestamp_too_old');
    const seconds = rejection(parse('telemetry', { msgId: 'a', ts: Math.floor(NOW / 1000), values: { battery: 1 } }));
    expect(seconds.reason).toBe('timestamp_too_old');
    expect(seconds.detail).toContain('epoch seconds');
  });

  it('value_out_of_range: heartbeat battery above 100 or rssi above 0 dBm', () => {
    expect(rejection(parse('heartbeat', { ts: NOW, battery: 101 })).reason).toBe('value_out_of_range');
    expect(rejection(parse('heartbeat', { ts: NOW, rssi: 5 })).reason).toBe('value_out_of_range');
  });

  it('uses a custom time window when one is given', () => {
    const strict = { maxFutureMs: 1000, maxAgeMs: 60_000 };
    const raw = Buffer.from(JSON.stringify({ ts: NOW - 120_000 }));
    expect(rejection(parsePayload(topic('heartbeat'), raw, NOW, strict)).reason).toBe('timestamp_too_old');
  });
});
