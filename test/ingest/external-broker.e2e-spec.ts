import { connectAsync, MqttClient } from 'mqtt';
import { CHANNELS, deviceTopic, MQTT_INGEST_STATUS, MqttIngestStatus } from '@sc/messaging';
import { createTestDatabase, OrgChain, TestDatabase } from '@sc/testing';
import { INGEST_SERVICE_USER, MqttUser, PrivateMosquitto, TEST_PUBLISHER_USER } from '@sc/testing/mosquitto';
import { waitFor } from '@sc/testing/wait';
import { IngestStats } from '@sc/core/telemetry/ingest-stats';
import { createIngestTestApp, IngestTestApp, ProvisionedDevice } from '../support/ingest-test-app';
import { rejections, storedEvents } from './ingest-rows';

/**
 * The external-broker source against a private Mosquitto run with the project's config: the
 * shared subscription, persistent sessions, and PUBACK only after commit.
 */
describe('the external broker source', () => {
  let broker: PrivateMosquitto;
  let db: TestDatabase;
  let publisher: MqttClient;
  const instanceId = `ext-${process.pid}`;

  const startIngest = (connections: number) =>
    createIngestTestApp({
      db,
      env: {
        MQTT_URL: broker.url,
        MQTT_USERNAME: INGEST_SERVICE_USER.username,
        MQTT_PASSWORD: INGEST_SERVICE_USER.password,
        INGEST_CONNECTIONS: String(connections),
        INGEST_INSTANCE_ID: instanceId,
      },
    });

  beforeAll(async () => {
    broker = await PrivateMosquitto.start();
    db = await createTestDatabase();
    publisher = await connectAsync(broker.url, { protocolVersion: 5, clientId: `pub-${process.pid}`, username: TEST_PUBLISHER_USER.username, password: TEST_PUBLISHER_USER.password });
  });
  afterAll(async () => {
    await publisher?.endAsync(true);
    await db?.drop();
    await broker?.stop();
  });

  it('stores what devices publish through the shared subscription exactly once, records bad input, and acknowledges everything it stored', async () => {
    let t: IngestTestApp = await startIngest(4);
    let chain: OrgChain;
    let device: ProvisionedDevice;
    try {
      chain = await t.factories.newOrgChain();
      device = await t.provision(chain, 'gas');
      const topic = deviceTopic(device.siteId, device.code, 'telemetry');
      const bodies = Array.from({ length: 40 }, (_, i) => JSON.stringify({ msgId: `m-${String(i).padStart(3, '0')}`, ts: Date.now(), values: { lel: i % 10, co: 3 } }));
      // Every message twice (a device retrying), plus one it should not have sent.
      await Promise.all([...bodies, ...bodies].map((body) => publisher.publishAsync(topic, body, { qos: 1 })));
      await publisher.publishAsync(topic, 'not json', { qos: 1 });
      const stored = await waitFor('40 stored events', async () => {
        const rows = await storedEvents(t.em(), device.id);
        return rows.length >= 40 ? rows : undefined;
      }, { withinMs: 15_000 });
      expect(stored.map((r) => r.msgId)).toEqual(bodies.map((b) => (JSON.parse(b) as { msgId: string }).msgId));
      await waitFor('the bad message recorded', async () => ((await rejections(t.em(), { deviceCode: device.code })).some((r) => r.reason === 'not_json') ? true : undefined), { withinMs: 10_000 });
      await waitFor('every copy processed', () => {
        const counts = t.module.get(IngestStats).snapshot();
        return counts.stored + counts.duplicates >= 80 ? counts : undefined;
      }, { withinMs: 10_000 });
    } finally {
      await t.close();
    }

    // Same instance id and connections: the persistent sessions resume, and whatever had not
    // been acknowledged is redelivered at once, before the next message. Nothing is.
    t = await startIngest(4);
    try {
      const topic = deviceTopic(device.siteId, device.code, 'telemetry');
      await publisher.publishAsync(topic, JSON.stringify({ msgId: 'sentinel', ts: Date.now(), values: { lel: 0 } }), { qos: 1 });
      await waitFor('the sentinel stored', async () => ((await storedEvents(t.em(), device.id)).some((r) => r.msgId === 'sentinel') ? true : undefined), { withinMs: 15_000 });
      const counts = t.module.get(IngestStats).snapshot();
      expect({ stored: counts.stored, duplicates: counts.duplicates }).toEqual({ stored: 1, duplicates: 0 });
      expect(await storedEvents(t.em(), device.id)).toHaveLength(41);
    } finally {
      await t.close();
    }
  });

  it('goes on receiving after the broker restarts, its shared subscription renewed on every reconnect', async () => {
    const t = await startIngest(4);
    try {
      const device = await t.provision(await t.factories.newOrgChain(), 'gas');
      const topic = deviceTopic(device.siteId, device.code, 'telemetry');
      const body = (msgId: string) => JSON.stringify({ msgId, ts: Date.now(), values: { lel: 1 } });
      await publisher.publishAsync(topic, body('before'), { qos: 1 });
      await waitFor('the message before the restart', async () => ((await storedEvents(t.em(), device.id)).length === 1 ? true : undefined), { withinMs: 10_000 });

      const intake = t.module.get<MqttIngestStatus>(MQTT_INGEST_STATUS);
      expect(() => intake.check()).not.toThrow();
      await broker.halt();
      try {
        // What /health of an all-in-one reports as the broker being down, once every connection noticed.
        await waitFor('the intake to report the broker gone on both lanes', () => {
          try {
            intake.check();
            return undefined;
          } catch (error) {
            return (error as Error).message.startsWith('no event or routine connection to the broker') ? true : undefined;
          }
        }, { withinMs: 10_000 });
      } finally {
        await broker.resume();
      }
      // Mosquitto 2.0 restores the persistent session's shared subscription without delivering
      // to it: only the ingest's own SUBSCRIBE after reconnecting brings delivery back.
      let probe = 0;
      await waitFor(
        'delivery to resume after the restart',
        async () => {
          await publisher.publishAsync(topic, body(`probe-${++probe}`), { qos: 1 });
          return (await storedEvents(t.em(), device.id)).some((r) => r.msgId.startsWith('probe-')) ? true : undefined;
        },
        { withinMs: 20_000, everyMs: 300 },
      );
      const after = Array.from({ length: 20 }, (_, i) => `after-${String(i).padStart(2, '0')}`);
      await Promise.all(after.map((msgId) => publisher.publishAsync(topic, body(msgId), { qos: 1 })));
      const stored = await waitFor('every message after the restart', async () => {
        const ids = (await storedEvents(t.em(), device.id)).map((r) => r.msgId).filter((id) => id.startsWith('after-'));
        return ids.length >= 20 ? ids : undefined;
      }, { withinMs: 15_000 });
      expect(stored).toEqual(after);
      await waitFor('the intake to report the broker back', () => {
        try {
          intake.check();
          return true;
        } catch {
          return undefined;
        }
      }, { withinMs: 10_000 });
    } finally {
      await t.close();
    }
  });
  it('lets a device publish on the contract\'s channels under its own id only: other channels and other ids are refused by the broker (the project\'s ACL)', async () => {
    const device: MqttUser = { username: `acl-dev-${process.pid}`, password: 'device-password-for-tests' };
    const aclBroker = await PrivateMosquitto.start({ users: [INGEST_SERVICE_USER, device], extraAcl: [] });
    const client = await connectAsync(aclBroker.url, { protocolVersion: 5, clientId: device.username, username: device.username, password: device.password });
    try {
      const outcome = (topic: string) =>
        client.publishAsync(topic, '{}', { qos: 1 }).then(
          () => 'accepted',
          (error: unknown) => `refused: ${error instanceof Error ? error.message : String(error)}`,
        );
      for (const channel of CHANNELS) expect([channel, await outcome(deviceTopic('site-1', device.username, channel))]).toEqual([channel, 'accepted']);
      for (const topic of [`sc/v1/site-1/${device.username}/telemetry2`, `sc/v1/site-1/${device.username}/event/x`, deviceTopic('site-1', 'someone-else', 'event')]) {
        expect([topic, await outcome(topic)]).toEqual([topic, expect.stringMatching(/^refused: .*(not authori[sz]ed|135)/i)]);
      }
    } finally {
      await client.endAsync(true);
      await aclBroker.stop();
    }
  });

  it('stores text exactly as sent: quotes, backslashes, question marks in the msgId and the payload, Chinese and emoji in the payload, times to the millisecond', async () => {
    const t = await startIngest(2);
    try {
      const device = await t.provision(await t.factories.newOrgChain(), 'gas');
      const topic = deviceTopic(device.siteId, device.code, 'event');
      const ts = new Date(Date.now() - 1234);
      const msgId = `q"u\\o?te$1{a,b}`;
      const data = { note: 'a "quoted" \\ back?slash, 烟感 🔥', nested: { list: [1, 2.5, null, 'x?'], empty: {} } };
      const body = JSON.stringify({ msgId, ts: ts.toISOString(), type: 'gas.valve_closed', data });
      // Sent again until stored (a device retrying): the broker restarted by the test before may still be
      // restoring the shared subscription; the (device, msgId) key keeps the copies one row.
      const rows = await waitFor('the event stored', async () => {
        await publisher.publishAsync(topic, body, { qos: 1 });
        const stored = await storedEvents(t.em(), device.id);
        return stored.length > 0 ? stored : undefined;
      }, { withinMs: 20_000, everyMs: 500 });
      expect(rows).toEqual([{ msgId, channel: 'event', type: 'gas.valve_closed', ts, payload: data }]);
    } finally {
      await t.close();
    }
  });
});
