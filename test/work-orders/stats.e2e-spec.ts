import { Role } from '@sc/core/identity/roles';
import { OrgLevel } from '@sc/core/org/org-level';
import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import { OrgChain } from '@sc/testing';
import { createTestApp, TestApp } from '../support/test-app';
import { WorkOrderWorld } from './work-order-world';

const MINUTE = 60_000;

describe('work-order statistics per org unit', () => {
  let t: TestApp;
  let w: WorkOrderWorld;
  let admin: string;
  let chain: OrgChain;
  let secondCommunityId: string;
  // Two days ago, on a whole minute: the in-progress order's deadline is in the past whatever the clock says.
  const t0 = new Date(Math.floor((Date.now() - 2 * 24 * 60 * MINUTE) / MINUTE) * MINUTE);
  const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE);

  /** An order in a community, then its recorded facts set as they would be after its life. */
  async function order(communityId: string, facts: Partial<WorkOrder>): Promise<void> {
    const opened = await w.open({ source: 'patrol', category: 'facility', type: 'repair', severity: 'minor', title: '维修', communityId, route: { desk: true, reason: 'test' } });
    await t.em().nativeUpdate(WorkOrder, { id: opened.id }, { reportedAt: t0, ...facts });
  }

  beforeAll(async () => {
    t = await createTestApp();
    w = new WorkOrderWorld(t);
    admin = await t.adminAuth();
    chain = await t.factories.newOrgChain();
    const second = await t.factories.newUnit(OrgLevel.Community, chain.street);
    secondCommunityId = second.id;
    const c1 = chain.community.id;
    // Verified, solved in the community within its SLA: accepted after 10 min, resolved after 60.
    await order(c1, { status: 'verified', acceptedAt: at(10), resolvedAt: at(60), resolvedLevel: 'community', verifiedAt: at(70) });
    // Resolved after escalating to the street, breached: accepted after 20, resolved after 120.
    await order(c1, { status: 'resolved', level: 'street', slaBreached: true, acceptedAt: at(20), resolvedAt: at(120), resolvedLevel: 'street' });
    // Still in progress at the street, past its resolve deadline: accepted after 30.
    await order(secondCommunityId, { status: 'in_progress', level: 'street', slaBreached: true, acceptedAt: at(30), resolveDueAt: at(90) });
    // Closed as a false alarm without ever being accepted.
    await order(secondCommunityId, { status: 'closed', closingReason: 'false_alarm', closedAt: at(5) });
    // Outside the period.
    await order(secondCommunityId, { reportedAt: at(-10 * 24 * 60), status: 'closed' });
    // Another street.
    const elsewhere = await t.factories.newOrgChain(chain.city);
    await order(elsewhere.community.id, { status: 'closed' });
  });
  afterAll(async () => {
    await t.close();
  });

  function stats(header: string, unitId: string) {
    return t.http().get('/stats/work-orders').query({ unitId, from: at(-24 * 60).toISOString(), to: at(24 * 60).toISOString() }).set('Authorization', header);
  }

  it('counts a street\'s orders of the period with SLA compliance, medians and the shares solved inside the community and the street', async () => {
    const res = await stats(admin, chain.street.id).expect(200);
    expect(res.body).toEqual({
      unit: { id: chain.street.id, code: chain.street.code, name: chain.street.name, level: 'street' },
      from: at(-24 * 60).toISOString(),
      to: at(24 * 60).toISOString(),
      total: 4,
      open: 1,
      fixed: 1,
      closed: 2,
      overdue: 1,
      breached: 2,
      slaCompliance: 0.667,
      medianAcceptMinutes: 20,
      medianResolveMinutes: 90,
      solvedInCommunityRate: 0.5,
      solvedInStreetRate: 1,
      byLevel: { community: 2, street: 2, district: 0, city: 0 },
    });
  });

  it('counts one community on its own, and refuses a unit outside the caller\'s scope', async () => {
    const worker = await w.login(Role.CommunityWorker, { orgUnit: chain.community });
    const own = await stats(worker.header, chain.community.id).expect(200);
    expect(own.body).toMatchObject({ total: 2, open: 0, fixed: 1, closed: 1, slaCompliance: 0.5, medianAcceptMinutes: 15, medianResolveMinutes: 90, solvedInCommunityRate: 0.5 });
    expect((await stats(worker.header, chain.street.id)).status).toBe(404);
    expect((await stats(worker.header, secondCommunityId)).status).toBe(404);
  });

  it('answers nulls, not zeros, for shares and medians without data', async () => {
    const empty = await t.factories.newOrgChain(chain.city);
    const res = await stats(admin, empty.district.id).expect(200);
    expect(res.body).toMatchObject({ total: 0, slaCompliance: null, medianAcceptMinutes: null, solvedInCommunityRate: null });
  });
});
