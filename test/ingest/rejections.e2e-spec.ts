import { MqttClient } from 'mqtt';
import { deviceTopic, REJECTION_REASONS, RejectionReason } from '@sc/messaging';
import { OrgChain } from '@sc/testing';
import { waitFor } from '@sc/testing/wait';
import { Device } from '@sc/core/devices/entities/device.entity';
import { DeviceDirectory } from '@sc/core/telemetry/device-directory';
import { IngestStats } from '@sc/core/telemetry/ingest-stats';
import { createIngestTestApp, IngestTestApp, ProvisionedDevice, publishRefused } from '../support/ingest-test-app';
import { rejections, storedEvents } from './ingest-rows';

const SERVICE = { username: 'sc-ingest-test', password: 'service-password-for-tests' };

/** How each reason is provoked: a topic and a payload, sent by the device itself unless `as` says otherwise. */
interface BadMessage {
  topic: (device: ProvisionedDevice) => string;
  payload: string | Buffer;
  /** The broker refuses the publish (closes the connection) instead of acknowledging it. */
  refused?: boolean;
  /** Publish as the service user (which may name any device) instead of the device. */
  asService?: boolean;
}

const now = () => Date.now();
const telemetry = (d: ProvisionedDevice) => deviceTopic(d.siteId, d.code, 'telemetry');
const eventTopic = (d: ProvisionedDevice) => deviceTopic(d.siteId, d.code, 'event');

describe('bad input', () => {
  let t: IngestTestApp;
  let chain: OrgChain;
  let otherChain: OrgChain;
  let good = 0;

  const setEnabled = async (device: ProvisionedDevice, enabled: boolean) => {
    await t.em().nativeUpdate(Device, { id: device.id }, { enabled });
  };

  const cases: Record<RejectionReason, BadMessage> = {
    bad_topic: { topic: (d) => `sc/v1/${d.siteId}/${d.code}/telemetry2`, payload: '{}', refused: true },
    payload_too_large: { topic: telemetry, payload: JSON.stringify({ msgId: 'big', ts: now(), values: { temperature: 1 }, pad: 'x'.repeat(17 * 1024) }) },
    not_utf8: { topic: telemetry, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) },
    not_json: { topic: telemetry, payload: '{"msgId": "x", ' },
    bad_envelope: { topic: telemetry, payload: JSON.stringify({ msgId: 'env', ts: now(), values: { temperature: 'warm' } }) },
    missing_msg_id: { topic: telemetry, payload: JSON.stringify({ ts: now(), values: { temperature: 20 } }) },
    bad_timestamp: { topic: telemetry, payload: JSON.stringify({ msgId: 'bts', ts: 'yesterday', values: { temperature: 20 } }) },
    timestamp_in_future: { topic: telemetry, payload: JSON.stringify({ msgId: 'fut', ts: now() + 3_600_000, values: { temperature: 20 } }) },
    timestamp_too_old: { topic: telemetry, payload: JSON.stringify({ msgId: 'old', ts: now() - 30 * 86_400_000, values: { temperature: 20 } }) },
    unknown_device: { topic: (d) => deviceTopic(d.siteId, 'never-provisioned-1', 'telemetry'), payload: JSON.stringify({ msgId: 'u', ts: now(), values: { temperature: 20 } }), asService: true },
    device_disabled: { topic: telemetry, payload: JSON.stringify({ msgId: 'dis', ts: now(), values: { temperature: 20 } }) },
    topic_mismatch: { topic: (d) => deviceTopic(otherChain.community.code, d.code, 'telemetry'), payload: JSON.stringify({ msgId: 'mm', ts: now(), values: { temperature: 20 } }), refused: true },
    unknown_event_type: { topic: eventTopic, payload: JSON.stringify({ msgId: 'uet', ts: now(), type: 'gas.alarm', data: {} }) },
    unknown_field: { topic: telemetry, payload: JSON.stringify({ msgId: 'uf', ts: now(), values: { ppm: 12.5 } }) },
    value_out_of_range: { topic: telemetry, payload: JSON.stringify({ msgId: 'oor', ts: now(), values: { obscuration: 5 } }) },
  };

  beforeAll(async () => {
    t = await createIngestTestApp({ env: { MQTT_USERNAME: SERVICE.username, MQTT_PASSWORD: SERVICE.password } });
    chain = await t.factories.newOrgChain();
    otherChain = await t.factories.newOrgChain(chain.city);
  });
  afterAll(async () => {
    await t.close();
  });

  it('has a case for every rejection reason', () => {
    expect(Object.keys(cases).sort()).toEqual([...REJECTION_REASONS].sort());
  });

  const goodMessage = () => JSON.stringify({ msgId: `good-${++good}`, ts: now(), values: { temperature: 21.5 } });

  async function connectService(): Promise<MqttClient> {
    return t.connectDevice({ code: SERVICE.username, secret: SERVICE.password }, { clientId: `svc-${good}` });
  }

  for (const reason of REJECTION_REASONS) {
    it(`records and counts ${reason}, and stores the device's good message sent right after it`, async () => {
      const bad = cases[reason];
      const device = await t.provision(chain, 'smoke');
      const before = t.module.get(IngestStats).snapshot().rejected[reason];
      const publisher = bad.asService ? await connectService() : await t.connectDevice(device);

      if (reason === 'device_disabled') {
        // Known and cached as enabled first; then disabled while connected.
        await publisher.publishAsync(telemetry(device), goodMessage(), { qos: 1 });
        await setEnabled(device, false);
        // The registry cache holds a device for a few seconds: a disabled one is refused within them.
        await waitFor(
          'the disabled device to be refused',
          async () => {
            await publisher.publishAsync(bad.topic(device), bad.payload, { qos: 1 });
            return (await rejections(t.em(), { deviceCode: device.code })).some((r) => r.reason === 'device_disabled') || undefined;
          },
          { withinMs: 15_000, everyMs: 500 },
        );
        await setEnabled(device, true);
        t.module.get(DeviceDirectory).clear();
      } else if (bad.refused) {
        await publishRefused(publisher, bad.topic(device), bad.payload);
      } else {
        // Not awaited: the good message goes right behind the bad one, into the same batch or the next.
        const first = publisher.publishAsync(bad.topic(device), bad.payload, { qos: 1 });
        const second = publisher.publishAsync(telemetry(device), goodMessage(), { qos: 1 });
        await Promise.all([first, second]);
      }

      const recorded = await rejections(t.em());
      const row = recorded.find((r) => r.reason === reason && r.topic === bad.topic(device));
      expect(row).toBeDefined();
      expect(row?.detail.length).toBeGreaterThan(0);
      expect(t.module.get(IngestStats).snapshot().rejected[reason]).toBeGreaterThan(before);

      // The device still gets through at once with a good message (on a fresh connection if it was cut off).
      const sender = publisher.connected ? publisher : await t.connectDevice(device);
      const message = goodMessage();
      await sender.publishAsync(telemetry(device), message, { qos: 1 });
      expect((await storedEvents(t.em(), device.id)).map((r) => r.msgId)).toContain(JSON.parse(message).msgId);
      await sender.endAsync(true);
      if (publisher !== sender) await publisher.endAsync(true).catch(() => undefined);
    });
  }
});
