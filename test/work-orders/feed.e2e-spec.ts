import { Role } from '@sc/core/identity/roles';
import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import { FEED_SETTLE_MS } from '@sc/core/work-orders/work-order-feed.service';
import { OrgChain } from '@sc/testing';
import { waitFor } from '@sc/testing/wait';
import { createTestApp, TestApp } from '../support/test-app';
import { WorkOrderWorld } from './work-order-world';

interface FeedPage {
  items: { id: string; number: string; updatedAt: string; assignedTo: { company?: { id: string } } }[];
  nextCursor: string | null;
}

describe("the pull feed for property companies' own systems", () => {
  let t: TestApp;
  let w: WorkOrderWorld;
  let admin: string;
  let chain: OrgChain;
  let other: OrgChain;
  const ours: string[] = [];
  let theirs: string;

  async function companyOrder(companyId: string, updatedAt: Date): Promise<string> {
    const order = await w.open({ source: 'patrol', category: 'facility', type: 'repair', severity: 'minor', title: '设施报修', communityId: chain.community.id, route: { companyId, reason: 'test' } });
    await t.em().nativeUpdate(WorkOrder, { id: order.id }, { updatedAt });
    return order.id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    w = new WorkOrderWorld(t);
    admin = await t.adminAuth();
    chain = await t.factories.newOrgChain();
    other = await t.factories.newOrgChain(chain.city);
    const base = Date.now() - 60_000;
    // Two orders share one updatedAt: the id breaks the tie, so paging neither skips nor repeats one.
    for (const offset of [0, 1000, 1000, 2000, 3000, 4000, 5000]) ours.push(await companyOrder(chain.company.id, new Date(base + offset)));
    theirs = await companyOrder(other.company.id, new Date(base + 2500));
    await w.open({ source: 'patrol', category: 'facility', type: 'repair', severity: 'minor', title: '窗口', communityId: chain.community.id, route: { desk: true, reason: 'test' } });
  });
  afterAll(async () => {
    await t.close();
  });

  async function page(header: string, query: Record<string, string | number>): Promise<FeedPage> {
    const res = await t.http().get('/work-orders/feed').query(query).set('Authorization', header);
    if (res.status !== 200) throw new Error(`feed answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as FeedPage;
  }

  async function readAll(header: string, limit: number, extra: Record<string, string> = {}): Promise<{ ids: string[]; cursor: string | null }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let calls = 0; calls < 50; calls++) {
      const body = await page(header, { limit, ...extra, ...(cursor ? { cursor } : {}) });
      if (body.items.length === 0) return { ids, cursor };
      ids.push(...body.items.map((i) => i.id));
      cursor = body.nextCursor;
    }
    throw new Error('the feed never ran dry');
  }

  it("pages through the company's orders by cursor, returning every order once, in the order they changed", async () => {
    const staff = await w.login(Role.PropertyStaff, { company: chain.company });
    const { ids } = await readAll(staff.header, 2);
    const expected = (await t.em().find(WorkOrder, { id: { $in: ours } }, { orderBy: { updatedAt: 'asc', id: 'asc' } })).map((o) => o.id);
    expect(ids).toEqual(expected);
    expect(new Set(ids).size).toBe(ours.length);
  });

  it('serves a company system through its API key, and other companies only their own orders', async () => {
    const created = await t.http().post('/api-keys').set('Authorization', admin).send({ companyId: chain.company.id, name: '物业ERP' }).expect(201);
    const key = (created.body as { key: string }).key;
    const res = await t.http().get('/work-orders/feed').query({ limit: 100 }).set('X-API-Key', key).expect(200);
    expect((res.body as FeedPage).items.map((i) => i.id).sort()).toEqual([...ours].sort());
    const otherStaff = await w.login(Role.PropertyStaff, { company: other.company });
    expect((await readAll(otherStaff.header, 10)).ids).toEqual([theirs]);
    expect((await t.http().get('/work-orders/feed').query({ companyId: chain.company.id }).set('Authorization', otherStaff.header)).status).toBe(403);
    expect((await readAll(admin, 3, { companyId: other.company.id })).ids).toEqual([theirs]);
  });

  it('shows a changed order again after the cursor, once it has settled', async () => {
    const staff = await w.login(Role.PropertyStaff, { company: chain.company });
    const { cursor } = await readAll(staff.header, 100);
    expect(cursor).not.toBeNull();
    await t.http().post(`/work-orders/${ours[0]}/accept`).set('Authorization', staff.header).expect(200);

    const early = await page(staff.header, { cursor: cursor! });
    expect(early).toEqual({ items: [], nextCursor: cursor });
    const later = await waitFor(
      'the accepted order to settle into the feed',
      async () => {
        const body = await page(staff.header, { cursor: cursor! });
        return body.items.length > 0 ? body : undefined;
      },
      { withinMs: FEED_SETTLE_MS + 5000, everyMs: 250 },
    );
    expect(later.items.map((i) => i.id)).toEqual([ours[0]]);
  });

  it('refuses a cursor it did not give out, and principals that are not a company', async () => {
    const staff = await w.login(Role.PropertyStaff, { company: chain.company });
    expect((await t.http().get('/work-orders/feed').query({ cursor: 'not-a-cursor' }).set('Authorization', staff.header)).status).toBe(400);
    const worker = await w.login(Role.CommunityWorker, { orgUnit: chain.community });
    expect((await t.http().get('/work-orders/feed').set('Authorization', worker.header)).status).toBe(403);
  });
});
