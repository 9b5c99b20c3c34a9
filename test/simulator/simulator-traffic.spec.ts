import { DEVICE_CODE_PATTERN } from '@sc/core/devices/device-fields';
import { DEVICE_TYPE_CODES, getDeviceType } from '@sc/core/devices/device-types.catalogue';
import { validateDevicePayload } from '@sc/core/devices/payload-validation';
import { parsePayload } from '@sc/messaging/mqtt/payloads';
import { parseDeviceTopic } from '@sc/messaging/mqtt/topics';
import { apportion, pilotCommunities, planFleet, readFixture } from '../../scripts/simulator/fleet';
import { Outgoing, Traffic } from '../../scripts/simulator/traffic';
import { seededRandom } from '../../scripts/simulator/values';

const FIXTURE = readFixture(`${__dirname}/../../fixtures/huainan.json`);
const KEY = 'a-test-pseudonym-key-of-at-least-32-characters';

describe('simulator fleet plan', () => {
  const plan = planFleet(FIXTURE, 200, 'sim');

  it('places 200 devices of all fourteen types in the pilot communities, under unique valid codes', () => {
    expect(plan).toHaveLength(200);
    expect(new Set(plan.map((d) => d.type))).toEqual(new Set(DEVICE_TYPE_CODES));
    expect(new Set(plan.map((d) => d.code)).size).toBe(200);
    for (const d of plan) expect(DEVICE_CODE_PATTERN.test(d.code)).toBe(true);
    const pilots = new Set(pilotCommunities(FIXTURE).map((u) => u.code));
    expect(pilots.size).toBe(6);
    for (const d of plan) expect(pilots.has(d.siteId)).toBe(true);
    expect(new Set(plan.map((d) => d.siteId)).size).toBe(6);
  });

  it('puts each device in a compound and building of its own community, or in one of its grids', () => {
    for (const d of plan) {
      if (d.compoundCode) {
        expect(FIXTURE.compounds.find((c) => c.code === d.compoundCode)?.communityCode).toBe(d.communityCode);
      }
      if (d.buildingCode) expect(FIXTURE.buildings.some((b) => b.compoundCode === d.compoundCode && b.code === d.buildingCode)).toBe(true);
      if (d.gridCode) expect(FIXTURE.units.find((u) => u.code === d.gridCode)?.parentCode).toBe(d.communityCode);
      expect(d.compoundCode !== undefined || d.gridCode !== undefined).toBe(true);
    }
  });

  it('puts elevator monitors only in buildings tall enough to have a lift', () => {
    for (const d of plan.filter((p) => p.type === 'elevator')) expect(d.floors).toBeGreaterThanOrEqual(7);
  });

  it('keeps the first devices where they were when the fleet grows, so reruns find them', () => {
    const bigger = new Map(planFleet(FIXTURE, 300, 'sim').map((d) => [d.code, d]));
    for (const d of plan) expect(bigger.get(d.code)).toEqual(d);
  });

  it('apportions any fleet size exactly', () => {
    for (const total of [1, 13, 14, 200, 5000]) expect([...apportion(total).values()].reduce((a, b) => a + b, 0)).toBe(total);
  });
});

describe('simulator traffic', () => {
  const plan = planFleet(FIXTURE, 200, 'sim');
  const start = Date.parse('2025-03-01T08:00:00.000Z');
  const traffic = new Traffic(plan, { heartbeatSeconds: 30, alarmShare: 0.02, accessShare: 0.1 }, seededRandom(7), start);
  const messages: { at: number; message: Outgoing }[] = [];
  // Ten minutes of traffic at 40 messages a second, on a clock the test drives.
  for (let i = 0; i < 24_000; i++) {
    const at = start + i * 25;
    const message = traffic.next(at);
    if (message) messages.push({ at, message });
  }

  it('publishes only what the ingest accepts: topic, envelope and device type', () => {
    for (const { at, message } of messages) {
      const topic = parseDeviceTopic(message.topic);
      if (!topic.ok) throw new Error(`${message.topic}: ${topic.detail}`);
      const parsed = parsePayload(topic.topic, Buffer.from(message.payload), at);
      if (!parsed.ok) throw new Error(`${message.topic} ${message.payload}: ${parsed.reason} ${parsed.detail}`);
      if (parsed.payload.channel === 'status') throw new Error('traffic never sends status');
      const validated = validateDevicePayload(getDeviceType(message.device.type)!, parsed.payload, KEY);
      if (!validated.ok) throw new Error(`${message.topic} ${message.payload}: ${validated.reason} ${validated.detail}`);
    }
  });

  it('never repeats a msgId of a device', () => {
    const seen = new Set<string>();
    for (const { message } of messages) {
      const msgId = (JSON.parse(message.payload) as { msgId?: string }).msgId;
      if (msgId === undefined) continue;
      const key = `${message.device.code}/${msgId}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
  });

  it('is mostly telemetry, with every device beating on the compressed interval', () => {
    const count = (channel: string) => messages.filter((m) => m.message.channel === channel).length;
    expect(count('telemetry')).toBeGreaterThan(messages.length * 0.6);
    // 200 devices every 30 s for 600 s.
    expect(count('heartbeat')).toBeGreaterThanOrEqual(3990);
    const beats = messages.filter((m) => m.message.channel === 'heartbeat' && m.message.device.code === plan[0].code).map((m) => m.at);
    for (let i = 1; i < beats.length; i++) expect(beats[i] - beats[i - 1]).toBe(30_000);
  });

  it('raises alarms, later clears most of them, and carries card numbers on access events', () => {
    const events = messages.filter((m) => m.message.channel === 'event').map((m) => m.message);
    expect(events.filter((e) => e.alarm).length).toBeGreaterThan(50);
    const types = new Set(events.map((e) => e.eventType));
    expect(types.has('access.granted')).toBe(true);
    expect([...types].some((t) => t === 'smoke.clear' || t === 'gas.clear' || t === 'elevator.rescued' || t === 'water.leak_cleared')).toBe(true);
    const access = events.find((e) => e.eventType === 'access.granted');
    expect((JSON.parse(access!.payload) as { data: { subject: string } }).data.subject).toMatch(/^\d{10}$/);
  });

  it('sends ISO-8601 timestamps from some devices and epoch milliseconds from the others', () => {
    const kinds = new Set(messages.map((m) => typeof (JSON.parse(m.message.payload) as { ts: unknown }).ts));
    expect(kinds).toEqual(new Set(['number', 'string']));
  });
});
