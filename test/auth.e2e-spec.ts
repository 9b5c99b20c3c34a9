import { Role } from '@sc/core/identity/roles';
import { createTestApp, TEST_ADMIN, TestApp } from './support/test-app';

describe('authentication', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates the bootstrap administrator on first start, who can log in and read their grants', async () => {
    const auth = await t.login(TEST_ADMIN.username, TEST_ADMIN.password);
    const me = await t.http().get('/auth/me').set('Authorization', auth).expect(200);
    expect(me.body).toMatchObject({ kind: 'account', name: TEST_ADMIN.username, grants: [{ role: Role.Admin }] });
  });

  it('answers a wrong password and an unknown user with the same 401', async () => {
    const wrong = await t.http().post('/auth/login').send({ username: TEST_ADMIN.username, password: 'nope' }).expect(401);
    const unknown = await t.http().post('/auth/login').send({ username: 'nobody', password: 'nope' }).expect(401);
    expect(wrong.body.message).toBe(unknown.body.message);
  });

  it('rejects a forged token', async () => {
    const res = await t.http().get('/auth/me').set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.xxxx').expect(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it('stops a disabled account at its next request, even with a valid token', async () => {
    const { account, username, password } = await t.factories.newAccount(Role.CityOfficer);
    const auth = await t.login(username, password);
    await t.http().get('/auth/me').set('Authorization', auth).expect(200);
    const em = t.em();
    await em.nativeUpdate('Account', { id: account.id }, { active: false });
    await t.http().get('/auth/me').set('Authorization', auth).expect(401);
  });

  it('names every wrong field of a login body in a 400', async () => {
    const res = await t.http().post('/auth/login').send({ username: 5 }).expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['username', 'password']));
  });
});
