import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { OrgLevel } from '@sc/core/org/org-level';
import { Role } from '@sc/core/identity/roles';
import { createTestApp, TestApp } from '../support/test-app';

interface UnitBody {
  id: string;
  code: string;
  level: OrgLevel;
  parentId: string | null;
}

describe('org units', () => {
  let t: TestApp;
  let admin: string;
  let seq = 0;
  const code = (prefix: string) => `${prefix}-${process.pid}-${++seq}`;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.adminAuth();
  });
  afterAll(async () => {
    await t.close();
  });

  function create(auth: string, body: Record<string, unknown>) {
    return t.http().post('/org/units').set('Authorization', auth).send(body);
  }

  async function asRole(role: Role, unit: { id: string }): Promise<string> {
    const em = t.em();
    const anchor = await em.findOneOrFail(OrgUnit, { id: unit.id });
    const { username, password } = await t.factories.newAccount(role, { orgUnit: anchor });
    return t.login(username, password);
  }

  it('builds a city → district → street → community → grid tree, each child exactly one level below its parent', async () => {
    const city = (await create(admin, { code: code('C'), name: '淮南市', level: 'city' }).expect(201)).body as UnitBody;
    const district = (await create(admin, { code: code('D'), name: '田家庵区', level: 'district', parentId: city.id }).expect(201)).body as UnitBody;
    const street = (await create(admin, { code: code('S'), name: '洞山街道', level: 'street', parentCode: district.code }).expect(201)).body as UnitBody;
    const community = (await create(admin, { code: code('M'), name: '锦里社区', level: 'community', parentId: street.id, pilot: true, settlement: 'urban' }).expect(201))
      .body as UnitBody;
    const grid = (await create(admin, { code: code('G'), name: '第一网格', level: 'grid', parentId: community.id }).expect(201)).body as UnitBody;
    expect(community).toMatchObject({ level: 'community', parentId: street.id, pilot: true, settlement: 'urban', levelLabel: { zh: '社区/村' } });
    expect(grid.parentId).toBe(community.id);
    expect(city.parentId).toBeNull();

    const skipping = await create(admin, { code: code('X'), name: '跳级', level: 'community', parentId: district.id }).expect(400);
    expect(skipping.body.details).toEqual([expect.objectContaining({ field: 'level' })]);
    const underGrid = await create(admin, { code: code('X'), name: '网格下', level: 'grid', parentId: grid.id }).expect(400);
    expect(underGrid.body.details[0].field).toBe('level');
    const orphan = await create(admin, { code: code('X'), name: '无上级', level: 'street' }).expect(400);
    expect(orphan.body.details[0].field).toBe('parentId');
    const cityWithParent = await create(admin, { code: code('X'), name: '市', level: 'city', parentId: city.id }).expect(400);
    expect(cityWithParent.body.details[0].field).toBe('parentId');
    const settledStreet = await create(admin, { code: code('X'), name: '街道', level: 'street', parentId: district.id, settlement: 'rural' }).expect(400);
    expect(settledStreet.body.details[0].field).toBe('settlement');
  });

  it('answers a duplicate code with 409 naming code', async () => {
    const taken = code('DUP');
    await create(admin, { code: taken, name: '一', level: 'city' }).expect(201);
    const res = await create(admin, { code: taken, name: '二', level: 'city' }).expect(409);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'code' })]);
  });

  it('answers an unknown parent with 400 naming the field it was given in', async () => {
    const byCode = await create(admin, { code: code('X'), name: '区', level: 'district', parentCode: 'NO-SUCH-UNIT' }).expect(400);
    expect(byCode.body.details).toEqual([expect.objectContaining({ field: 'parentCode' })]);
    const byId = await create(admin, { code: code('X'), name: '区', level: 'district', parentId: '00000000-0000-4000-8000-000000000000' }).expect(400);
    expect(byId.body.details).toEqual([expect.objectContaining({ field: 'parentId' })]);
  });

  it('lets only administrators create a city, and officers create only under units of their subtree', async () => {
    const chain = await t.factories.newOrgChain();
    const other = await t.factories.newOrgChain(chain.city);
    const district = await asRole(Role.DistrictOfficer, chain.district);
    await create(district, { code: code('C'), name: '市', level: 'city' }).expect(403);
    await create(district, { code: code('S'), name: '新街道', level: 'street', parentId: chain.district.id }).expect(201);
    await create(district, { code: code('S'), name: '别人的街道', level: 'street', parentId: other.district.id }).expect(403);
    const worker = await asRole(Role.GridWorker, chain.grid);
    await create(worker, { code: code('G'), name: '网格', level: 'grid', parentId: chain.community.id }).expect(403);
  });

  it('shows a street officer only their subtree, with the ancestors of their street as read-only context', async () => {
    const chain = await t.factories.newOrgChain();
    const sibling = await t.factories.newUnit(OrgLevel.Street, chain.district);
    const siblingCommunity = await t.factories.newUnit(OrgLevel.Community, sibling);
    const officer = await asRole(Role.StreetOfficer, chain.street);

    const list = await t.http().get('/org/units').query({ limit: 500 }).set('Authorization', officer).expect(200);
    const ids = (list.body.items as UnitBody[]).map((u) => u.id).sort();
    expect(ids).toEqual([chain.city.id, chain.district.id, chain.street.id, chain.community.id, chain.grid.id].sort());
    expect(list.body.total).toBe(5);

    const communities = await t.http().get('/org/units').query({ level: 'community', under: chain.district.id }).set('Authorization', officer).expect(200);
    expect((communities.body.items as UnitBody[]).map((u) => u.id)).toEqual([chain.community.id]);

    await t.http().get(`/org/units/${chain.district.id}`).set('Authorization', officer).expect(200);
    await t.http().get(`/org/units/${siblingCommunity.id}`).set('Authorization', officer).expect(404);
    await t.http().get('/org/units').query({ under: sibling.id }).set('Authorization', officer).expect(403);
    await t.http().patch(`/org/units/${chain.district.id}`).set('Authorization', officer).send({ name: '改名' }).expect(403);
    await t.http().patch(`/org/units/${chain.community.id}`).set('Authorization', officer).send({ name: '锦里社区（新）' }).expect(200);
  });

  it('finds units by name or code, case-insensitively, and pages with a total', async () => {
    const city = await t.factories.newUnit(OrgLevel.City, undefined, { code: code('qcity'), name: '寿县测试市' });
    for (let i = 0; i < 3; i++) await t.factories.newUnit(OrgLevel.District, city, { code: code('QD'), name: `区${i}` });
    const page = await t.http().get('/org/units').query({ parentId: city.id, limit: 2, offset: 0 }).set('Authorization', admin).expect(200);
    expect(page.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page.body.items).toHaveLength(2);
    const byCode = await t.http().get('/org/units').query({ q: city.code.toUpperCase() }).set('Authorization', admin).expect(200);
    expect((byCode.body.items as UnitBody[]).map((u) => u.id)).toEqual([city.id]);
    const byName = await t.http().get('/org/units').query({ q: '寿县测试' }).set('Authorization', admin).expect(200);
    expect((byName.body.items as UnitBody[]).map((u) => u.id)).toEqual([city.id]);
  });

  it('moves a community to another street of the same district and rewrites the paths of its whole subtree', async () => {
    const chain = await t.factories.newOrgChain();
    const newStreet = await t.factories.newUnit(OrgLevel.Street, chain.district);
    const district = await asRole(Role.DistrictOfficer, chain.district);
    const moved = await t.http().patch(`/org/units/${chain.community.id}`).set('Authorization', district).send({ parentId: newStreet.id }).expect(200);
    expect(moved.body.parentId).toBe(newStreet.id);
    const grid = await t.em().findOneOrFail(OrgUnit, { id: chain.grid.id });
    expect(grid.path).toBe(`${newStreet.path}${chain.community.id}/${chain.grid.id}/`);

    const streetOfficer = await asRole(Role.StreetOfficer, newStreet);
    await t.http().get(`/org/units/${chain.grid.id}`).set('Authorization', streetOfficer).expect(200);
    const oldStreetOfficer = await asRole(Role.StreetOfficer, chain.street);
    await t.http().get(`/org/units/${chain.grid.id}`).set('Authorization', oldStreetOfficer).expect(404);

    const wrongLevel = await t.http().patch(`/org/units/${chain.community.id}`).set('Authorization', district).send({ parentId: chain.district.id }).expect(400);
    expect(wrongLevel.body.details[0].field).toBe('parentId');
    const elsewhere = await t.factories.newOrgChain(chain.city);
    await t.http().patch(`/org/units/${chain.community.id}`).set('Authorization', district).send({ parentId: elsewhere.street.id }).expect(403);
  });
});
