import { randomBytes } from 'node:crypto';
import { connectAsync, MqttClient } from 'mqtt';
import { parseOptions, SimulatorOptions } from '../../scripts/simulator/options';
import { simulate } from '../../scripts/simulate';

/** The local test Mosquitto lets anonymous clients in: the simulator's --no-auth mode. */
const BROKER = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('simulator publishing to a broker', () => {
  const prefix = `simpub${randomBytes(3).toString('hex')}`;
  let subscriber: MqttClient;
  const received: { topic: string; payload: string; retain: boolean }[] = [];
  const statusTopics = new Set<string>();

  const options = (extra: string[]): SimulatorOptions => {
    const parsed = parseOptions(['--no-auth', '--mqtt', BROKER, '--prefix', prefix, '--devices', '20', '--seed', '1', ...extra], {});
    if (parsed === 'help') throw new Error('unexpected --help');
    return parsed;
  };

  beforeAll(async () => {
    subscriber = await connectAsync(BROKER, { clientId: `${prefix}-watcher` });
    subscriber.on('message', (topic, payload, packet) => {
      if (!topic.includes(`/${prefix}-`)) return;
      received.push({ topic, payload: payload.toString(), retain: packet.retain });
      if (topic.endsWith('/status')) statusTopics.add(topic);
    });
    await subscriber.subscribeAsync('sc/v1/#', { qos: 1 });
  });
  afterAll(async () => {
    // Retained statuses would outlive the test on the shared broker: clear them.
    for (const topic of statusTopics) await subscriber.publishAsync(topic, '', { qos: 1, retain: true });
    await subscriber.endAsync();
  });

  it('connects every device, publishes at the asked rate, gets every message acknowledged and stops by itself', async () => {
    const lines: string[] = [];
    const { stats } = await simulate(options(['--rate', '50', '--duration', '2']), new AbortController().signal, (line) => lines.push(line));
    expect(stats).toBeDefined();
    if (!stats) return;
    expect(stats.connected).toBe(20);
    expect(stats.sent).toBeGreaterThanOrEqual(90);
    expect(stats.sent).toBeLessThanOrEqual(100);
    expect(stats.acked).toBe(stats.sent);
    expect(stats.failed).toBe(0);
    expect(lines.filter((l) => /^\[\s*\d+ s\]\s+sent \d+\s+acked \d+\s+rate [\d.]+\/s\s+in-flight \d+/.test(l)).length).toBeGreaterThanOrEqual(2);
    expect(lines).toContain('summary:');

    const data = () => received.filter((m) => !m.topic.endsWith('/status'));
    await waitFor(() => data().length >= stats.sent, 10_000);
    expect(data()).toHaveLength(stats.sent);
    // Each device said online when it connected and offline when it left, both retained.
    await waitFor(() => received.filter((m) => m.topic.endsWith('/status')).length >= 40, 10_000);
    const statuses = received.filter((m) => m.topic.endsWith('/status') && m.payload !== '');
    expect(new Set(statuses.filter((m) => m.payload === 'online').map((m) => m.topic)).size).toBe(20);
    expect(new Set(statuses.filter((m) => m.payload === 'offline').map((m) => m.topic)).size).toBe(20);
  });

  it('stops early and cleanly when interrupted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const { stats } = await simulate(options(['--rate', '20', '--duration', '600']), controller.signal, (line) => {
      if (line.startsWith('[')) controller.abort();
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(stats?.sent).toBeGreaterThan(0);
    expect(stats?.inFlight()).toBe(0);
  });
});
