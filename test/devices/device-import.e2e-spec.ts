import { randomBytes } from 'node:crypto';
import { DeviceCredentialsService } from '@sc/core/devices/device-credentials.service';
import { Device } from '@sc/core/devices/entities/device.entity';
import { Role } from '@sc/core/identity/roles';
import { OrgChain } from '@sc/testing';
import { createTestApp, TestApp } from '../support/test-app';

interface ImportBody {
  created: { row: number; id: string; code: string; secret: string; gridId?: string; buildingId?: string }[];
  errors: { row: number; field?: string; message: string }[];
}

function code(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

describe('bulk device import', () => {
  let t: TestApp;
  let admin: string;
  let a: OrgChain;
  let b: OrgChain;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.adminAuth();
    a = await t.factories.newOrgChain();
    b = await t.factories.newOrgChain(a.city);
  });
  afterAll(async () => {
    await t.close();
  });

  function importCsv(csv: string, header = admin) {
    return t.http().post('/devices/import').set('Authorization', header).set('Content-Type', 'text/csv').send(csv);
  }

  async function countCodes(codes: string[]): Promise<number> {
    return t.em().count(Device, { code: { $in: codes } });
  }

  it('creates the good rows of a CSV file with their one-time secrets, and reports each bad row by number and field', async () => {
    const good1 = code('csv-ok');
    const good2 = code('csv-ok');
    const taken = code('csv-taken');
    await t.http().post('/devices').set('Authorization', admin).send({ code: taken, type: 'smoke', communityId: a.community.id }).expect(201);
    const bad = [code('csv-type'), code('csv-cmp'), code('csv-bld')];
    const csv = [
      'code,type,communityCode,compoundCode,buildingCode,gridCode,location,serialNumber',
      `${good1},smoke,${a.community.code},${a.compound.code},${a.building.code},,1单元1楼,SN001`,
      `${bad[0]},toaster,${a.community.code},,,,,`,
      `${bad[1]},smoke,${a.community.code},${b.compound.code},,,,`,
      `${taken},smoke,${a.community.code},,,,,`,
      `${good2},gas,${a.community.code},,,${a.grid.code},厨房,`,
      `${bad[2]},smoke,${a.community.code},${a.compound.code},no-such-building,,,`,
      `${good1},smoke,${a.community.code},,,,,`,
    ].join('\n');
    const res = await importCsv(csv).expect(200);
    const body = res.body as ImportBody;

    expect(body.created.map((c) => [c.row, c.code])).toEqual([
      [1, good1],
      [5, good2],
    ]);
    expect(body.created[0]).toMatchObject({ buildingId: a.building.id, gridId: a.grid.id });
    expect(body.created[1]).toMatchObject({ gridId: a.grid.id });
    for (const c of body.created) expect(c.secret).toMatch(/^scd_/);
    expect(body.errors).toEqual([
      { row: 2, field: 'type', message: expect.stringContaining('toaster') },
      { row: 3, field: 'compoundCode', message: `compound ${b.compound.code} is in another community` },
      { row: 4, field: 'code', message: expect.stringContaining('already exists') },
      { row: 6, field: 'buildingCode', message: expect.stringContaining('no-such-building') },
      { row: 7, field: 'code', message: `code ${good1} is already in row 1` },
    ]);
    // Nothing of a bad row was written; the good rows were, and their secrets work.
    expect(await countCodes(bad)).toBe(0);
    expect(await countCodes([good1, good2])).toBe(2);
    const credentials = t.app.get(DeviceCredentialsService);
    await expect(credentials.authenticate(good2, body.created[1].secret)).resolves.toMatchObject({ siteId: a.community.code, type: 'gas' });
  });

  it('imports a JSON body the same way, with row numbers from 1', async () => {
    const good = code('json-ok');
    const res = await t
      .http()
      .post('/devices/import')
      .set('Authorization', admin)
      .send({
        devices: [
          { code: 'x', type: 'smoke', communityCode: a.community.code },
          { code: good, type: 'manhole_cover', communityCode: a.community.code, serialNumber: 12345 },
          { code: code('json-bad'), type: 'smoke' },
          { code: code('json-bad'), type: 'smoke', communityCode: a.community.code, colour: 'red' },
          'not an object',
        ],
      })
      .expect(200);
    const body = res.body as ImportBody;
    expect(body.created.map((c) => [c.row, c.code])).toEqual([[2, good]]);
    expect(body.errors).toEqual([
      { row: 1, field: 'code', message: expect.any(String) },
      { row: 3, field: 'communityCode', message: expect.any(String) },
      { row: 4, field: 'colour', message: 'unknown field colour' },
      { row: 5, message: 'each device must be an object' },
    ]);
    const row = await t.em().findOneOrFail(Device, { code: good });
    expect(row.serialNumber).toBe('12345');
  });

  it('refuses malformed CSV, unknown columns and malformed JSON with 400 and writes nothing', async () => {
    const quoted = code('bad-quote');
    await importCsv(`code,type,communityCode\n${quoted},smoke,"${a.community.code}\n`).expect(400);
    const ragged = code('ragged');
    const res = await importCsv(`code,type,communityCode\n${ragged},smoke,${a.community.code},extra\n`).expect(400);
    expect(res.body.message).toMatch(/malformed CSV/);
    const column = await importCsv(`code,type,communityCode,colour\n${code('col')},smoke,${a.community.code},red\n`).expect(400);
    expect(column.body.details).toEqual([{ field: 'colour', message: 'unknown column colour' }]);
    await importCsv('code,type,communityCode\n').expect(400);
    await t.http().post('/devices/import').set('Authorization', admin).set('Content-Type', 'application/json').send('{"devices": [').expect(400);
    await t.http().post('/devices/import').set('Authorization', admin).send({ devices: 'all of them' }).expect(400);
    expect(await countCodes([quoted, ragged])).toBe(0);
  });

  it('refuses a whole file that places a device outside the caller\'s scope, writing none of its rows', async () => {
    const { username, password } = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: a.community });
    const worker = await t.login(username, password);
    const mine = code('scope-mine');
    const theirs = code('scope-theirs');
    const csv = `code,type,communityCode\n${mine},smoke,${a.community.code}\n${theirs},smoke,${b.community.code}\n`;
    const res = await importCsv(csv, worker).expect(403);
    expect(res.body.details).toEqual([{ row: 2, message: expect.stringContaining(b.community.code) }]);
    expect(await countCodes([mine, theirs])).toBe(0);
    const ok = await importCsv(`code,type,communityCode\n${mine},smoke,${a.community.code}\n`, worker).expect(200);
    expect((ok.body as ImportBody).created).toHaveLength(1);
  });
});
