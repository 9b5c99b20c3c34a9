import { MqttClient } from 'mqtt';
import { deviceTopic } from '@sc/messaging';
import { waitFor } from '@sc/testing/wait';
import { DeviceEventHandler, StoredDeviceEvent } from '@sc/core/devices/device-event-hook';
import { DeviceEventHooks } from '@sc/core/devices/device-event-hooks';
import { IngestPipeline } from '@sc/core/telemetry/ingest-pipeline';
import { OrgChain, testDriver } from '@sc/testing';
import { createIngestTestApp, IngestTestApp, ProvisionedDevice } from '../support/ingest-test-app';

/**
 * A rule hook that records the msgIds of each batch it is handed, in order, and holds a batch
 * open (inside its transaction) while it carries a message the test holds.
 */
class BatchGate implements DeviceEventHandler {
  readonly batches: string[][] = [];
  private readonly holds = new Map<string, { promise: Promise<void>; release: () => void }>();

  hold(msgId: string): void {
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.holds.set(msgId, { promise, release });
  }

  release(msgId: string): void {
    this.holds.get(msgId)?.release();
    this.holds.delete(msgId);
  }

  releaseAll(): void {
    [...this.holds.keys()].forEach((msgId) => this.release(msgId));
  }

  async onEvents(events: readonly StoredDeviceEvent[]): Promise<void> {
    this.batches.push(events.map((e) => e.msgId));
    for (const event of events) await this.holds.get(event.msgId)?.promise;
  }

  async onPresence(): Promise<void> {}
}

/** Events before telemetry in the ingest pipeline, over the embedded broker, on the driver under test. */
describe('events first', () => {
  let t: IngestTestApp;
  let chain: OrgChain;
  const gate = new BatchGate();
  let unregister: () => void;

  beforeAll(async () => {
    // One message a batch, so the order of the batches is the order the pipeline takes messages in.
    t = await createIngestTestApp({ env: { INGEST_BATCH_MAX: '1' } });
    chain = await t.factories.newOrgChain();
    unregister = t.module.get(DeviceEventHooks).register(gate);
  });
  afterAll(async () => {
    gate.releaseAll();
    unregister();
    await t.close();
  });

  it('writes an alarm in the next batch that starts, ahead of the telemetry queued before it', async () => {
    const pipeline = t.module.get(IngestPipeline);
    // One device per message: a client's next message is read only after its previous one is acknowledged.
    const meters = await Promise.all(['t-1', 't-2', 't-3', 't-4'].map(() => t.provision(chain, 'gas')));
    const smoke = await t.provision(chain, 'smoke');
    const clients = new Map<ProvisionedDevice, MqttClient>();
    for (const device of [...meters, smoke]) clients.set(device, await t.connectDevice(device));
    const publish = (device: ProvisionedDevice, channel: 'telemetry' | 'event', body: Record<string, unknown>) =>
      clients.get(device)!.publishAsync(deviceTopic(device.siteId, device.code, channel), JSON.stringify({ ts: Date.now(), ...body }), { qos: 1 });
    const handed = (msgId: string) => () => (gate.batches.some((batch) => batch.includes(msgId)) ? true : undefined);

    // Every batch the pipeline writes at once is held (PostgreSQL: two, SQLite's one writer: one); the rest queue.
    const held = testDriver() === 'postgresql' ? 2 : 1;
    const telemetry: Promise<unknown>[] = [];
    for (const [i, meter] of meters.entries()) {
      const msgId = `t-${i + 1}`;
      if (i < held) gate.hold(msgId);
      telemetry.push(publish(meter, 'telemetry', { msgId, values: { lel: 1 } }));
      if (i < held) await waitFor(`${msgId} held in its batch`, handed(msgId), { withinMs: 5_000 });
      else await waitFor(`${msgId} queued`, () => (pipeline.pendingByLane().routine === i + 1 ? true : undefined), { withinMs: 5_000 });
    }
    const alarm = publish(smoke, 'event', { msgId: 'alarm-1', type: 'smoke.alarm', data: {} });
    await waitFor('the alarm queued', () => (pipeline.pendingByLane().event === 1 ? true : undefined), { withinMs: 5_000 });

    // The first batch slot to free takes the alarm, not t-(held + 1) queued before it.
    gate.release('t-1');
    await alarm;
    expect(gate.batches.slice(0, held + 1)).toEqual([...meters.slice(0, held).map((_, i) => [`t-${i + 1}`]), ['alarm-1']]);

    gate.releaseAll();
    await Promise.all(telemetry);
    expect(gate.batches.slice(held + 1).flat().sort()).toEqual(meters.slice(held).map((_, i) => `t-${held + i + 1}`));
  });
});
