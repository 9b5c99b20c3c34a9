import { Role } from '@sc/core/identity/roles';
import { orgCases } from '../route-scope/org.cases';
import { ScopeWorld } from '../route-scope/route-case';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The route-scope test proves outsiders are refused and the administrator is served; this one
 * proves the same requests serve an ordinary insider, a community worker of the target's
 * community, so scope checks are not stricter than the roles allow.
 */
describe("the org routes serve a community worker inside the target's community", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** Only administrators, city and district officers register property companies. */
  const refusedToCommunityWorkers = new Set(['POST /property-companies']);

  for (const routeCase of orgCases) {
    const title = `${routeCase.method} ${routeCase.path}`;
    const refused = refusedToCommunityWorkers.has(title);
    it(`${title} ${refused ? 'refuses' : 'serves'} the community worker`, async () => {
      const a = await t.factories.newOrgChain();
      const b = await t.factories.newOrgChain(a.city);
      const insider = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: a.community });
      const world: ScopeWorld = { a, b, admin: await t.adminAuth(), insider: await t.login(insider.username, insider.password), outsiders: [], ids: {} };
      await routeCase.arrange?.(world, t);
      const req = routeCase.request(world);
      const agent = t.http();
      const method = routeCase.method.toLowerCase() as 'get' | 'post' | 'patch';
      let call = agent[method](req.url).set('Authorization', world.insider);
      if (req.body !== undefined) {
        call = call.set('Content-Type', req.contentType ?? 'application/json').send(typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
      }
      const res = await call;
      // Status and body together, so a failure shows why.
      expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status: refused ? 403 : expect.any(Number) });
      if (!refused) expect({ served: res.status < 400, body: res.body as unknown }).toMatchObject({ served: true });
    });
  }
});
