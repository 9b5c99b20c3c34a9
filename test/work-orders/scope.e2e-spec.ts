import { Role } from '@sc/core/identity/roles';
import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import { OrgChain } from '@sc/testing';
import { createTestApp, TestApp } from '../support/test-app';
import { WorkOrderWorld } from './work-order-world';

interface Page {
  items: { id: string }[];
  total: number;
}

/** Who sees which work orders: A holds the orders, B is another community of the same city. */
describe('work-order scope', () => {
  let t: TestApp;
  let w: WorkOrderWorld;
  let a: OrgChain;
  let b: OrgChain;
  let safety: WorkOrder;
  let facility: WorkOrder;
  let gridWorkerHeader: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = new WorkOrderWorld(t);
    a = await t.factories.newOrgChain();
    b = await t.factories.newOrgChain(a.city);
    const gw = await w.gridWorker(a.grid);
    gridWorkerHeader = (await w.gridWorkerAccount(a, gw)).header;
    safety = await w.route((await w.alert(await w.device(a, 'smoke'), { alertType: 'smoke.alarm', severity: 'major', category: 'safety' })).id);
    facility = await w.route((await w.alert(await w.device(a, 'elevator'), { alertType: 'elevator.fault', severity: 'major', category: 'facility' })).id);
  });
  afterAll(async () => {
    await t.close();
  });

  async function sees(header: string, order: WorkOrder): Promise<number> {
    return (await t.http().get(`/work-orders/${order.id}`).set('Authorization', header)).status;
  }

  async function listed(header: string, query = ''): Promise<string[]> {
    const res = await t.http().get(`/work-orders${query}`).set('Authorization', header).expect(200);
    return (res.body as Page).items.map((i) => i.id).sort();
  }

  it("hides A's orders from another community's worker: 404 by id, history and action, and an empty list", async () => {
    const outsider = await w.login(Role.CommunityWorker, { orgUnit: b.community });
    for (const order of [safety, facility]) {
      expect(await sees(outsider.header, order)).toBe(404);
      expect((await t.http().get(`/work-orders/${order.id}/history`).set('Authorization', outsider.header)).status).toBe(404);
      expect((await t.http().post(`/work-orders/${order.id}/close`).set('Authorization', outsider.header).send({ reason: 'false_alarm' })).status).toBe(404);
    }
    expect(await listed(outsider.header)).toEqual([]);
    expect((await t.http().get(`/work-orders?communityId=${a.community.id}`).set('Authorization', outsider.header)).status).toBe(404);
  });

  it("shows property staff their company's orders only, and staff of another company nothing", async () => {
    const staff = await w.login(Role.PropertyStaff, { company: a.company });
    expect(await sees(staff.header, facility)).toBe(200);
    expect(await sees(staff.header, safety)).toBe(404);
    expect(await listed(staff.header)).toEqual([facility.id]);
    const otherStaff = await w.login(Role.PropertyStaff, { company: b.company });
    expect(await sees(otherStaff.header, facility)).toBe(404);
    expect(await listed(otherStaff.header)).toEqual([]);
  });

  it("shows a grid worker the orders of their grid, the owners' committee those of its compound, and officers those of their subtree", async () => {
    const committee = await w.login(Role.OwnersCommittee, { compound: a.compound });
    const street = await w.login(Role.StreetOfficer, { orgUnit: a.street });
    const both = [safety.id, facility.id].sort();
    expect(await listed(gridWorkerHeader)).toEqual(both);
    expect(await listed(committee.header)).toEqual(both);
    expect(await listed(street.header, `?communityId=${a.community.id}`)).toEqual(both);
    expect((await t.http().get(`/work-orders?communityId=${b.community.id}`).set('Authorization', street.header)).status).toBe(404);
  });

  it('filters the list by stage, category, overdue and what is assigned to the caller', async () => {
    const street = await w.login(Role.StreetOfficer, { orgUnit: a.street });
    expect(await listed(street.header, '?category=facility')).toEqual([facility.id]);
    expect(await listed(street.header, '?stage=open&source=alert')).toEqual([safety.id, facility.id].sort());
    expect(await listed(street.header, '?stage=fixed')).toEqual([]);
    expect(await listed(gridWorkerHeader, '?assignedToMe=true')).toEqual([safety.id]);
    await t.em().nativeUpdate(WorkOrder, { id: safety.id }, { acceptDueAt: new Date(Date.now() - 60_000) });
    expect(await listed(street.header, '?overdue=true')).toEqual([safety.id]);
    const detail = await t.http().get(`/work-orders/${safety.id}`).set('Authorization', street.header).expect(200);
    expect(detail.body).toMatchObject({ overdue: true, alerts: 1, alertCount: 1 });
    expect((await t.http().get('/work-orders?stage=sideways').set('Authorization', street.header)).status).toBe(400);
  });
});
