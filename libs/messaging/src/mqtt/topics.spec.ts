import { CHANNELS, DEVICE_TOPIC_FILTER, deviceTopic, INGEST_LANE_FILTERS, INGEST_LEGACY_FILTER, ingestLaneOf, LANE_CHANNELS, parseDeviceTopic } from './topics';

describe('device topics', () => {
  it('builds sc/v1/{siteId}/{deviceId}/{channel} and parses it back for every channel', () => {
    for (const channel of CHANNELS) {
      const topic = deviceTopic('HN-TJA-DS-JL', 'jl-smoke-0001', channel);
      expect(topic).toBe(`sc/v1/HN-TJA-DS-JL/jl-smoke-0001/${channel}`);
      expect(parseDeviceTopic(topic)).toEqual({ ok: true, topic: { siteId: 'HN-TJA-DS-JL', deviceId: 'jl-smoke-0001', channel } });
    }
  });

  it('refuses to build a topic from an id holding a separator or a wildcard', () => {
    for (const bad of ['a/b', '+', '#', '', 'has space', 'x'.repeat(65)]) {
      expect(() => deviceTopic(bad, 'dev-1', 'telemetry')).toThrow(RangeError);
      expect(() => deviceTopic('site', bad, 'event')).toThrow(RangeError);
    }
  });

  it('rejects topics outside the contract as bad_topic with a reason a device developer can act on', () => {
    const cases: [string, string][] = [
      ['sc/v2/site/dev/telemetry', 'sc/v1/{siteId}/{deviceId}/{channel}'],
      ['sc/v1/site/dev', 'sc/v1/{siteId}/{deviceId}/{channel}'],
      ['sc/v1/site/dev/telemetry/extra', 'sc/v1/{siteId}/{deviceId}/{channel}'],
      ['/sc/v1/site/dev/telemetry', 'sc/v1/{siteId}/{deviceId}/{channel}'],
      ['sc/v1/si te/dev/telemetry', 'invalid site id'],
      ['sc/v1/site//telemetry', 'invalid device id'],
      ['sc/v1/site/dev/alarm', 'unknown channel "alarm"'],
    ];
    for (const [topic, detail] of cases) {
      const result = parseDeviceTopic(topic);
      expect({ topic, ok: result.ok }).toEqual({ topic, ok: false });
      if (!result.ok) {
        expect(result.reason).toBe('bad_topic');
        expect(result.detail).toContain(detail);
      }
    }
  });

  it('cuts a long channel name short in the rejection detail', () => {
    const result = parseDeviceTopic(`sc/v1/site/dev/${'c'.repeat(5000)}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.detail.length).toBeLessThan(120);
  });

  it('subscribes ingest instances to every channel, events through a share group of their own', () => {
    expect(DEVICE_TOPIC_FILTER).toBe('sc/v1/+/+/+');
    expect(INGEST_LANE_FILTERS).toEqual({
      event: ['$share/sc-ingest-event/sc/v1/+/+/event'],
      routine: ['$share/sc-ingest/sc/v1/+/+/telemetry', '$share/sc-ingest/sc/v1/+/+/heartbeat', '$share/sc-ingest/sc/v1/+/+/status'],
    });
    expect([...LANE_CHANNELS.event, ...LANE_CHANNELS.routine].sort()).toEqual([...CHANNELS].sort());
    expect(INGEST_LEGACY_FILTER).toBe('$share/sc-ingest/sc/v1/+/+/+');
  });

  it('puts device events in the event lane and everything else in the routine lane', () => {
    expect(CHANNELS.map((channel) => ingestLaneOf(deviceTopic('site', 'dev', channel)))).toEqual(CHANNELS.map((channel) => (channel === 'event' ? 'event' : 'routine')));
    expect(ingestLaneOf('sc/v1/site/dev/telemetry2')).toBe('routine');
  });
});
