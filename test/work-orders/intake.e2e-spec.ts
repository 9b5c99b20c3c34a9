import { SYSTEM_ACTOR } from '@sc/core/audit/actor';
import { AuditEntry } from '@sc/core/audit/entities/audit-entry.entity';
import { Role } from '@sc/core/identity/roles';
import { OrgLevel } from '@sc/core/org/org-level';
import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import { WorkOrdersService } from '@sc/core/work-orders/work-orders.service';
import { createTestApp, TestApp } from '../support/test-app';
import { WorkOrderWorld } from './work-order-world';

const MINUTE = 60_000;

interface View {
  id: string;
  number: string;
  status: string;
  source: string;
  category: string;
  attached: boolean;
  owner?: { id: string };
  assignee?: { id: string };
  reporter?: { id: string };
  residentRef?: string;
  scheduledAt?: string;
  reportedAt: string;
  acceptDueAt?: string;
  resolveDueAt?: string;
  assignedTo: { gridWorker?: { id: string }; company?: { id: string }; desk: boolean };
}

describe('one-window desk requests, home visits and patrol reports', () => {
  let t: TestApp;
  let w: WorkOrderWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = new WorkOrderWorld(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const ms = (iso: string | undefined) => Date.parse(iso ?? '');

  it('makes the worker who took a complete desk request its owner and assignee, accepted at once, due in 8 minutes', async () => {
    const chain = await t.factories.newOrgChain();
    const worker = await w.login(Role.CommunityWorker, { orgUnit: chain.community });
    const phone = '138 0013 8000';

    const res = await t
      .http()
      .post('/desk/requests')
      .set('Authorization', worker.header)
      .send({ communityId: chain.community.id, requestType: 'residence_certificate', title: '开具居住证明', documentsComplete: true, residentContact: phone })
      .expect(201);

    const order = res.body as View;
    expect(order).toMatchObject({ status: 'accepted', source: 'desk', category: 'desk', attached: false, owner: { id: worker.account.id }, assignee: { id: worker.account.id } });
    expect(ms(order.resolveDueAt) - ms(order.reportedAt)).toBe(8 * MINUTE);
    expect(order.residentRef).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const stored = JSON.stringify(await w.order(order.id)) + JSON.stringify(await t.em().find(AuditEntry, { subjectId: order.id }));
    expect(stored).not.toContain('13800138000');
    expect(stored).not.toContain(phone);
    // The same resident at the desk again links by the pseudonym.
    const again = await t
      .http()
      .post('/desk/requests')
      .set('Authorization', worker.header)
      .send({ communityId: chain.community.id, requestType: 'residence_certificate', title: '再次开具', documentsComplete: false, residentContact: '13800138000' })
      .expect(201);
    expect((again.body as View).residentRef).toBe(order.residentRef);
    expect(ms((again.body as View).resolveDueAt) - ms((again.body as View).reportedAt)).toBe(72 * 60 * MINUTE);
    expect((await w.timers(order.id)).map((i) => `${i.op} ${i.jobId}`)).toEqual([`add escalate.${order.id}.community.resolve`]);
  });

  it('takes desk requests only from community workers of that community', async () => {
    const chain = await t.factories.newOrgChain();
    const other = await t.factories.newOrgChain(chain.city);
    const body = { communityId: chain.community.id, requestType: 'consult', title: '咨询', documentsComplete: true };
    const gridWorker = await w.login(Role.GridWorker, { orgUnit: chain.grid });
    const outsider = await w.login(Role.CommunityWorker, { orgUnit: other.community });
    const street = await w.login(Role.StreetOfficer, { orgUnit: chain.street });
    expect((await t.http().post('/desk/requests').set('Authorization', gridWorker.header).send(body)).status).toBe(404);
    expect((await t.http().post('/desk/requests').set('Authorization', outsider.header).send(body)).status).toBe(404);
    expect((await t.http().post('/desk/requests').set('Authorization', street.header).send(body)).status).toBe(403);
  });

  it("books a home visit as a scheduled order for the grid worker of the compound's grid, due after the visit", async () => {
    const chain = await t.factories.newOrgChain();
    const gw = await w.gridWorker(chain.grid);
    const worker = await w.login(Role.CommunityWorker, { orgUnit: chain.community });
    const scheduledAt = new Date(Date.now() + 2 * 24 * 60 * MINUTE);

    const res = await t
      .http()
      .post('/visits')
      .set('Authorization', worker.header)
      .send({ communityId: chain.community.id, compoundId: chain.compound.id, scheduledAt: scheduledAt.toISOString(), title: '独居老人上门探访', residentContact: '340102195001011234' })
      .expect(201);

    const order = res.body as View;
    expect(order).toMatchObject({ status: 'dispatched', source: 'visit', assignedTo: { gridWorker: { id: gw.id }, desk: false } });
    expect(ms(order.scheduledAt)).toBe(scheduledAt.getTime());
    expect(ms(order.acceptDueAt) - ms(order.reportedAt)).toBe(4 * 60 * MINUTE);
    expect(ms(order.resolveDueAt)).toBe(scheduledAt.getTime() + 72 * 60 * MINUTE);

    const past = await t
      .http()
      .post('/visits')
      .set('Authorization', worker.header)
      .send({ communityId: chain.community.id, scheduledAt: new Date(Date.now() - MINUTE).toISOString(), title: '过去的时间' });
    expect(past.status).toBe(400);
  });

  it('leaves a visit to the desk when the community has no grid worker for it', async () => {
    const chain = await t.factories.newOrgChain();
    const worker = await w.login(Role.CommunityWorker, { orgUnit: chain.community });
    const res = await t
      .http()
      .post('/visits')
      .set('Authorization', worker.header)
      .send({ communityId: chain.community.id, scheduledAt: new Date(Date.now() + 60 * MINUTE).toISOString(), title: '上门办理' })
      .expect(201);
    expect((res.body as View).assignedTo).toEqual({ desk: true });
  });

  it('opens a patrol report with its reporter, and attaches a second report of the same subject to it', async () => {
    const chain = await t.factories.newOrgChain();
    const gw = await w.gridWorker(chain.grid);
    const patrol = await w.gridWorkerAccount(chain, gw);
    const body = { gridId: chain.grid.id, compoundId: chain.compound.id, category: 'facility', type: 'stairwell.light', severity: 'minor', title: '3号楼楼道灯不亮', openKey: 'b3-light' };

    const first = await t.http().post('/work-orders').set('Authorization', patrol.header).send(body).expect(201);
    const second = await t.http().post('/work-orders').set('Authorization', patrol.header).send({ ...body, title: '3号楼楼道灯还是不亮' }).expect(201);

    expect(first.body).toMatchObject({ source: 'patrol', status: 'dispatched', attached: false, reporter: { id: patrol.account.id }, assignedTo: { company: { id: chain.company.id } } });
    expect(second.body).toMatchObject({ id: (first.body as View).id, attached: true });
    const attached = (await w.history((first.body as View).id)).filter((e) => e.action === 'attached');
    expect(attached.map((e) => e.text)).toEqual(['3号楼楼道灯还是不亮']);

    const otherGrid = await t.factories.newUnit(OrgLevel.Grid, chain.community);
    expect((await t.http().post('/work-orders').set('Authorization', patrol.header).send({ ...body, gridId: otherGrid.id, compoundId: undefined })).status).toBe(404);
  });

  it('attaches a report that raced another for the same subject: the losing insert is refused (on conflict do nothing) and joins the winner', async () => {
    const chain = await t.factories.newOrgChain();
    const service = t.app.get(WorkOrdersService);
    const input = { source: 'patrol' as const, communityId: chain.community.id, category: 'facility', type: 'stairwell.light', severity: 'minor' as const, openKey: `race-${chain.community.id}`, route: 'auto' as const };
    let commitFirst!: () => void;
    const firstInserted = new Promise<void>((resolve) => {
      const gate = new Promise<void>((release) => (commitFirst = release));
      void t.em().transactional(async (em) => {
        await service.open(em, { ...input, title: '楼道灯不亮' }, SYSTEM_ACTOR);
        resolve();
        await gate; // holds its uncommitted row (and the open key's index entry)
      });
    });
    await firstInserted;
    // The second does not see the first's order, so it inserts too; on PostgreSQL that insert
    // waits for the first transaction and then violates the open key (SQLite runs it after the first).
    const second = t.em().transactional((em) => service.open(em, { ...input, title: '楼道灯还是不亮' }, SYSTEM_ACTOR));
    await new Promise((resolve) => setTimeout(resolve, 300));
    commitFirst();
    const result = await second;

    expect(result.attached).toBe(true);
    const orders = await t.em().find(WorkOrder, { openKey: input.openKey });
    expect(orders.map((o) => o.id)).toEqual([result.workOrderId]);
    expect((await w.history(result.workOrderId)).filter((e) => e.action === 'attached').map((e) => e.text)).toEqual(['楼道灯还是不亮']);
  });

  it('opens the rest of a batch when one of its keys was taken by a concurrent transaction: that request joins the winner', async () => {
    const chain = await t.factories.newOrgChain();
    const service = t.app.get(WorkOrdersService);
    const base = { source: 'patrol' as const, communityId: chain.community.id, category: 'facility', type: 'stairwell.light', severity: 'minor' as const, route: 'auto' as const };
    const raced = `race-batch-${chain.community.id}`;
    const free = `free-batch-${chain.community.id}`;
    let commitFirst!: () => void;
    const firstInserted = new Promise<void>((resolve) => {
      const gate = new Promise<void>((release) => (commitFirst = release));
      void t.em().transactional(async (em) => {
        await service.open(em, { ...base, openKey: raced, title: '1号楼楼道灯不亮' }, SYSTEM_ACTOR);
        resolve();
        await gate;
      });
    });
    await firstInserted;
    const second = t.em().transactional((em) =>
      service.openMany(em, [
        { input: { ...base, openKey: raced, title: '1号楼楼道灯还是不亮' }, actor: SYSTEM_ACTOR },
        { input: { ...base, openKey: free, title: '2号楼楼道灯不亮' }, actor: SYSTEM_ACTOR },
      ]),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    commitFirst();
    const [joined, opened] = await second;

    expect(joined.attached).toBe(true);
    expect(opened.attached).toBe(false);
    const winner = await t.em().find(WorkOrder, { openKey: raced });
    expect(winner.map((o) => o.id)).toEqual([joined.workOrderId]);
    expect((await t.em().find(WorkOrder, { openKey: free })).map((o) => o.id)).toEqual([opened.workOrderId]);
    expect((await w.history(opened.workOrderId)).map((e) => e.action)).toEqual(['created', 'routed']);
  });

  it("attaches a patrol report about a device to the order the device's alert opened", async () => {
    const chain = await t.factories.newOrgChain();
    const gw = await w.gridWorker(chain.grid);
    const patrol = await w.gridWorkerAccount(chain, gw);
    const device = await w.device(chain, 'smoke');
    const order = await w.route((await w.alert(device, { alertType: 'smoke.alarm', severity: 'major', category: 'safety' })).id);

    const res = await t
      .http()
      .post('/work-orders')
      .set('Authorization', patrol.header)
      .send({ gridId: chain.grid.id, deviceId: device.id, category: 'safety', type: 'smoke.alarm', severity: 'major', title: '巡查发现烟感报警,现场有烟味' })
      .expect(201);

    expect(res.body).toMatchObject({ id: order.id, attached: true, alertCount: 1 });
    const attached = (await w.history(order.id)).find((e) => e.action === 'attached');
    expect(attached?.details).toMatchObject({ source: 'patrol', reporterAccountId: patrol.account.id });
  });
});
