import { EntityManager } from '@mikro-orm/knex';
import { deviceTopic } from '@sc/messaging';
import { waitFor } from '@sc/testing/wait';
import { DeviceEventHandler, PresenceChange, StoredDeviceEvent } from '@sc/core/devices/device-event-hook';
import { DeviceEventHooks } from '@sc/core/devices/device-event-hooks';
import { getDeviceType } from '@sc/core/devices/device-types.catalogue';
import { Device } from '@sc/core/devices/entities/device.entity';
import { offlineAfterMs, PresenceSweeper } from '@sc/core/telemetry/presence-sweeper';
import { DeviceDirectory } from '@sc/core/telemetry/device-directory';
import { PresenceInput, PresenceWriter } from '@sc/core/telemetry/presence-writer';
import { runTogether } from '@sc/core/telemetry/sql';
import { OrgChain, testDriver } from '@sc/testing';
import { createIngestTestApp, IngestTestApp } from '../support/ingest-test-app';
import { presenceOf, storedEvents } from './ingest-rows';

/** A rule-hook handler that keeps what it was given, as the alerts feature would receive it. */
class RecordingHandler implements DeviceEventHandler {
  readonly events: StoredDeviceEvent[] = [];
  readonly presence: PresenceChange[] = [];
  /** Throw on the next onEvents call (a handler bug or a failed write of its own). */
  failNext = false;
  eventCalls = 0;

  async onEvents(events: readonly StoredDeviceEvent[], em: EntityManager): Promise<void> {
    this.eventCalls += 1;
    // Inside the storing transaction: the rows it was handed are visible to it.
    const [{ n }] = await em.getConnection().execute<{ n: number | string }[]>('select count(*) as n from device_events', [], 'all', em.getTransactionContext());
    expect(Number(n)).toBeGreaterThanOrEqual(events.length);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('handler failed once');
    }
    this.events.push(...events);
  }

  async onPresence(changes: readonly PresenceChange[]): Promise<void> {
    this.presence.push(...changes);
  }

  changesOf(deviceId: string): Pick<PresenceChange, 'online' | 'reason'>[] {
    return this.presence.filter((c) => c.deviceId === deviceId).map(({ online, reason }) => ({ online, reason }));
  }
}

describe('presence and the rule hook', () => {
  let t: IngestTestApp;
  let chain: OrgChain;
  const handler = new RecordingHandler();
  let unregister: () => void;

  beforeAll(async () => {
    t = await createIngestTestApp();
    chain = await t.factories.newOrgChain();
    unregister = t.module.get(DeviceEventHooks).register(handler);
  });
  afterAll(async () => {
    unregister();
    await t.close();
  });

  const sweep = () => t.module.get(PresenceSweeper).sweep();

  it('takes a heartbeat as presence (last seen, battery, signal, firmware), stores no event for it, and signals nothing for a first contact', async () => {
    const device = await t.provision(chain, 'smoke');
    const client = await t.connectDevice(device);
    await client.publishAsync(deviceTopic(device.siteId, device.code, 'heartbeat'), JSON.stringify({ ts: Date.now(), battery: 76.6, rssi: -91, fw: '2.4.1' }), { qos: 1 });
    const presence = await presenceOf(t.em(), device.id);
    expect(presence).toMatchObject({ online: true, battery: 77, rssi: -91, firmware: '2.4.1' });
    expect(presence.lastSeenAt?.getTime()).toBeGreaterThan(Date.now() - 10_000);
    expect(await storedEvents(t.em(), device.id)).toEqual([]);
    expect(handler.changesOf(device.id)).toEqual([]);
    await client.endAsync();
  });

  it('signals status offline and online once each, and a repeated status not again', async () => {
    const device = await t.provision(chain, 'gas');
    const client = await t.connectDevice(device);
    const status = deviceTopic(device.siteId, device.code, 'status');
    await client.publishAsync(status, 'online', { qos: 1, retain: true });
    await client.publishAsync(status, 'offline', { qos: 1, retain: true });
    await client.publishAsync(status, 'offline', { qos: 1, retain: true });
    expect((await presenceOf(t.em(), device.id)).online).toBe(false);
    await client.publishAsync(status, 'online', { qos: 1, retain: true });
    await client.publishAsync(status, 'online', { qos: 1, retain: true });
    expect(handler.changesOf(device.id)).toEqual([
      { online: false, reason: 'status_offline' },
      { online: true, reason: 'status_online' },
    ]);
    await client.endAsync();
  });

  // PostgreSQL's presence write is one statement (PresenceWriter.statement) whose locking subquery reads the state before.
  (testDriver() === 'postgresql' ? it : it.skip)('a presence write that waited for a concurrent one signals against the state that one committed', async () => {
    const device = await t.provision(chain, 'smoke');
    const entry = (await t.module.get(DeviceDirectory).resolve([device.code])).get(device.code)!;
    const writer = t.module.get(PresenceWriter);
    writer.forget();
    const write = async (em: EntityManager, kind: PresenceInput['kind']) => {
      const { statement, changes } = writer.statement(writer.plan([{ device: entry, at: new Date(), kind }], new Date()));
      const [rows] = await runTogether(em, 'postgresql', [statement!]);
      return changes(rows).map(({ online, reason }) => ({ online, reason }));
    };
    expect(await t.em().transactional((em) => write(em, 'status_online'))).toEqual([]); // first words: no change

    let commitOffline!: () => void;
    const offlineWritten = new Promise<Pick<PresenceChange, 'online' | 'reason'>[]>((resolve) => {
      const gate = new Promise<void>((release) => (commitOffline = release));
      void t.em().transactional(async (em) => {
        resolve(await write(em, 'status_offline'));
        await gate; // holds the device's row locked, offline not yet committed
      });
    });
    expect(await offlineWritten).toEqual([{ online: false, reason: 'status_offline' }]);
    // Reads online = true in its snapshot; must wait for the lock and then see offline.
    const back = t.em().transactional((em) => write(em, 'heartbeat'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    commitOffline();
    expect(await back).toEqual([{ online: true, reason: 'heartbeat' }]);
    expect((await presenceOf(t.em(), device.id)).online).toBe(true);
  });

  it('honours the last will of a device that drops off without saying goodbye', async () => {
    const device = await t.provision(chain, 'elevator');
    const status = deviceTopic(device.siteId, device.code, 'status');
    const client = await t.connectDevice(device, { will: { topic: status, payload: Buffer.from('offline'), qos: 1, retain: true } });
    await client.publishAsync(status, 'online', { qos: 1, retain: true });
    client.stream.destroy();
    await waitFor('the will to mark the device offline', () => (handler.changesOf(device.id).length > 0 ? true : undefined), { withinMs: 10_000 });
    expect(handler.changesOf(device.id)).toEqual([{ online: false, reason: 'status_offline' }]);
    expect((await presenceOf(t.em(), device.id)).online).toBe(false);
    await client.endAsync(true);
  });

  it('marks a device silent past twice its heartbeat plus a minute offline once, however many sweeps race, and signals its return', async () => {
    const device = await t.provision(chain, 'access_controller');
    const client = await t.connectDevice(device);
    const heartbeat = () => client.publishAsync(deviceTopic(device.siteId, device.code, 'heartbeat'), JSON.stringify({ ts: Date.now() }), { qos: 1 });
    await heartbeat();
    const type = getDeviceType(device.type);
    if (!type) throw new Error('catalogue lost access_controller');

    // Just inside the allowance: nothing happens.
    await t.em().nativeUpdate(Device, { id: device.id }, { lastSeenAt: new Date(Date.now() - offlineAfterMs(type) + 30_000) });
    await sweep();
    expect(handler.changesOf(device.id)).toEqual([]);

    await t.em().nativeUpdate(Device, { id: device.id }, { lastSeenAt: new Date(Date.now() - offlineAfterMs(type) - 1_000) });
    await Promise.all([sweep(), sweep(), sweep()]);
    await sweep();
    expect(handler.changesOf(device.id)).toEqual([{ online: false, reason: 'heartbeat_timeout' }]);
    expect((await presenceOf(t.em(), device.id)).online).toBe(false);

    await heartbeat();
    expect(handler.changesOf(device.id)).toEqual([
      { online: false, reason: 'heartbeat_timeout' },
      { online: true, reason: 'heartbeat' },
    ]);
    await client.endAsync();
  });

  it('marks a provisioned device that never spoke offline after the grace period, once, and leaves a new or disabled one alone', async () => {
    const stale = await t.provision(chain, 'water_meter', { provisionedAt: new Date(Date.now() - 61 * 60_000) });
    const fresh = await t.provision(chain, 'water_meter');
    const disabled = await t.provision(chain, 'water_meter', { provisionedAt: new Date(Date.now() - 61 * 60_000), enabled: false });
    await Promise.all([sweep(), sweep()]);
    expect(handler.changesOf(stale.id)).toEqual([{ online: false, reason: 'never_seen' }]);
    expect(handler.changesOf(fresh.id)).toEqual([]);
    expect(handler.changesOf(disabled.id)).toEqual([]);
    expect((await presenceOf(t.em(), fresh.id)).online).toBeNull();
  });

  it('hands stored events to the hook inside their transaction, and when the hook fails, withholds the acknowledgement and retries until it succeeds', async () => {
    const device = await t.provision(chain, 'sos_button');
    const client = await t.connectDevice(device);
    handler.failNext = true;
    const calls = handler.eventCalls;
    const sos = JSON.stringify({ msgId: 'sos-1', ts: Date.now(), type: 'sos.pressed', data: {} });
    await client.publishAsync(deviceTopic(device.siteId, device.code, 'event'), sos, { qos: 1 });
    expect(handler.eventCalls).toBeGreaterThanOrEqual(calls + 2);
    const handed = handler.events.filter((e) => e.deviceId === device.id);
    expect(handed).toEqual([expect.objectContaining({ msgId: 'sos-1', type: 'sos.pressed', channel: 'event', deviceCode: device.code, deviceType: 'sos_button', siteId: device.siteId })]);
    expect((await storedEvents(t.em(), device.id)).map((e) => e.msgId)).toEqual(['sos-1']);

    // A redelivery (the identical message) is stored once and not handed over again.
    await client.publishAsync(deviceTopic(device.siteId, device.code, 'event'), sos, { qos: 1 });
    expect(handler.events.filter((e) => e.deviceId === device.id)).toHaveLength(1);
    await client.endAsync();
  });
});
