import { Account } from '@sc/core/identity/entities/account.entity';
import { RoleAssignment } from '@sc/core/identity/entities/role-assignment.entity';
import { Role } from '@sc/core/identity/roles';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { GridWorker } from '@sc/core/org/entities/grid-worker.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { OrgChain } from '@sc/testing';
import { createTestApp, TEST_ADMIN, TestApp } from '../support/test-app';

describe('role grants', () => {
  let t: TestApp;
  let a: OrgChain;
  let b: OrgChain;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    a = await t.factories.newOrgChain();
    b = await t.factories.newOrgChain(a.city);
    admin = await t.adminAuth();
  });
  afterAll(async () => {
    await t.close();
  });

  async function grantIdOf(accountId: string, role: Role): Promise<string> {
    const grant = await t.em().findOneOrFail(RoleAssignment, { account: accountId, role });
    return grant.id;
  }

  it('stops a revoked role at the very next request of a logged-in account', async () => {
    const worker = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: a.community });
    const auth = await t.login(worker.username, worker.password);
    await t.http().get(`/accounts?orgUnitId=${a.community.id}`).set('Authorization', auth).expect(200);
    const grantId = await grantIdOf(worker.account.id, Role.CommunityWorker);
    await t.http().delete(`/accounts/${worker.account.id}/roles/${grantId}`).set('Authorization', admin).expect(204);
    await t.http().get(`/accounts?orgUnitId=${a.community.id}`).set('Authorization', auth).expect(403);
    const me = await t.http().get('/auth/me').set('Authorization', auth).expect(200);
    expect(me.body.grants).toEqual([]);
  });

  it('answers the same grant twice with a 409', async () => {
    const worker = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: a.community });
    const body = { role: Role.GridWorker, orgUnitId: a.grid.id };
    const first = await t.http().post(`/accounts/${worker.account.id}/roles`).set('Authorization', admin).send(body).expect(201);
    expect(first.body).toMatchObject({ role: Role.GridWorker, orgUnitId: a.grid.id, anchorName: a.grid.name });
    await t.http().post(`/accounts/${worker.account.id}/roles`).set('Authorization', admin).send(body).expect(409);
    expect(await t.em().count(RoleAssignment, { account: worker.account.id, role: Role.GridWorker })).toBe(1);
  });

  it('names the anchor field a role needs when it is missing or of the wrong kind', async () => {
    const worker = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: a.community });
    const url = `/accounts/${worker.account.id}/roles`;
    const missing = await t.http().post(url).set('Authorization', admin).send({ role: Role.OwnersCommittee }).expect(400);
    expect(missing.body.details).toEqual([expect.objectContaining({ field: 'compoundId' })]);
    const wrongKind = await t.http().post(url).set('Authorization', admin).send({ role: Role.PropertyStaff, companyId: a.company.id, orgUnitId: a.grid.id }).expect(400);
    expect(wrongKind.body.details).toEqual([expect.objectContaining({ field: 'orgUnitId' })]);
    const apiOnly = await t.http().post(url).set('Authorization', admin).send({ role: Role.CompanySystem, companyId: a.company.id }).expect(400);
    expect(apiOnly.body.details).toEqual([expect.objectContaining({ field: 'role' })]);
  });

  it('lets a community worker grant a committee role on a compound of their community, not of another', async () => {
    const worker = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: a.community });
    const auth = await t.login(worker.username, worker.password);
    const member = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: a.community });
    await t.http().post(`/accounts/${member.account.id}/roles`).set('Authorization', auth).send({ role: Role.OwnersCommittee, compoundId: a.compound.id }).expect(201);
    const res = await t
      .http()
      .post(`/accounts/${member.account.id}/roles`)
      .set('Authorization', auth)
      .send({ role: Role.ResidentsCommittee, compoundId: b.compound.id })
      .expect(403);
    expect(res.body.message).toMatch(/outside the assigner's scope/);
  });

  it("grants a company role only when all of the company's compounds lie in the assigner's scope", async () => {
    const officer = await t.factories.newAccount(Role.StreetOfficer, { orgUnit: a.street });
    const auth = await t.login(officer.username, officer.password);
    const worker = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: a.community });
    const url = `/accounts/${worker.account.id}/roles`;
    await t.http().post(url).set('Authorization', auth).send({ role: Role.PropertyStaff, companyId: a.company.id }).expect(201);
    // B's company also manages a compound in A: staff of it would see B's compound too.
    const em = t.em();
    em.create(Compound, { code: `x-${Date.now()}`, name: '跨街道小区', community: em.getReference(OrgUnit, a.community.id), propertyCompany: b.company.id });
    await em.flush();
    await t.http().post(url).set('Authorization', auth).send({ role: Role.PropertyStaff, companyId: b.company.id }).expect(403);
    await t.http().post(url).set('Authorization', admin).send({ role: Role.PropertyStaff, companyId: b.company.id }).expect(201);
  });

  it('lets an administrator grant admin, and refuses to revoke their own last admin grant', async () => {
    const created = await t
      .http()
      .post('/accounts')
      .set('Authorization', admin)
      .send({ username: 'second-admin', displayName: '第二管理员', password: 'second-admin-password', roles: [{ role: Role.Admin }] })
      .expect(201);
    const second = await t.login('second-admin', 'second-admin-password');
    const ownGrant = (created.body.roles as { id: string }[])[0].id;
    const res = await t.http().delete(`/accounts/${created.body.id}/roles/${ownGrant}`).set('Authorization', second).expect(409);
    expect(res.body.message).toMatch(/last admin grant/);
    // Another administrator may take it away.
    await t.http().delete(`/accounts/${created.body.id}/roles/${ownGrant}`).set('Authorization', admin).expect(204);
    const bootstrap = await t.em().findOneOrFail(Account, { username: TEST_ADMIN.username });
    expect(await t.em().count(RoleAssignment, { account: bootstrap.id, role: Role.Admin })).toBe(1);
  });

  it('does not let a street officer revoke an admin grant, nor a grant outside their street', async () => {
    const officer = await t.factories.newAccount(Role.StreetOfficer, { orgUnit: a.street });
    const auth = await t.login(officer.username, officer.password);
    const other = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: a.community });
    await t.http().post(`/accounts/${other.account.id}/roles`).set('Authorization', admin).send({ role: Role.CommunityWorker, orgUnitId: b.community.id }).expect(201);
    const outsideGrant = await t.em().findOneOrFail(RoleAssignment, { account: other.account.id, orgUnit: b.community.id });
    await t.http().delete(`/accounts/${other.account.id}/roles/${outsideGrant.id}`).set('Authorization', auth).expect(403);
    await t.http().post(`/accounts/${other.account.id}/roles`).set('Authorization', admin).send({ role: Role.Admin }).expect(201);
    const adminGrant = await grantIdOf(other.account.id, Role.Admin);
    await t.http().delete(`/accounts/${other.account.id}/roles/${adminGrant}`).set('Authorization', auth).expect(403);
  });

  it('links a grid worker of the roster in scope, refuses one outside it, and unlinks with null', async () => {
    const em = t.em();
    const inside = em.create(GridWorker, { code: `gw-${Date.now()}-a`, name: '张网格', grid: em.getReference(OrgUnit, a.grid.id) });
    const outside = em.create(GridWorker, { code: `gw-${Date.now()}-b`, name: '李网格', grid: em.getReference(OrgUnit, b.grid.id) });
    await em.flush();
    const officer = await t.factories.newAccount(Role.StreetOfficer, { orgUnit: a.street });
    const auth = await t.login(officer.username, officer.password);
    const created = await t
      .http()
      .post('/accounts')
      .set('Authorization', auth)
      .send({ username: `gw-${Date.now()}`, displayName: '张网格', password: 'grid-worker-password', roles: [{ role: Role.GridWorker, orgUnitId: a.grid.id }], gridWorkerId: inside.id })
      .expect(201);
    expect(created.body.gridWorkerId).toBe(inside.id);
    await t.http().patch(`/accounts/${created.body.id}`).set('Authorization', auth).send({ gridWorkerId: outside.id }).expect(403);
    const unlinked = await t.http().patch(`/accounts/${created.body.id}`).set('Authorization', auth).send({ gridWorkerId: null }).expect(200);
    expect(unlinked.body.gridWorkerId).toBeUndefined();
  });
});
