import { randomBytes } from 'node:crypto';
import { Account } from '@sc/core/identity/entities/account.entity';
import { RoleAssignment } from '@sc/core/identity/entities/role-assignment.entity';
import { Role } from '@sc/core/identity/roles';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { PropertyCompany } from '@sc/core/org/entities/property-company.entity';
import { OrgLevel } from '@sc/core/org/org-level';
import { OrgChain } from '@sc/testing';
import { createTestApp, TestApp } from '../support/test-app';

interface Listed {
  items: { id: string; code: string; siteId: string }[];
  total: number;
}

/**
 * Who sees which devices. A: a community with two compounds, one managed by A's company and
 * one by B's company; B: another community in the same city.
 */
describe('device scope', () => {
  let t: TestApp;
  let admin: string;
  let a: OrgChain;
  let b: OrgChain;
  let otherCompound: Compound;
  const ids: Record<string, string> = {};

  async function auth(role: Role, anchor: Parameters<TestApp['factories']['newAccount']>[1]): Promise<string> {
    const { username, password } = await t.factories.newAccount(role, anchor);
    return t.login(username, password);
  }

  async function provision(name: string, body: Record<string, unknown>): Promise<void> {
    const res = await t.http().post('/devices').set('Authorization', admin).send({ code: `${name}-${randomBytes(4).toString('hex')}`, type: 'smoke', ...body });
    if (res.status !== 201) throw new Error(`provisioning ${name} failed: ${res.status} ${JSON.stringify(res.body)}`);
    ids[name] = (res.body as { id: string }).id;
  }

  async function listIds(header: string, query = ''): Promise<string[]> {
    const res = await t.http().get(`/devices${query}`).set('Authorization', header).expect(200);
    return (res.body as Listed).items.map((d) => d.id).sort();
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.adminAuth();
    a = await t.factories.newOrgChain();
    b = await t.factories.newOrgChain(a.city);
    const em = t.em();
    // A second compound in A's community, managed by B's company.
    otherCompound = em.create(Compound, {
      code: `cp-${randomBytes(4).toString('hex')}`,
      name: '另一小区',
      community: em.getReference(OrgUnit, a.community.id),
      propertyCompany: em.getReference(PropertyCompany, b.company.id),
    });
    await em.flush();
    await provision('inCompanyCompound', { communityId: a.community.id, compoundId: a.compound.id, buildingId: a.building.id });
    await provision('inOtherCompound', { communityId: a.community.id, compoundId: otherCompound.id });
    await provision('communityOnly', { communityId: a.community.id });
    await provision('inB', { communityId: b.community.id, compoundId: b.compound.id });
  });
  afterAll(async () => {
    await t.close();
  });

  it("shows property staff the devices of their company's compounds only", async () => {
    const staff = await auth(Role.PropertyStaff, { company: a.company });
    expect(await listIds(staff)).toEqual([ids.inCompanyCompound]);
    await t.http().get(`/devices/${ids.inCompanyCompound}`).set('Authorization', staff).expect(200);
    for (const id of [ids.inOtherCompound, ids.communityOnly, ids.inB]) {
      await t.http().get(`/devices/${id}`).set('Authorization', staff).expect(404);
    }
  });

  it("lets property staff provision in their company's compound, but not in the community at large", async () => {
    const staff = await auth(Role.PropertyStaff, { company: a.company });
    const base = { type: 'water_leak', communityId: a.community.id };
    await t.http().post('/devices').set('Authorization', staff).send({ ...base, code: `ps-${randomBytes(4).toString('hex')}`, compoundId: a.compound.id }).expect(201);
    await t.http().post('/devices').set('Authorization', staff).send({ ...base, code: `ps-${randomBytes(4).toString('hex')}` }).expect(403);
    await t.http().post('/devices').set('Authorization', staff).send({ ...base, code: `ps-${randomBytes(4).toString('hex')}`, compoundId: otherCompound.id }).expect(403);
  });

  it('shows a community worker every device of their community and none of another', async () => {
    const worker = await auth(Role.CommunityWorker, { orgUnit: a.community });
    const mine = await listIds(worker);
    expect(mine).toEqual(expect.arrayContaining([ids.inCompanyCompound, ids.inOtherCompound, ids.communityOnly]));
    expect(mine).not.toContain(ids.inB);
  });

  it('keeps a community worker of another community out of every device route of A', async () => {
    const outsider = await auth(Role.CommunityWorker, { orgUnit: b.community });
    const id = ids.inCompanyCompound;
    const calls: [string, () => ReturnType<ReturnType<TestApp['http']>['get']>][] = [
      ['get', () => t.http().get(`/devices/${id}`)],
      ['patch', () => t.http().patch(`/devices/${id}`).send({ location: 'x' })],
      ['rotate', () => t.http().post(`/devices/${id}/credentials`)],
      ['disable', () => t.http().post(`/devices/${id}/disable`)],
      ['enable', () => t.http().post(`/devices/${id}/enable`)],
      ['filter by community', () => t.http().get(`/devices?communityId=${a.community.id}`)],
      ['filter by compound', () => t.http().get(`/devices?compoundId=${a.compound.id}`)],
      ['filter by grid', () => t.http().get(`/devices?gridId=${a.grid.id}`)],
      ['provision', () => t.http().post('/devices').send({ code: `x-${randomBytes(4).toString('hex')}`, type: 'smoke', communityId: a.community.id })],
    ];
    for (const [what, call] of calls) {
      const res = await call().set('Authorization', outsider);
      expect({ what, rejected: [403, 404].includes(res.status) }).toEqual({ what, rejected: true });
    }
    expect(await listIds(outsider)).toEqual([ids.inB]);
  });

  it("shows a principal holding two roles the union of both scopes, devices without a compound included", async () => {
    const { account, username, password } = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: a.community });
    const em = t.em();
    em.create(RoleAssignment, { account: em.getReference(Account, account.id), role: Role.PropertyStaff, propertyCompany: em.getReference(PropertyCompany, b.company.id) });
    await em.flush();
    const both = await t.login(username, password);
    expect(await listIds(both)).toEqual(expect.arrayContaining([ids.inCompanyCompound, ids.inOtherCompound, ids.communityOnly, ids.inB]));
  });

  it('lets a street officer filter by a community below them, and see its devices', async () => {
    const officer = await auth(Role.StreetOfficer, { orgUnit: a.street });
    const res = await t.http().get(`/devices?communityId=${a.community.id}`).set('Authorization', officer).expect(200);
    const listed = res.body as Listed;
    expect(listed.items.map((d) => d.id)).toEqual(expect.arrayContaining([ids.inCompanyCompound, ids.inOtherCompound, ids.communityOnly]));
    expect(new Set(listed.items.map((d) => d.siteId))).toEqual(new Set([a.community.code]));
    expect(listed.total).toBe(listed.items.length);
  });

  it("shows a grid worker the devices of their grid, read-only", async () => {
    const gridWorker = await auth(Role.GridWorker, { orgUnit: a.grid });
    expect(await listIds(gridWorker)).toEqual([ids.inCompanyCompound]);
    await t.http().get(`/devices/${ids.inCompanyCompound}`).set('Authorization', gridWorker).expect(200);
    // Grid workers have no DevicesWrite at all.
    await t.http().post(`/devices/${ids.inCompanyCompound}/disable`).set('Authorization', gridWorker).expect(403);
  });

  it('filters by type, enabled state and text, and pages with a total', async () => {
    const grid = await t.factories.newUnit(OrgLevel.Grid, b.community);
    for (let i = 0; i < 3; i += 1) {
      await t.http().post('/devices').set('Authorization', admin).send({ code: `page-${i}-${randomBytes(3).toString('hex')}`, type: 'elevator', communityId: b.community.id, gridId: grid.id, location: `电梯${i}号` }).expect(201);
    }
    const page = await t.http().get(`/devices?gridId=${grid.id}&type=elevator&limit=2&offset=0`).set('Authorization', admin).expect(200);
    expect(page.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page.body.items).toHaveLength(2);
    const text = await t.http().get(`/devices?gridId=${grid.id}&q=${encodeURIComponent('电梯1')}`).set('Authorization', admin).expect(200);
    expect(text.body.total).toBe(1);
    const upper = await t.http().get(`/devices?gridId=${grid.id}&q=PAGE-2`).set('Authorization', admin).expect(200);
    expect(upper.body.total).toBe(1);
    const disabled = await t.http().get(`/devices?gridId=${grid.id}&enabled=false`).set('Authorization', admin).expect(200);
    expect(disabled.body.total).toBe(0);
    await t.http().get('/devices?type=toaster').set('Authorization', admin).expect(400);
  });
});
