import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { TokenService } from '../../apps/api/src/auth/token.service';
import { DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import { Role } from '@sc/core/identity/roles';
import { createTestApp, TestApp } from '../support/test-app';
import { authCases } from './auth.cases';
import { ConcreteRequest, RouteCase, ScopeWorld } from './route-case';
import { ROUTE_CASES } from './route-cases';

interface RegisteredRoute {
  method: RouteCase['method'];
  path: string;
}

/** Every route Nest registered, read from controller metadata. */
function registeredRoutes(t: TestApp): RegisteredRoute[] {
  const discovery = t.app.get(DiscoveryService);
  const scanner = t.app.get(MetadataScanner);
  const routes: RegisteredRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance || !wrapper.metatype) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, wrapper.metatype) ?? '');
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = (prototype as Record<string, unknown>)[name] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue;
      const full = `/${[base, path].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
      routes.push({ method: RequestMethod[method] as RouteCase['method'], path: full });
    }
  }
  return routes;
}

function send(t: TestApp, method: RouteCase['method'], req: ConcreteRequest, header?: string) {
  const agent = t.http();
  let call = method === 'GET' ? agent.get(req.url) : method === 'POST' ? agent.post(req.url) : method === 'PUT' ? agent.put(req.url) : method === 'PATCH' ? agent.patch(req.url) : agent.delete(req.url);
  if (header) call = call.set('Authorization', header);
  if (req.body !== undefined) {
    call = call.set('Content-Type', req.contentType ?? 'application/json');
    call = call.send(typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
  }
  return call;
}

describe('every route is authenticated and scoped', () => {
  let t: TestApp;
  const cases: RouteCase[] = [...authCases, ...ROUTE_CASES];

  beforeAll(async () => {
    t = await createTestApp({ imports: [DiscoveryModule] });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A token as login issues it (the login route itself is covered by auth.cases.ts), without paying scrypt per world. */
  async function tokenFor(accountId: string): Promise<string> {
    return `Bearer ${(await t.app.get(TokenService).issue(accountId)).accessToken}`;
  }

  async function newWorld(): Promise<ScopeWorld> {
    const a = await t.factories.newOrgChain();
    const b = await t.factories.newOrgChain(a.city);
    const insider = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: a.community });
    const outsiderWorker = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: b.community });
    const outsiderStaff = await t.factories.newAccount(Role.PropertyStaff, { company: b.company });
    return {
      a,
      b,
      admin: await t.adminAuth(),
      insider: await tokenFor(insider.account.id),
      outsiders: [
        { name: 'community worker of another community', header: await tokenFor(outsiderWorker.account.id) },
        { name: 'staff of another property company', header: await tokenFor(outsiderStaff.account.id) },
      ],
      ids: {},
    };
  }

  it('has a case for every registered route, and no case for a route that does not exist', () => {
    const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
    const registered = registeredRoutes(t).map(key).sort();
    const covered = cases.map(key).sort();
    expect(registered.filter((r) => !covered.includes(r))).toEqual([]);
    expect(covered.filter((c) => !registered.includes(c))).toEqual([]);
    expect(registered.length).toBeGreaterThan(10);
  });

  it('lets only login and health through without authentication', () => {
    expect(cases.filter((c) => c.access === 'public').map((c) => `${c.method} ${c.path}`).sort()).toEqual(['GET /health', 'POST /auth/login']);
  });

  for (const routeCase of cases) {
    const title = `${routeCase.method} ${routeCase.path}`;
    if (routeCase.access === 'public') continue;

    it(`${title} rejects an anonymous call with 401`, async () => {
      const world = await newWorld();
      await routeCase.arrange?.(world, t);
      const res = await send(t, routeCase.method, routeCase.request(world));
      expect(res.status).toBe(401);
    });

    if (routeCase.access === 'self' || routeCase.access === 'global') continue;

    it(`${title} rejects principals outside the target's scope, and serves one inside it`, async () => {
      const world = await newWorld();
      await routeCase.arrange?.(world, t);
      for (const outsider of world.outsiders) {
        const res = await send(t, routeCase.method, routeCase.request(world), outsider.header);
        expect({ outsider: outsider.name, rejected: [403, 404].includes(res.status), status: res.status }).toMatchObject({ rejected: true });
      }
      // The same request from inside the scope must pass the guard, or the case proves nothing.
      const inside = await send(t, routeCase.method, routeCase.request(world), world.admin);
      expect({ served: inside.status < 400, status: inside.status, body: inside.body as unknown }).toMatchObject({ served: true });
    });
  }
});
