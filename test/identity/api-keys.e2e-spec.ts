import { ApiKey } from '@sc/core/identity/entities/api-key.entity';
import { Role } from '@sc/core/identity/roles';
import { hashToken } from '@sc/core/shared/secret-hash';
import { OrgChain } from '@sc/testing';
import { createTestApp, TestApp } from '../support/test-app';

describe('API keys of property companies', () => {
  let t: TestApp;
  let a: OrgChain;
  let b: OrgChain;
  let districtOfficerA: string;

  beforeAll(async () => {
    t = await createTestApp();
    a = await t.factories.newOrgChain();
    b = await t.factories.newOrgChain(a.city);
    const officer = await t.factories.newAccount(Role.DistrictOfficer, { orgUnit: a.district });
    districtOfficerA = await t.login(officer.username, officer.password);
  });
  afterAll(async () => {
    await t.close();
  });

  async function createKey(auth: string, companyId: string): Promise<{ id: string; key: string }> {
    const res = await t.http().post('/api-keys').set('Authorization', auth).send({ companyId, name: '物业ERP' }).expect(201);
    return res.body as { id: string; key: string };
  }

  it('authenticates with X-API-Key as the company system, and is refused at once after revocation', async () => {
    const { id, key } = await createKey(districtOfficerA, a.company.id);
    expect(key).toMatch(/^sck_[A-Za-z0-9]{16}\.[A-Za-z0-9_-]{20,}$/);
    const me = await t.http().get('/auth/me').set('X-API-Key', key).expect(200);
    expect(me.body).toMatchObject({ kind: 'api_key', id, grants: [{ role: Role.CompanySystem, companyId: a.company.id }] });
    await t.http().delete(`/api-keys/${id}`).set('Authorization', districtOfficerA).expect(204);
    await t.http().get('/auth/me').set('X-API-Key', key).expect(401);
  });

  it('stores only the hash of the key and never shows it again', async () => {
    const { id, key } = await createKey(districtOfficerA, a.company.id);
    const row = await t.em().findOneOrFail(ApiKey, { id });
    expect(row.secretHash).toBe(hashToken(key));
    expect(row.secretHash).not.toContain(key.split('.')[1]);
    const list = await t.http().get(`/api-keys?companyId=${a.company.id}`).set('Authorization', districtOfficerA).expect(200);
    const listed = (list.body as { id: string }[]).find((k) => k.id === id);
    expect(listed).toMatchObject({ id, companyId: a.company.id, role: Role.CompanySystem });
    expect(JSON.stringify(list.body)).not.toContain(key.split('.')[1]);
    expect(JSON.stringify(list.body)).not.toContain(row.secretHash);
  });

  it('refuses a key for a company with no compound in the officer\'s district, and hides its keys', async () => {
    const res = await t.http().post('/api-keys').set('Authorization', districtOfficerA).send({ companyId: b.company.id, name: 'x' }).expect(403);
    expect(res.body.message).toMatch(/outside your scope/);
    const { id } = await createKey(await t.adminAuth(), b.company.id);
    await t.http().get(`/api-keys?companyId=${b.company.id}`).set('Authorization', districtOfficerA).expect(404);
    const all = await t.http().get('/api-keys').set('Authorization', districtOfficerA).expect(200);
    expect((all.body as { id: string }[]).map((k) => k.id)).not.toContain(id);
    await t.http().delete(`/api-keys/${id}`).set('Authorization', districtOfficerA).expect(404);
  });

  it('does not let a street officer or a company system manage keys', async () => {
    const street = await t.factories.newAccount(Role.StreetOfficer, { orgUnit: a.street });
    const streetAuth = await t.login(street.username, street.password);
    await t.http().post('/api-keys').set('Authorization', streetAuth).send({ companyId: a.company.id, name: 'x' }).expect(403);
    const { key } = await createKey(districtOfficerA, a.company.id);
    await t.http().post('/api-keys').set('X-API-Key', key).send({ companyId: a.company.id, name: 'x' }).expect(403);
    await t.http().post('/auth/password').set('X-API-Key', key).send({ currentPassword: 'x', newPassword: 'some-new-password' }).expect(403);
  });

  it('rejects a malformed or unknown key with 401', async () => {
    await t.http().get('/auth/me').set('X-API-Key', 'not-a-key').expect(401);
    await t.http().get('/auth/me').set('X-API-Key', 'sck_0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').expect(401);
  });
});
