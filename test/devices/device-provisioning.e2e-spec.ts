import { randomBytes } from 'node:crypto';
import { DeviceCredentialsService } from '@sc/core/devices/device-credentials.service';
import { Device } from '@sc/core/devices/entities/device.entity';
import { OrgLevel } from '@sc/core/org/org-level';
import { hashToken } from '@sc/core/shared/secret-hash';
import { OrgChain } from '@sc/testing';
import { createTestApp, TestApp } from '../support/test-app';

interface DeviceBody {
  id: string;
  code: string;
  secret?: string;
  siteId: string;
  compoundId?: string;
  buildingId?: string;
  gridId?: string;
  enabled: boolean;
  [key: string]: unknown;
}

function code(prefix = 'dev'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

describe('device provisioning and credentials', () => {
  let t: TestApp;
  let admin: string;
  let a: OrgChain;
  let b: OrgChain;
  let credentials: DeviceCredentialsService;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.adminAuth();
    a = await t.factories.newOrgChain();
    b = await t.factories.newOrgChain(a.city);
    credentials = t.app.get(DeviceCredentialsService);
  });
  afterAll(async () => {
    await t.close();
  });

  async function provision(body: Record<string, unknown>, expected = 201) {
    const res = await t.http().post('/devices').set('Authorization', admin).send(body);
    expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status: expected });
    return res;
  }

  it('returns the secret once on provisioning, never on a read, and stores only its hash', async () => {
    const res = await provision({ code: code(), type: 'smoke', communityId: a.community.id, compoundId: a.compound.id, buildingId: a.building.id });
    const created = res.body as DeviceBody;
    expect(created.secret).toMatch(/^scd_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ siteId: a.community.code, compoundId: a.compound.id, buildingId: a.building.id, enabled: true });
    expect(created).not.toHaveProperty('credentialHash');

    const read = await t.http().get(`/devices/${created.id}`).set('Authorization', admin).expect(200);
    expect(read.body).not.toHaveProperty('secret');
    expect(read.body).not.toHaveProperty('credentialHash');
    const list = await t.http().get(`/devices?q=${created.code}`).set('Authorization', admin).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(created.secret);
    expect(JSON.stringify(list.body)).not.toContain('credentialHash');

    const row = await t.em().findOneOrFail(Device, { id: created.id });
    expect(row.credentialHash).toBe(hashToken(created.secret!));
    expect(row.credentialHash).not.toContain(created.secret!.slice(4));
  });

  it('gives the device the grid of its building unless another grid of the community is named', async () => {
    const byBuilding = (await provision({ code: code(), type: 'water_leak', communityCode: a.community.code, compoundCode: a.compound.code, buildingCode: a.building.code })).body as DeviceBody;
    expect(byBuilding.gridId).toBe(a.grid.id);
    const otherGrid = await t.factories.newUnit(OrgLevel.Grid, a.community);
    const explicit = (await provision({ code: code(), type: 'water_leak', communityId: a.community.id, buildingId: a.building.id, gridId: otherGrid.id })).body as DeviceBody;
    expect(explicit).toMatchObject({ gridId: otherGrid.id, compoundId: a.compound.id });
  });

  it('authenticates with the current secret only, and stops the old secret when it is rotated', async () => {
    const created = (await provision({ code: code(), type: 'gas', communityId: a.community.id })).body as DeviceBody;
    await expect(credentials.authenticate(created.code, created.secret!)).resolves.toMatchObject({
      id: created.id,
      code: created.code,
      type: 'gas',
      siteId: a.community.code,
      communityId: a.community.id,
    });
    await expect(credentials.authenticate(created.code, `${created.secret!}x`)).resolves.toBeNull();
    await expect(credentials.authenticate('no-such-device', created.secret!)).resolves.toBeNull();

    const rotated = await t.http().post(`/devices/${created.id}/credentials`).set('Authorization', admin).expect(201);
    const newSecret = (rotated.body as DeviceBody).secret!;
    expect(newSecret).not.toBe(created.secret);
    await expect(credentials.authenticate(created.code, created.secret!)).resolves.toBeNull();
    await expect(credentials.authenticate(created.code, newSecret)).resolves.toMatchObject({ id: created.id });
  });

  it('refuses a disabled device at authentication and accepts it again once enabled', async () => {
    const created = (await provision({ code: code(), type: 'sos_button', communityId: a.community.id })).body as DeviceBody;
    const disabled = await t.http().post(`/devices/${created.id}/disable`).set('Authorization', admin).expect(200);
    expect(disabled.body).toMatchObject({ enabled: false });
    await expect(credentials.authenticate(created.code, created.secret!)).resolves.toBeNull();
    await t.http().post(`/devices/${created.id}/enable`).set('Authorization', admin).expect(200);
    await expect(credentials.authenticate(created.code, created.secret!)).resolves.toMatchObject({ id: created.id });
  });

  it('names compoundId when the compound is in another community, and writes nothing', async () => {
    const deviceCode = code();
    const res = await provision({ code: deviceCode, type: 'smoke', communityId: a.community.id, compoundId: b.compound.id }, 400);
    expect(res.body.details).toEqual([{ field: 'compoundId', message: `compound ${b.compound.code} is in another community` }]);
    expect(await t.em().count(Device, { code: deviceCode })).toBe(0);
  });

  it('names the field of a building outside the compound, a grid outside the community and a street given as community', async () => {
    const building = await provision({ code: code(), type: 'smoke', communityId: a.community.id, compoundId: a.compound.id, buildingId: b.building.id }, 400);
    expect(building.body.details[0]).toMatchObject({ field: 'buildingId' });
    const grid = await provision({ code: code(), type: 'smoke', communityId: a.community.id, gridId: b.grid.id }, 400);
    expect(grid.body.details[0]).toMatchObject({ field: 'gridId', message: expect.stringContaining('another community') });
    const street = await provision({ code: code(), type: 'smoke', communityId: a.street.id }, 400);
    expect(street.body.details[0]).toMatchObject({ field: 'communityId', message: expect.stringContaining('not a community') });
    const missing = await provision({ code: code(), type: 'smoke' }, 400);
    expect(missing.body.details[0]).toMatchObject({ field: 'communityId' });
  });

  it('rejects an unknown type and a malformed code with a 400 naming the field', async () => {
    const type = await provision({ code: code(), type: 'toaster', communityId: a.community.id }, 400);
    expect(type.body.details.map((d: { field: string }) => d.field)).toEqual(['type']);
    const badCode = await provision({ code: 'a/b', type: 'smoke', communityId: a.community.id }, 400);
    expect(badCode.body.details.map((d: { field: string }) => d.field)).toEqual(['code']);
  });

  it('answers a second device with the same code with 409 naming code', async () => {
    const deviceCode = code();
    await provision({ code: deviceCode, type: 'smoke', communityId: a.community.id });
    const res = await provision({ code: deviceCode, type: 'gas', communityId: b.community.id }, 409);
    expect(res.body.details).toEqual([{ field: 'code', message: expect.stringContaining(deviceCode) }]);
  });

  it('moves a device to another compound with the same containment checks, and clears fields with null', async () => {
    const created = (await provision({ code: code(), type: 'smoke', communityId: a.community.id, compoundId: a.compound.id, buildingId: a.building.id, location: '1楼' })).body as DeviceBody;
    const wrong = await t.http().patch(`/devices/${created.id}`).set('Authorization', admin).send({ compoundId: b.compound.id }).expect(400);
    expect(wrong.body.details[0]).toMatchObject({ field: 'compoundId' });

    const moved = await t
      .http()
      .patch(`/devices/${created.id}`)
      .set('Authorization', admin)
      .send({ communityId: b.community.id, compoundId: b.compound.id, location: null, name: '楼道烟感' })
      .expect(200);
    // The old building belonged to the old compound, so it goes; the grid follows the new community.
    expect(moved.body).toMatchObject({ siteId: b.community.code, compoundId: b.compound.id, name: '楼道烟感' });
    expect(moved.body.buildingId).toBeUndefined();
    expect(moved.body.location).toBeUndefined();
    expect(moved.body.gridId).toBeUndefined();
    const row = await t.em().findOneOrFail(Device, { id: created.id });
    expect(row).toMatchObject({ location: null, building: null, grid: null, name: '楼道烟感' });
    await expect(credentials.authenticate(created.code, created.secret!)).resolves.toMatchObject({ siteId: b.community.code });
  });

  it('serves the catalogue to any reader, and 404 for an unknown type', async () => {
    const list = await t.http().get('/device-types').set('Authorization', admin).expect(200);
    expect((list.body as { code: string }[]).map((x) => x.code)).toContain('hydrant_pressure');
    const one = await t.http().get('/device-types/elevator').set('Authorization', admin).expect(200);
    expect(one.body.events).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'elevator.trapped', alert: { severity: 'critical', category: 'facility' } })]));
    await t.http().get('/device-types/toaster').set('Authorization', admin).expect(404);
  });
});
