import { randomBytes } from 'node:crypto';
import { EntityManager } from '@mikro-orm/knex';
import { Device } from '@sc/core/devices/entities/device.entity';
import { Role } from '@sc/core/identity/roles';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { generateSecret, hashToken } from '@sc/core/shared/secret-hash';
import { IngestRejection } from '@sc/core/telemetry/entities/ingest-rejection.entity';
import { execute } from '@sc/core/telemetry/sql';
import { OrgChain } from '@sc/testing';
import { createTestApp, TestApp } from '../support/test-app';

async function newDevice(em: EntityManager, chain: OrgChain, type: string): Promise<Device> {
  const device = em.create(Device, {
    code: `api-${randomBytes(5).toString('hex')}`,
    type,
    community: em.getReference(OrgUnit, chain.community.id),
    compound: em.getReference(Compound, chain.compound.id),
    credentialHash: hashToken(generateSecret('scd')),
  });
  await em.flush();
  return device;
}

async function insertEvent(em: EntityManager, device: Device, siteId: string, msgId: string, ts: Date, payload: Record<string, unknown>, type?: string): Promise<void> {
  await execute(
    em,
    'insert into device_events (device_id, msg_id, ts, received_at, device_code, site_id, channel, type, payload) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [device.id, msgId, ts, new Date(), device.code, siteId, type ? 'event' : 'telemetry', type ?? null, JSON.stringify(payload)],
  );
}

describe('the ingest read API', () => {
  let t: TestApp;
  let a: OrgChain;
  let b: OrgChain;
  let deviceA: Device;
  let deviceB: Device;
  let workerA: string;
  const t0 = Date.UTC(2026, 10, 20, 8, 0, 0);

  beforeAll(async () => {
    t = await createTestApp();
    a = await t.factories.newOrgChain();
    b = await t.factories.newOrgChain(a.city);
    deviceA = await newDevice(t.em(), a, 'access_controller');
    deviceB = await newDevice(t.em(), b, 'smoke');
    for (let i = 0; i < 5; i += 1) await insertEvent(t.em(), deviceA, a.community.code, `t-${i}`, new Date(t0 + i * 60_000), { doorOpen: i % 2 });
    await insertEvent(t.em(), deviceA, a.community.code, 'e-1', new Date(t0 + 10 * 60_000), { subject: 'pseudonym-abc' }, 'access.granted');
    const em = t.em();
    const reject = (device: Device | undefined, reason: IngestRejection['reason'], code: string) =>
      em.create(IngestRejection, { receivedAt: new Date(), reason, detail: `${reason} detail`, topic: `sc/v1/x/${code}/telemetry`, deviceCode: code, device });
    reject(deviceA, 'not_json', deviceA.code);
    reject(deviceA, 'value_out_of_range', deviceA.code);
    reject(deviceB, 'not_json', deviceB.code);
    reject(undefined, 'unknown_device', 'ghost-1');
    await em.flush();
    const worker = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: a.community });
    workerA = await t.login(worker.username, worker.password);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists a device\'s stored telemetry and events newest first, within a device-time window and a limit', async () => {
    const all = await t.http().get(`/devices/${deviceA.id}/events`).set('Authorization', workerA);
    expect(all.status).toBe(200);
    expect(all.body.items.map((e: { msgId: string }) => e.msgId)).toEqual(['e-1', 't-4', 't-3', 't-2', 't-1', 't-0']);
    expect(all.body.items[0]).toMatchObject({ channel: 'event', type: 'access.granted', data: { subject: 'pseudonym-abc' } });
    expect(all.body.items[1]).toMatchObject({ channel: 'telemetry', values: { doorOpen: 0 }, ts: new Date(t0 + 4 * 60_000).toISOString() });

    const window = await t
      .http()
      .get(`/devices/${deviceA.id}/events?from=${new Date(t0 + 60_000).toISOString()}&to=${new Date(t0 + 4 * 60_000).toISOString()}&limit=2`)
      .set('Authorization', workerA);
    expect(window.body).toMatchObject({ limit: 2 });
    expect(window.body.items.map((e: { msgId: string }) => e.msgId)).toEqual(['t-3', 't-2']);
  });

  it('refuses a malformed time window with 400 naming the field', async () => {
    const res = await t.http().get(`/devices/${deviceA.id}/events?from=yesterday`).set('Authorization', workerA);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/from/);
  });

  it('shows officers the rejections of devices in their scope only, and administrators every row, including those no device can be tied to', async () => {
    const mine = await t.http().get('/ingest/rejections').set('Authorization', workerA);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((r: { deviceCode: string; reason: string }) => [r.deviceCode, r.reason]).sort()).toEqual(
      [
        [deviceA.code, 'not_json'],
        [deviceA.code, 'value_out_of_range'],
      ].sort(),
    );
    expect(mine.body.items[0].meaning.length).toBeGreaterThan(0);

    const admin = await t.http().get('/ingest/rejections?limit=100').set('Authorization', await t.adminAuth());
    const codes = admin.body.items.map((r: { deviceCode: string }) => r.deviceCode);
    expect(codes).toEqual(expect.arrayContaining([deviceA.code, deviceB.code, 'ghost-1']));

    const filtered = await t.http().get('/ingest/rejections?reason=not_json').set('Authorization', workerA);
    expect(filtered.body).toMatchObject({ total: 1, items: [{ deviceCode: deviceA.code, reason: 'not_json', deviceId: deviceA.id }] });
  });

  it('keeps the quarantine from people without the ingest permission', async () => {
    const grid = await t.factories.newAccount(Role.GridWorker, { orgUnit: a.grid });
    const res = await t.http().get('/ingest/rejections').set('Authorization', await t.login(grid.username, grid.password));
    expect(res.status).toBe(403);
  });
});
