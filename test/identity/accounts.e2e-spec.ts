import { Account } from '@sc/core/identity/entities/account.entity';
import { Role } from '@sc/core/identity/roles';
import { OrgChain } from '@sc/testing';
import { createTestApp, TestApp } from '../support/test-app';

describe('accounts', () => {
  let t: TestApp;
  let a: OrgChain;
  let b: OrgChain;
  let streetOfficerA: string;

  beforeAll(async () => {
    t = await createTestApp();
    a = await t.factories.newOrgChain();
    b = await t.factories.newOrgChain(a.city);
    const officer = await t.factories.newAccount(Role.StreetOfficer, { orgUnit: a.street });
    streetOfficerA = await t.login(officer.username, officer.password);
  });
  afterAll(async () => {
    await t.close();
  });

  let counter = 0;
  function newAccountBody(roles: Record<string, string>[], password = 'a-long-password-1'): Record<string, unknown> {
    counter += 1;
    return { username: `Person.${counter}.${Date.now()}`, displayName: `社工 ${counter}`, password, roles };
  }

  it('lets a street officer create a community worker in a community of their street', async () => {
    const body = newAccountBody([{ role: Role.CommunityWorker, orgUnitId: a.community.id }]);
    const res = await t.http().post('/accounts').set('Authorization', streetOfficerA).send(body).expect(201);
    expect(res.body).toMatchObject({
      username: String(body.username).toLowerCase(),
      active: true,
      roles: [{ role: Role.CommunityWorker, orgUnitId: a.community.id, label: { zh: '社区工作者' } }],
    });
    expect(JSON.stringify(res.body)).not.toMatch(/scrypt|passwordHash/);
    await t.login(String(body.username), String(body.password));
  });

  it("refuses a street officer a community of another street, saying it is outside the assigner's scope, and writes nothing", async () => {
    const body = newAccountBody([{ role: Role.CommunityWorker, orgUnitId: b.community.id }]);
    const res = await t.http().post('/accounts').set('Authorization', streetOfficerA).send(body).expect(403);
    expect(res.body.message).toMatch(/outside the assigner's scope/);
    expect(await t.em().count(Account, { username: String(body.username).toLowerCase() })).toBe(0);
  });

  it('writes no account when its second role is refused (one transaction)', async () => {
    const body = newAccountBody([
      { role: Role.CommunityWorker, orgUnitId: a.community.id },
      { role: Role.GridWorker, orgUnitId: b.grid.id },
    ]);
    await t.http().post('/accounts').set('Authorization', streetOfficerA).send(body).expect(403);
    expect(await t.em().count(Account, { username: String(body.username).toLowerCase() })).toBe(0);
  });

  it('does not let a street officer grant admin, nor a role at their own street above them', async () => {
    const admin = await t.http().post('/accounts').set('Authorization', streetOfficerA).send(newAccountBody([{ role: Role.Admin }])).expect(403);
    expect(admin.body.message).toMatch(/admin/);
    const district = newAccountBody([{ role: Role.DistrictOfficer, orgUnitId: a.district.id }]);
    await t.http().post('/accounts').set('Authorization', streetOfficerA).send(district).expect(403);
  });

  it('answers a grid role on a unit that is not a grid with a 400 naming orgUnitId', async () => {
    const created = await t
      .http()
      .post('/accounts')
      .set('Authorization', streetOfficerA)
      .send(newAccountBody([{ role: Role.CommunityWorker, orgUnitId: a.community.id }]))
      .expect(201);
    const res = await t
      .http()
      .post(`/accounts/${created.body.id}/roles`)
      .set('Authorization', streetOfficerA)
      .send({ role: Role.GridWorker, orgUnitId: a.community.id })
      .expect(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'orgUnitId' })]);
    const onCreate = await t
      .http()
      .post('/accounts')
      .set('Authorization', streetOfficerA)
      .send(newAccountBody([{ role: Role.GridWorker, orgUnitId: a.street.id }]))
      .expect(400);
    expect(onCreate.body.details).toEqual([expect.objectContaining({ field: 'roles.0.orgUnitId' })]);
  });

  it('stores the password as a scrypt hash, never as given', async () => {
    const body = newAccountBody([{ role: Role.CommunityWorker, orgUnitId: a.community.id }], 'plain-text-password-9');
    const res = await t.http().post('/accounts').set('Authorization', streetOfficerA).send(body).expect(201);
    const row = await t.em().findOneOrFail(Account, { id: res.body.id }, { populate: ['passwordHash'] });
    expect(row.passwordHash).not.toBe('plain-text-password-9');
    expect(row.passwordHash.startsWith('scrypt$')).toBe(true);
  });

  it('answers a taken username, in any case, with a 409 naming username', async () => {
    const body = newAccountBody([{ role: Role.CommunityWorker, orgUnitId: a.community.id }]);
    await t.http().post('/accounts').set('Authorization', streetOfficerA).send(body).expect(201);
    const again = { ...body, username: String(body.username).toUpperCase() };
    const res = await t.http().post('/accounts').set('Authorization', streetOfficerA).send(again).expect(409);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'username' })]);
  });

  it('refuses a short password with a 400 naming password', async () => {
    const res = await t
      .http()
      .post('/accounts')
      .set('Authorization', streetOfficerA)
      .send(newAccountBody([{ role: Role.CommunityWorker, orgUnitId: a.community.id }], 'short'))
      .expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain('password');
  });

  it("lists only accounts with a role in the viewer's scope, and hides others behind a 404", async () => {
    const outsider = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: b.community });
    const insider = await t.factories.newAccount(Role.GridWorker, { orgUnit: a.grid });
    const list = await t.http().get('/accounts?limit=500').set('Authorization', streetOfficerA).expect(200);
    const ids = (list.body.items as { id: string }[]).map((i) => i.id);
    expect(ids).toContain(insider.account.id);
    expect(ids).not.toContain(outsider.account.id);
    expect(list.body.total).toBe(ids.length);
    await t.http().get(`/accounts/${outsider.account.id}`).set('Authorization', streetOfficerA).expect(404);
    await t.http().get(`/accounts/${insider.account.id}`).set('Authorization', streetOfficerA).expect(200);
    const admin = await t.http().get('/accounts?limit=500').set('Authorization', await t.adminAuth()).expect(200);
    expect((admin.body.items as { id: string }[]).map((i) => i.id)).toEqual(expect.arrayContaining([insider.account.id, outsider.account.id]));
  });

  it('stops a disabled account at login and lets it in again once enabled', async () => {
    const worker = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: a.community });
    const before = await t.login(worker.username, worker.password);
    await t.http().post(`/accounts/${worker.account.id}/disable`).set('Authorization', streetOfficerA).expect(200);
    await t.http().post('/auth/login').send({ username: worker.username, password: worker.password }).expect(401);
    await t.http().get('/auth/me').set('Authorization', before).expect(401);
    const enabled = await t.http().post(`/accounts/${worker.account.id}/enable`).set('Authorization', streetOfficerA).expect(200);
    expect(enabled.body.active).toBe(true);
    await t.login(worker.username, worker.password);
  });

  it('lets an assigner reset the password of an account in scope, but not of one outside it', async () => {
    const worker = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: a.community });
    const before = await t.login(worker.username, worker.password);
    await t.http().post(`/accounts/${worker.account.id}/password`).set('Authorization', streetOfficerA).send({ password: 'reset-by-officer-1' }).expect(204);
    await t.http().get('/auth/me').set('Authorization', before).expect(401);
    await t.login(worker.username, 'reset-by-officer-1');
    await t.http().post('/auth/login').send({ username: worker.username, password: worker.password }).expect(401);
    const outsider = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: b.community });
    await t.http().post(`/accounts/${outsider.account.id}/password`).set('Authorization', streetOfficerA).send({ password: 'reset-by-officer-1' }).expect(404);
  });

  it('refuses to change an account that also holds a role outside the assigner\'s scope', async () => {
    const worker = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: a.community });
    const admin = await t.adminAuth();
    await t.http().post(`/accounts/${worker.account.id}/roles`).set('Authorization', admin).send({ role: Role.CommunityWorker, orgUnitId: b.community.id }).expect(201);
    await t.http().get(`/accounts/${worker.account.id}`).set('Authorization', streetOfficerA).expect(200);
    await t.http().post(`/accounts/${worker.account.id}/password`).set('Authorization', streetOfficerA).send({ password: 'takeover-attempt-1' }).expect(403);
    await t.http().patch(`/accounts/${worker.account.id}`).set('Authorization', streetOfficerA).send({ displayName: 'x' }).expect(403);
  });

  it('renames an account and keeps the rest', async () => {
    const worker = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: a.community });
    const res = await t.http().patch(`/accounts/${worker.account.id}`).set('Authorization', streetOfficerA).send({ displayName: '李四' }).expect(200);
    expect(res.body).toMatchObject({ id: worker.account.id, displayName: '李四', username: worker.username });
  });

  it('changes its own password only with the current one', async () => {
    const worker = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: a.community });
    const auth = await t.login(worker.username, worker.password);
    const wrong = await t
      .http()
      .post('/auth/password')
      .set('Authorization', auth)
      .send({ currentPassword: 'not-the-password', newPassword: 'my-new-password-1' })
      .expect(400);
    expect(wrong.body.details).toEqual([expect.objectContaining({ field: 'currentPassword' })]);
    await t.login(worker.username, worker.password);
    await t.http().post('/auth/password').set('Authorization', auth).send({ currentPassword: worker.password, newPassword: 'my-new-password-1' }).expect(204);
    await t.http().get('/auth/me').set('Authorization', auth).expect(401);
    const fresh = await t.login(worker.username, 'my-new-password-1');
    await t.http().get('/auth/me').set('Authorization', fresh).expect(200);
    await t.http().post('/auth/login').send({ username: worker.username, password: worker.password }).expect(401);
  });

  it('does not let an assigner reset or disable their own account through the assigner routes', async () => {
    const officer = await t.factories.newAccount(Role.StreetOfficer, { orgUnit: a.street });
    const auth = await t.login(officer.username, officer.password);
    await t.http().post(`/accounts/${officer.account.id}/password`).set('Authorization', auth).send({ password: 'no-current-needed' }).expect(403);
    await t.http().post(`/accounts/${officer.account.id}/disable`).set('Authorization', auth).expect(409);
  });

  it('serves the role catalogue with zh-CN labels and anchors to any authenticated principal', async () => {
    const worker = await t.factories.newAccount(Role.GridWorker, { orgUnit: a.grid });
    const res = await t.http().get('/roles').set('Authorization', await t.login(worker.username, worker.password)).expect(200);
    expect(res.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: Role.GridWorker, label: { zh: '网格员', en: 'Grid worker' }, anchor: { kind: 'unit', level: 'grid', field: 'orgUnitId' } }),
        expect.objectContaining({ role: Role.CompanySystem, grantable: false }),
      ]),
    );
  });
});
