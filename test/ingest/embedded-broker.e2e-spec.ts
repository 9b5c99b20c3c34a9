import { deviceTopic } from '@sc/messaging';
import { OrgChain } from '@sc/testing';
import { IngestStats } from '@sc/core/telemetry/ingest-stats';
import { createIngestTestApp, IngestTestApp, ProvisionedDevice, publishRefused } from '../support/ingest-test-app';
import { presenceOf, rejections, storedEvents } from './ingest-rows';

describe('the embedded broker', () => {
  let t: IngestTestApp;
  let chain: OrgChain;
  let smoke: ProvisionedDevice;

  beforeAll(async () => {
    t = await createIngestTestApp();
    chain = await t.factories.newOrgChain();
    smoke = await t.provision(chain, 'smoke');
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores a device\'s telemetry and event once, even when each is published twice with the same msgId, and acknowledges only after storing', async () => {
    const client = await t.connectDevice(smoke);
    const telemetry = JSON.stringify({ msgId: 'tel-1', ts: Date.now(), values: { obscuration: 0.12, battery: 87 } });
    const event = JSON.stringify({ msgId: 'evt-1', ts: new Date().toISOString(), type: 'smoke.alarm', data: { zone: 'kitchen' } });
    for (let i = 0; i < 2; i += 1) {
      await client.publishAsync(deviceTopic(smoke.siteId, smoke.code, 'telemetry'), telemetry, { qos: 1 });
      await client.publishAsync(deviceTopic(smoke.siteId, smoke.code, 'event'), event, { qos: 1 });
      // The PUBACK came back: the rows are committed already, no polling needed.
      const rows = await storedEvents(t.em(), smoke.id);
      expect(rows.map((r) => [r.msgId, r.channel, r.type])).toEqual([
        ['evt-1', 'event', 'smoke.alarm'],
        ['tel-1', 'telemetry', null],
      ]);
    }
    const rows = await storedEvents(t.em(), smoke.id);
    expect(rows.find((r) => r.msgId === 'tel-1')?.payload).toEqual({ obscuration: 0.12, battery: 87 });
    expect(rows.find((r) => r.msgId === 'evt-1')?.payload).toEqual({ zone: 'kitchen' });
    const counts = t.module.get(IngestStats).snapshot();
    expect(counts.stored).toBeGreaterThanOrEqual(2);
    expect(counts.duplicates).toBeGreaterThanOrEqual(2);
    expect((await presenceOf(t.em(), smoke.id)).online).toBe(true);
    await client.endAsync();
  });

  it('refuses a wrong password at CONNECT, and an unknown device id', async () => {
    await expect(t.connectDevice({ code: smoke.code, secret: 'scd_not-the-secret' })).rejects.toThrow(/Bad username or password|Not authorized|bad user/i);
    await expect(t.connectDevice({ code: 'no-such-device-1', secret: smoke.secret })).rejects.toThrow(/Bad username or password|Not authorized|bad user/i);
  });

  it('refuses and records a publish under another device\'s topic or another site, and keeps the real owner\'s data clean', async () => {
    const other = await t.provision(chain, 'smoke');
    const otherChain = await t.factories.newOrgChain(chain.city);
    const body = JSON.stringify({ msgId: 'spoof-1', ts: Date.now(), values: { obscuration: 1 } });
    // A refused publish gets no PUBACK: the broker closes the connection.
    await publishRefused(await t.connectDevice(smoke), deviceTopic(other.siteId, other.code, 'telemetry'), body);
    await publishRefused(await t.connectDevice(smoke), deviceTopic(otherChain.community.code, smoke.code, 'telemetry'), body);

    const recorded = await rejections(t.em(), { deviceCode: smoke.code });
    expect(recorded.map((r) => [r.reason, r.topic])).toEqual(
      expect.arrayContaining([
        ['topic_mismatch', deviceTopic(other.siteId, other.code, 'telemetry')],
        ['topic_mismatch', deviceTopic(otherChain.community.code, smoke.code, 'telemetry')],
      ]),
    );
    expect(recorded.every((r) => r.device?.id === smoke.id)).toBe(true);
    expect(await storedEvents(t.em(), other.id)).toEqual([]);
    expect(t.module.get(IngestStats).snapshot().rejected.topic_mismatch).toBeGreaterThanOrEqual(2);
  });

  it('lets a device keep its connection after a bad payload on its own topic, and stores its next good message', async () => {
    const client = await t.connectDevice(smoke);
    await client.publishAsync(deviceTopic(smoke.siteId, smoke.code, 'telemetry'), '{not json', { qos: 1 });
    await client.publishAsync(deviceTopic(smoke.siteId, smoke.code, 'telemetry'), JSON.stringify({ msgId: 'after-bad', ts: Date.now(), values: { temperature: 21 } }), { qos: 1 });
    expect(client.connected).toBe(true);
    expect((await storedEvents(t.em(), smoke.id)).map((r) => r.msgId)).toContain('after-bad');
    expect((await rejections(t.em(), { deviceCode: smoke.code })).map((r) => r.reason)).toContain('not_json');
    await client.endAsync();
  });

  it('does not let a device subscribe', async () => {
    const client = await t.connectDevice(smoke);
    const granted = await client.subscribeAsync('sc/v1/#', { qos: 1 }).catch((error: unknown) => error);
    // Aedes closes the connection on a refused subscription.
    const refused = granted instanceof Error || (Array.isArray(granted) && granted.every((g) => g.qos >= 128));
    expect(refused || !client.connected).toBe(true);
    await client.endAsync(true);
  });
});
