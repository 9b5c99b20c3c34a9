import { Compound } from '@sc/core/org/entities/compound.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { PropertyCompany } from '@sc/core/org/entities/property-company.entity';
import { OrgLevel } from '@sc/core/org/org-level';
import { Role } from '@sc/core/identity/roles';
import { OrgChain } from '@sc/testing';
import { createTestApp, TestApp } from '../support/test-app';

type Anchor = { orgUnit?: OrgUnit; compound?: Compound; company?: PropertyCompany };

describe('compounds, buildings, companies, grid workers and parties', () => {
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

  async function as(role: Role, anchor: Anchor = {}): Promise<string> {
    const { username, password } = await t.factories.newAccount(role, anchor);
    return t.login(username, password);
  }

  const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id).sort();

  it('refuses a compound in a community outside the caller’s scope with 403, and in a unit that is no community with 400', async () => {
    const a = await t.factories.newOrgChain();
    const b = await t.factories.newOrgChain(a.city);
    const worker = await as(Role.CommunityWorker, { orgUnit: a.community });
    await t.http().post('/compounds').set('Authorization', worker).send({ code: code('CP'), name: '外面的小区', communityId: b.community.id }).expect(403);
    const created = await t.http().post('/compounds').set('Authorization', worker).send({ code: code('CP'), name: '锦里花园', communityCode: a.community.code }).expect(201);
    expect(created.body).toMatchObject({ communityId: a.community.id, propertyCompanyId: null });
    const grid = await t.http().post('/compounds').set('Authorization', admin).send({ code: code('CP'), name: '网格里', communityId: a.grid.id }).expect(400);
    expect(grid.body.details).toEqual([expect.objectContaining({ field: 'communityId' })]);
    const company = await t.http().post('/compounds').set('Authorization', admin).send({ code: code('CP'), name: '无此物业', communityId: a.community.id, propertyCompanyCode: 'NOPE' }).expect(400);
    expect(company.body.details[0].field).toBe('propertyCompanyCode');
  });

  it('refuses a building whose grid lies in another community with 400 naming gridId', async () => {
    const a = await t.factories.newOrgChain();
    const b = await t.factories.newOrgChain(a.city);
    const res = await t.http().post(`/compounds/${a.compound.id}/buildings`).set('Authorization', admin).send({ code: '9', name: '9号楼', gridId: b.grid.id }).expect(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'gridId' })]);
    const notGrid = await t.http().post(`/compounds/${a.compound.id}/buildings`).set('Authorization', admin).send({ code: '9', name: '9号楼', gridId: a.community.id }).expect(400);
    expect(notGrid.body.details[0].field).toBe('gridId');
    const ok = await t.http().post(`/compounds/${a.compound.id}/buildings`).set('Authorization', admin).send({ code: '9', name: '9号楼', gridId: a.grid.id, floors: 18 }).expect(201);
    expect(ok.body).toMatchObject({ compoundId: a.compound.id, gridId: a.grid.id, floors: 18 });
    const again = await t.http().post(`/compounds/${a.compound.id}/buildings`).set('Authorization', admin).send({ code: '9', name: '又一个9号楼' }).expect(409);
    expect(again.body.details[0].field).toBe('code');
    const listed = await t.http().get(`/compounds/${a.compound.id}/buildings`).set('Authorization', admin).expect(200);
    expect(listed.body.total).toBe(2);
    await t.http().patch(`/buildings/${ok.body.id as string}`).set('Authorization', admin).send({ gridId: null, floors: null }).expect(200);
    const offGrid = await t.http().get(`/buildings/${ok.body.id as string}`).set('Authorization', admin).expect(200);
    expect(offGrid.body).toMatchObject({ gridId: null, floors: null });
  });

  it('shows a property-company staff member only the compounds and buildings of their company', async () => {
    const a = await t.factories.newOrgChain();
    const b = await t.factories.newOrgChain(a.city);
    const second = await t.http().post('/compounds').set('Authorization', admin).send({ code: code('CP'), name: '锦里二期', communityId: b.community.id, propertyCompanyId: a.company.id }).expect(201);
    const staff = await as(Role.PropertyStaff, { company: a.company });
    const list = await t.http().get('/compounds').set('Authorization', staff).expect(200);
    expect(ids(list.body)).toEqual([a.compound.id, second.body.id as string].sort());
    await t.http().get(`/compounds/${b.compound.id}`).set('Authorization', staff).expect(404);
    await t.http().get(`/buildings/${a.building.id}`).set('Authorization', staff).expect(200);
    await t.http().get(`/buildings/${b.building.id}`).set('Authorization', staff).expect(404);
    await t.http().get('/compounds').query({ communityId: b.community.id }).set('Authorization', staff).expect(200);
    await t.http().get('/compounds').query({ propertyCompanyId: b.company.id }).set('Authorization', staff).expect(403);
    await t.http().patch(`/compounds/${a.compound.id}`).set('Authorization', staff).send({ name: 'x' }).expect(403);
  });

  it('shows a property company to its staff and to the officers of the compounds it manages, and lets only city and district officers register one', async () => {
    const a = await t.factories.newOrgChain();
    const b = await t.factories.newOrgChain(a.city);
    const staff = await as(Role.PropertyStaff, { company: a.company });
    const worker = await as(Role.CommunityWorker, { orgUnit: a.community });
    const district = await as(Role.DistrictOfficer, { orgUnit: a.district });
    await t.http().get(`/property-companies/${a.company.id}`).set('Authorization', staff).expect(200);
    await t.http().get(`/property-companies/${b.company.id}`).set('Authorization', staff).expect(404);
    await t.http().get(`/property-companies/${a.company.id}`).set('Authorization', worker).expect(200);
    await t.http().get(`/property-companies/${b.company.id}`).set('Authorization', worker).expect(404);
    const list = await t.http().get('/property-companies').set('Authorization', worker).expect(200);
    expect(ids(list.body)).toEqual([a.company.id]);
    await t.http().get('/property-companies').query({ under: b.community.id }).set('Authorization', worker).expect(403);

    await t.http().post('/property-companies').set('Authorization', worker).send({ code: code('PC'), name: '社区注册的物业' }).expect(403);
    const registered = await t.http().post('/property-companies').set('Authorization', district).send({ code: code('PC'), name: '区里注册的物业', creditCode: '91340400MA2N000000' }).expect(201);
    expect(registered.body).toMatchObject({ creditCode: '91340400MA2N000000', servicePhone: null });

    const updated = await t.http().patch(`/property-companies/${a.company.id}`).set('Authorization', worker).send({ servicePhone: '0554-1234567', creditCode: null }).expect(200);
    expect(updated.body).toMatchObject({ servicePhone: '0554-1234567', creditCode: null });
    const reread = await t.http().get(`/property-companies/${a.company.id}`).set('Authorization', staff).expect(200);
    expect(reread.body).toMatchObject({ servicePhone: '0554-1234567', creditCode: null });
    await t.http().patch(`/property-companies/${b.company.id}`).set('Authorization', worker).send({ name: 'x' }).expect(404);
  });

  it('keeps the grid-worker roster to grid-level units of the caller’s subtree', async () => {
    const a = await t.factories.newOrgChain();
    const b = await t.factories.newOrgChain(a.city);
    const street = await as(Role.StreetOfficer, { orgUnit: a.street });
    const notGrid = await t.http().post('/grid-workers').set('Authorization', street).send({ code: code('GW'), name: '王芳', gridId: a.community.id }).expect(400);
    expect(notGrid.body.details).toEqual([expect.objectContaining({ field: 'gridId' })]);
    await t.http().post('/grid-workers').set('Authorization', street).send({ code: code('GW'), name: '李强', gridId: b.grid.id }).expect(403);
    const mine = await t.http().post('/grid-workers').set('Authorization', street).send({ code: code('GW'), name: '王芳', gridCode: a.grid.code, fullTime: false }).expect(201);
    expect(mine.body).toMatchObject({ gridId: a.grid.id, fullTime: false, active: true });
    const theirs = await t.http().post('/grid-workers').set('Authorization', admin).send({ code: code('GW'), name: '赵敏', gridId: b.grid.id }).expect(201);
    const list = await t.http().get('/grid-workers').set('Authorization', street).expect(200);
    expect(ids(list.body)).toEqual([mine.body.id as string]);
    await t.http().get(`/grid-workers/${theirs.body.id as string}`).set('Authorization', street).expect(404);
    const moved = await t.http().patch(`/grid-workers/${mine.body.id as string}`).set('Authorization', street).send({ active: false }).expect(200);
    expect(moved.body.active).toBe(false);
  });

  describe('joint-meeting parties', () => {
    let a: OrgChain;
    beforeAll(async () => {
      a = await t.factories.newOrgChain();
    });

    it('requires a property_company party to name its company, and refuses a company on any other party', async () => {
      const missing = await t.http().post('/parties').set('Authorization', admin).send({ kind: 'property_company', name: '物业方', compoundId: a.compound.id }).expect(400);
      expect(missing.body.details[0].field).toBe('propertyCompanyId');
      const extra = await t.http().post('/parties').set('Authorization', admin).send({ kind: 'owners_committee', name: '业委会', compoundId: a.compound.id, propertyCompanyId: a.company.id }).expect(400);
      expect(extra.body.details[0].field).toBe('propertyCompanyId');
      const created = await t.http().post('/parties').set('Authorization', admin).send({ kind: 'property_company', name: '物业方', compoundId: a.compound.id, propertyCompanyCode: a.company.code, members: [{ name: '陈经理', title: '项目经理' }] }).expect(201);
      expect(created.body).toMatchObject({ communityId: a.community.id, compoundId: a.compound.id, propertyCompanyId: a.company.id, kindLabel: { zh: '物业服务企业' }, members: [{ name: '陈经理', title: '项目经理' }] });
    });

    it('refuses a compound outside the named community with 400, and a second party of the same kind and name with 409', async () => {
      const other = await t.factories.newUnit(OrgLevel.Community, a.street);
      const outside = await t.http().post('/parties').set('Authorization', admin).send({ kind: 'owners_committee', name: '业委会', communityId: other.id, compoundId: a.compound.id }).expect(400);
      expect(outside.body.details[0].field).toBe('compoundId');
      await t.http().post('/parties').set('Authorization', admin).send({ kind: 'party_organisation', name: '社区党委', communityId: a.community.id }).expect(201);
      const twice = await t.http().post('/parties').set('Authorization', admin).send({ kind: 'party_organisation', name: '社区党委', communityId: a.community.id }).expect(409);
      expect(twice.body.details[0].field).toBe('name');
    });

    it("shows an owners' committee member the parties of their compound and of their community, and adds members only for officers", async () => {
      const committee = await t.http().post('/parties').set('Authorization', admin).send({ kind: 'owners_committee', name: '第一届业委会', compoundId: a.compound.id }).expect(201);
      const residents = await t.http().post('/parties').set('Authorization', admin).send({ kind: 'residents_committee', name: '居委会', communityId: a.community.id }).expect(201);
      const elsewhere = await t.factories.newOrgChain(a.city);
      const foreign = await t.http().post('/parties').set('Authorization', admin).send({ kind: 'residents_committee', name: '别的居委会', communityId: elsewhere.community.id }).expect(201);
      const member = await as(Role.OwnersCommittee, { compound: a.compound });
      const list = await t.http().get('/parties').query({ communityId: a.community.id, limit: 100 }).set('Authorization', member).expect(200);
      const seen = ids(list.body);
      expect(seen).toEqual(expect.arrayContaining([committee.body.id as string, residents.body.id as string]));
      expect(seen).not.toContain(foreign.body.id);
      await t.http().get(`/parties/${foreign.body.id as string}`).set('Authorization', member).expect(404);
      await t.http().get('/parties').query({ communityId: elsewhere.community.id }).set('Authorization', member).expect(403);

      await t.http().post(`/parties/${committee.body.id as string}/members`).set('Authorization', member).send({ name: '业主' }).expect(403);
      const worker = await as(Role.CommunityWorker, { orgUnit: a.community });
      const added = await t.http().post(`/parties/${committee.body.id as string}/members`).set('Authorization', worker).send({ name: '周主任', title: '业委会主任' }).expect(201);
      await t.http().patch(`/parties/${committee.body.id as string}/members/${added.body.id as string}`).set('Authorization', worker).send({ title: null }).expect(200);
      const members = await t.http().get(`/parties/${committee.body.id as string}/members`).set('Authorization', member).expect(200);
      expect(members.body.items).toEqual([expect.objectContaining({ name: '周主任', title: null })]);
    });
  });
});
