import { randomBytes } from 'node:crypto';
import { Role } from '@sc/core/identity/roles';
import type { TestApp } from '../support/test-app';
import { RouteCase, ScopeWorld } from './route-case';

function fresh(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A community worker of A's community, holding a grid role too, created by the admin through the API. */
async function arrangeAccount(world: ScopeWorld, t: TestApp): Promise<void> {
  const res = await t
    .http()
    .post('/accounts')
    .set('Authorization', world.admin)
    .send({
      username: fresh('target'),
      displayName: '目标账号',
      password: 'target-password-123',
      roles: [
        { role: Role.CommunityWorker, orgUnitId: world.a.community.id },
        { role: Role.GridWorker, orgUnitId: world.a.grid.id },
      ],
    });
  if (res.status !== 201) throw new Error(`arranging an account failed: ${res.status} ${JSON.stringify(res.body)}`);
  const body = res.body as { id: string; roles: { id: string; role: Role }[] };
  world.ids.account = body.id;
  world.ids.gridGrant = body.roles.find((r) => r.role === Role.GridWorker)?.id ?? '';
}

/** An API key of A's property company. */
async function arrangeApiKey(world: ScopeWorld, t: TestApp): Promise<void> {
  const res = await t.http().post('/api-keys').set('Authorization', world.admin).send({ companyId: world.a.company.id, name: 'ERP' });
  if (res.status !== 201) throw new Error(`arranging an API key failed: ${res.status} ${JSON.stringify(res.body)}`);
  world.ids.apiKey = (res.body as { id: string }).id;
}

export const accountsCases: RouteCase[] = [
  {
    method: 'POST',
    path: '/accounts',
    // The new account's role is anchored in A, so an outsider is refused even though they may create accounts.
    request: (w) => ({
      url: '/accounts',
      body: {
        username: fresh('new'),
        displayName: '新社工',
        password: 'new-password-1234',
        roles: [{ role: Role.CommunityWorker, orgUnitId: w.a.community.id }],
      },
    }),
  },
  { method: 'GET', path: '/accounts', request: (w) => ({ url: `/accounts?orgUnitId=${w.a.community.id}` }) },
  { method: 'GET', path: '/accounts/:id', arrange: arrangeAccount, request: (w) => ({ url: `/accounts/${w.ids.account}` }) },
  {
    method: 'PATCH',
    path: '/accounts/:id',
    arrange: arrangeAccount,
    request: (w) => ({ url: `/accounts/${w.ids.account}`, body: { displayName: '改名' } }),
  },
  { method: 'POST', path: '/accounts/:id/disable', arrange: arrangeAccount, request: (w) => ({ url: `/accounts/${w.ids.account}/disable` }) },
  { method: 'POST', path: '/accounts/:id/enable', arrange: arrangeAccount, request: (w) => ({ url: `/accounts/${w.ids.account}/enable` }) },
  {
    method: 'POST',
    path: '/accounts/:id/password',
    arrange: arrangeAccount,
    request: (w) => ({ url: `/accounts/${w.ids.account}/password`, body: { password: 'reset-password-1234' } }),
  },
  {
    method: 'POST',
    path: '/accounts/:id/roles',
    arrange: arrangeAccount,
    request: (w) => ({ url: `/accounts/${w.ids.account}/roles`, body: { role: Role.OwnersCommittee, compoundId: w.a.compound.id } }),
  },
  {
    method: 'DELETE',
    path: '/accounts/:id/roles/:grantId',
    arrange: arrangeAccount,
    request: (w) => ({ url: `/accounts/${w.ids.account}/roles/${w.ids.gridGrant}` }),
  },
  {
    method: 'POST',
    path: '/api-keys',
    request: (w) => ({ url: '/api-keys', body: { companyId: w.a.company.id, name: fresh('erp') } }),
  },
  { method: 'GET', path: '/api-keys', arrange: arrangeApiKey, request: (w) => ({ url: `/api-keys?companyId=${w.a.company.id}` }) },
  { method: 'DELETE', path: '/api-keys/:id', arrange: arrangeApiKey, request: (w) => ({ url: `/api-keys/${w.ids.apiKey}` }) },
  { method: 'GET', path: '/roles', access: 'global', request: () => ({ url: '/roles' }) },
  {
    method: 'POST',
    path: '/auth/password',
    access: 'self',
    request: () => ({ url: '/auth/password', body: { currentPassword: 'whatever-it-was', newPassword: 'a-new-password-123' } }),
  },
];
