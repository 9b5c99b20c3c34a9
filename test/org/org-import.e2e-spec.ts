import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { Party } from '@sc/core/org/entities/party.entity';
import { Role } from '@sc/core/identity/roles';
import { createTestApp, TestApp } from '../support/test-app';

interface ImportBody {
  created: number;
  failed: number;
  errors: { kind: string; row: number; field?: string; message: string }[];
}

describe('bulk import of the org tree', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.adminAuth();
  });
  afterAll(async () => {
    await t.close();
  });

  const importJson = (auth: string, body: unknown) => t.http().post('/org/import').set('Authorization', auth).send(body as object);
  const importCsv = (auth: string, kind: string, csv: string) =>
    t.http().post(`/org/import/${kind}`).set('Authorization', auth).set('Content-Type', 'text/csv').send(csv);
  const errorsOf = (body: ImportBody) => body.errors.map((e) => ({ kind: e.kind, row: e.row, field: e.field }));

  it('keeps the good rows of a JSON import, names each bad row, and resolves codes created earlier in the same import', async () => {
    const res = await importJson(admin, {
      units: [
        { code: 'J-D', name: '田家庵区', level: 'district', parentCode: 'J' },
        { code: 'J', name: '淮南市', level: 'city' },
        { code: 'J-D-S', name: '洞山街道', level: 'street', parentCode: 'J-D' },
        { code: 'J-D-S-C', name: '锦里社区', level: 'community', parentCode: 'J-D-S', pilot: 'true', settlement: 'urban' },
        { code: 'J-D-S-C-G1', name: '第一网格', level: 'grid', parentCode: 'J-D-S-C' },
        { code: 'J-BAD', name: '坏级别', level: 'province', parentCode: 'J' },
        { code: 'J-D', name: '重复', level: 'district', parentCode: 'J' },
        { code: 'J-ORPHAN', name: '无上级', level: 'street', parentCode: 'NO-SUCH' },
      ],
      propertyCompanies: [{ code: 'J-PC', name: '锦里物业' }],
      compounds: [
        { code: 'J-CP1', name: '锦里花园', communityCode: 'J-D-S-C', propertyCompanyCode: 'J-PC' },
        { code: 'J-CP2', name: '挂在街道', communityCode: 'J-D-S' },
      ],
      buildings: [
        { compoundCode: 'J-CP1', code: '1', name: '1号楼', gridCode: 'J-D-S-C-G1', floors: 6 },
        { compoundCode: 'J-CP1', code: '2', name: '2号楼', gridCode: 'J-D-S' },
      ],
      gridWorkers: [{ code: 'J-GW1', name: '王芳', gridCode: 'J-D-S-C-G1', fullTime: true }, 'not a row', { code: 'J-GW2', name: '李强', gridCode: 'J-D-S-C' }],
      parties: [
        { kind: 'party_organisation', name: '锦里社区党委', communityCode: 'J-D-S-C', members: [{ name: '李华', title: '书记' }] },
        { kind: 'owners_committee', name: '锦里花园业委会', compoundCode: 'J-CP1', members: [{ name: '周敏' }, { name: '' }] },
        { kind: 'property_company', name: '锦里物业', compoundCode: 'J-CP1', propertyCompanyCode: 'J-PC', extra: 1 },
      ],
    }).expect(200);
    const body = res.body as ImportBody;
    expect(errorsOf(body)).toEqual([
      { kind: 'units', row: 6, field: 'level' },
      { kind: 'units', row: 7, field: 'code' },
      { kind: 'units', row: 8, field: 'parentCode' },
      { kind: 'compounds', row: 2, field: 'communityCode' },
      { kind: 'buildings', row: 2, field: 'gridCode' },
      { kind: 'grid-workers', row: 2, field: undefined },
      { kind: 'grid-workers', row: 3, field: 'gridCode' },
      { kind: 'parties', row: 2, field: 'members.1.name' },
      { kind: 'parties', row: 3, field: 'extra' },
    ]);
    expect(body).toMatchObject({ created: 10, failed: 9 });

    const em = t.em();
    const community = await em.findOneOrFail(OrgUnit, { code: 'J-D-S-C' });
    expect(community).toMatchObject({ pilot: true, settlement: 'urban' });
    // A failed row leaves nothing behind: the committee with a bad member was not created at all.
    expect(await em.count(Party, { community })).toBe(1);
  });

  it('keeps the good rows of a CSV import and names each bad row', async () => {
    const csv = [
      'code,name,level,parentCode,pilot,settlement',
      'CSV-C,寿县,city,,,',
      'CSV-C-S,寿春镇,street,CSV-C,,',
      'CSV-C-D,"寿县, 县城",district,CSV-C,否,',
      'CSV-C-D-S,寿春镇,street,CSV-C-D,,',
      'CSV-C-D-S-V,余楼村,community,CSV-C-D-S,是,rural',
      'CSV-C-D,重复,district,CSV-C,,',
      'CSV-SHORT,少一列,district',
    ].join('\n');
    const res = await importCsv(admin, 'units', csv).expect(200);
    const body = res.body as ImportBody;
    expect(errorsOf(body)).toEqual([
      { kind: 'units', row: 2, field: 'level' },
      { kind: 'units', row: 6, field: 'code' },
      { kind: 'units', row: 7, field: undefined },
    ]);
    expect(body).toMatchObject({ created: 4, failed: 3 });
    const village = await t.em().findOneOrFail(OrgUnit, { code: 'CSV-C-D-S-V' });
    expect(village).toMatchObject({ pilot: true, settlement: 'rural', level: 'community' });

    const parties = await importCsv(admin, 'parties', 'kind,name,communityCode,members\nresidents_committee,余楼村村委会,CSV-C-D-S-V,张三:主任; 李四\n').expect(200);
    expect(parties.body).toMatchObject({ created: 1, failed: 0 });
  });

  it('refuses malformed CSV, an unknown column, an unknown kind and a CSV sent as JSON with 400', async () => {
    const malformed = await importCsv(admin, 'units', 'code,name,level\n"HN,淮南市,city\n').expect(400);
    expect(malformed.body.message).toMatch(/malformed CSV/);
    const unknownColumn = await importCsv(admin, 'units', 'code,name,level,colour\nX,Y,city,red\n').expect(400);
    expect(unknownColumn.body.details).toEqual([expect.objectContaining({ field: 'colour' })]);
    const missingColumn = await importCsv(admin, 'compounds', 'code,name\nX,Y\n').expect(400);
    expect(missingColumn.body.details).toEqual([expect.objectContaining({ field: 'communityCode' })]);
    await importCsv(admin, 'planets', 'code\nX\n').expect(400);
    await t.http().post('/org/import/units').set('Authorization', admin).send({ code: 'X' }).expect(400);
  });

  it('refuses malformed JSON and an import object with an unknown key with 400', async () => {
    const malformed = await t.http().post('/org/import').set('Authorization', admin).set('Content-Type', 'application/json').send('{"units": [').expect(400);
    expect(malformed.body).toMatchObject({ statusCode: 400 });
    expect(typeof malformed.body.message).toBe('string');
    const unknownKey = await importJson(admin, { planets: [] }).expect(400);
    expect(unknownKey.body.details).toEqual([expect.objectContaining({ field: 'planets' })]);
    await importJson(admin, { units: 'not rows' }).expect(400);
  });

  it("checks every row against the caller's scope: rows outside are row errors, an import wholly outside is refused with 403", async () => {
    const a = await t.factories.newOrgChain();
    const b = await t.factories.newOrgChain(a.city);
    const { username, password } = await t.factories.newAccount(Role.StreetOfficer, { orgUnit: a.street });
    const officer = await t.login(username, password);
    const mixed = await importJson(officer, {
      units: [
        { code: 'SCOPE-IN', name: '新社区', level: 'community', parentCode: a.street.code },
        { code: 'SCOPE-OUT', name: '别处的社区', level: 'community', parentCode: b.street.code },
      ],
    }).expect(200);
    expect(mixed.body).toMatchObject({ created: 1, failed: 1, errors: [{ kind: 'units', row: 2, field: 'parentCode' }] });
    const outside = await importJson(officer, { compounds: [{ code: 'SCOPE-CP', name: '小区', communityCode: b.community.code }] }).expect(403);
    expect(outside.body.details).toEqual([expect.objectContaining({ row: 1 })]);
    expect(await t.em().count(OrgUnit, { code: 'SCOPE-OUT' })).toBe(0);
  });
});
