import { Role } from '@sc/core/identity/roles';
import { JobReconciler } from '@sc/core/work-orders/job-reconciler';
import { SlaTimers } from '@sc/core/work-orders/sla-timers';
import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import { OrgChain } from '@sc/testing';
import { createTestApp, TestApp } from '../support/test-app';
import { WorkOrderWorld } from './work-order-world';

const MINUTE = 60_000;

describe('SLA deadlines, escalation and reminders', () => {
  let t: TestApp;
  let w: WorkOrderWorld;
  let admin: string;
  let timers: SlaTimers;

  beforeAll(async () => {
    t = await createTestApp();
    w = new WorkOrderWorld(t);
    admin = await t.adminAuth();
    timers = t.app.get(SlaTimers);
  });
  afterAll(async () => {
    await t.close();
  });

  async function safetyOrder(chain: OrgChain, severity: 'critical' | 'major' | 'minor' = 'major'): Promise<{ order: WorkOrder; gridWorkerId: string; worker: string }> {
    const gw = await w.gridWorker(chain.grid);
    const { header } = await w.gridWorkerAccount(chain, gw);
    const device = await w.device(chain, 'smoke');
    const order = await w.route((await w.alert(device, { alertType: `smoke.alarm.${severity}`, severity, category: 'safety' })).id);
    return { order, gridWorkerId: gw.id, worker: header };
  }

  it('gives a major alert the default 30-minute accept and 24-hour resolve deadlines and arms its timers with deterministic ids, the resolve timer at acceptance', async () => {
    const chain = await t.factories.newOrgChain();
    const { order, worker } = await safetyOrder(chain);

    expect(order.acceptDueAt!.getTime() - order.reportedAt.getTime()).toBe(30 * MINUTE);
    expect(order.resolveDueAt!.getTime() - order.reportedAt.getTime()).toBe(24 * 60 * MINUTE);
    const intents = await w.timers(order.id);
    expect(intents.map((i) => ({ op: i.op, jobId: i.jobId, runAtMs: i.op === 'add' ? i.runAtMs : undefined }))).toEqual([
      { op: 'add', jobId: `escalate.${order.id}.community.accept`, runAtMs: order.acceptDueAt!.getTime() },
      { op: 'add', jobId: `remind.${order.id}.community.1`, runAtMs: expect.any(Number) },
    ]);
    const remindAt = (intents[1] as { runAtMs: number }).runAtMs;
    expect(remindAt - order.reportedAt.getTime()).toBeGreaterThanOrEqual(15 * MINUTE - 1000);
    expect(remindAt - order.reportedAt.getTime()).toBeLessThanOrEqual(15 * MINUTE + 1000);

    // The accept deadline comes first: until acceptance it is the one that can move the order.
    await t.http().post(`/work-orders/${order.id}/accept`).set('Authorization', worker).expect(200);
    const accepted = await w.timers(order.id);
    expect(accepted.slice(intents.length).map((i) => ({ op: i.op, jobId: i.jobId, runAtMs: i.op === 'add' ? i.runAtMs : undefined }))).toEqual([
      { op: 'remove', jobId: `escalate.${order.id}.community.accept`, runAtMs: undefined },
      { op: 'remove', jobId: `remind.${order.id}.community.1`, runAtMs: undefined },
      { op: 'add', jobId: `escalate.${order.id}.community.resolve`, runAtMs: order.resolveDueAt!.getTime() },
    ]);
  });

  it('climbs an order nobody accepts from the community to the street and the district, telling each level and the assignee, and accepting stops the climb', async () => {
    const chain = await t.factories.newOrgChain();
    await t.http().put('/sla-policies').set('Authorization', admin).send({ category: 'safety', severity: 'critical', acceptMinutes: 0.02, resolveMinutes: 1, levelFactor: 2 }).expect(200);
    const { order, gridWorkerId, worker } = await safetyOrder(chain, 'critical');
    const street = await w.target('unit', chain.street.id);
    const district = await w.target('unit', chain.district.id);
    const gw = await w.target('grid_worker', gridWorkerId);
    expect(order.acceptDueAt!.getTime() - order.reportedAt.getTime()).toBe(1000);

    await timers.escalate({ workOrderId: order.id, level: 'community', deadline: 'accept' });

    const atStreet = await w.order(order.id);
    expect(atStreet).toMatchObject({ level: 'street', escalations: 1, slaBreached: true });
    expect(atStreet.levelUnit.id).toBe(chain.street.id);
    // The street's deadline is the community's × levelFactor (2).
    expect(Math.round((atStreet.acceptDueAt!.getTime() - Date.now()) / 1000)).toBeLessThanOrEqual(2);
    const escalated = (await w.deliveries(order.id)).filter((d) => d.event === 'escalated');
    expect(escalated.map((d) => d.targetId).sort()).toEqual([street.id, gw.id].sort());
    expect(escalated[0].payload).toMatchObject({ event: 'escalated', level: 'street', workOrder: { id: order.id, level: 'street' } });
    const entry = (await w.history(order.id)).find((e) => e.action === 'escalated');
    expect(entry?.text).toMatch(/^accept deadline \d{4}-\d\d-\d\dT[\d:.]+Z passed at community → escalated to street \(/);
    const streetTimers = (await w.timers(order.id)).map((i) => `${i.op} ${i.jobId}`);
    expect(streetTimers).toEqual(expect.arrayContaining([`add escalate.${order.id}.street.accept`, `add remind.${order.id}.street.1`]));
    expect(streetTimers).not.toContain(`add escalate.${order.id}.street.resolve`);

    // The community's timer firing again (a retry) changes nothing.
    await timers.escalate({ workOrderId: order.id, level: 'community', deadline: 'accept' });
    expect((await w.order(order.id)).escalations).toBe(1);

    await timers.escalate({ workOrderId: order.id, level: 'street', deadline: 'accept' });
    const atDistrict = await w.order(order.id);
    expect(atDistrict).toMatchObject({ level: 'district', escalations: 2 });
    expect(atDistrict.levelUnit.id).toBe(chain.district.id);
    expect((await w.deliveries(order.id)).filter((d) => d.targetId === district.id).map((d) => d.event)).toEqual(['escalated']);

    const accepted = await t.http().post(`/work-orders/${order.id}/accept`).set('Authorization', worker).expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', level: 'district' });
    await timers.escalate({ workOrderId: order.id, level: 'district', deadline: 'accept' });
    expect((await w.order(order.id)).level).toBe('district');
    expect((await w.timers(order.id)).map((i) => `${i.op} ${i.jobId}`)).toEqual(
      expect.arrayContaining([`remove escalate.${order.id}.district.accept`, `remove remind.${order.id}.district.1`, `add escalate.${order.id}.district.resolve`]),
    );

    const resolved = await t.http().post(`/work-orders/${order.id}/resolve`).set('Authorization', worker).expect(200);
    expect(resolved.body).toMatchObject({ resolvedLevel: 'district' });
    expect((await w.timers(order.id)).map((i) => `${i.op} ${i.jobId}`)).toContain(`remove escalate.${order.id}.district.resolve`);
  });

  it('treats an escalation timer for an accepted order as a no-op', async () => {
    const chain = await t.factories.newOrgChain();
    const { order, worker } = await safetyOrder(chain);
    await t.http().post(`/work-orders/${order.id}/accept`).set('Authorization', worker).expect(200);
    const deliveriesBefore = (await w.deliveries(order.id)).length;

    await timers.escalate({ workOrderId: order.id, level: 'community', deadline: 'accept' });

    expect(await w.order(order.id)).toMatchObject({ level: 'community', escalations: 0, slaBreached: false });
    expect(await w.deliveries(order.id)).toHaveLength(deliveriesBefore);
    expect((await w.history(order.id)).map((e) => e.action)).not.toContain('escalated');
  });

  it('escalates an accepted order whose resolve deadline passed, with a new resolve deadline at the street', async () => {
    const chain = await t.factories.newOrgChain();
    const { order, worker } = await safetyOrder(chain, 'minor');
    await t.http().post(`/work-orders/${order.id}/accept`).set('Authorization', worker).expect(200);

    await timers.escalate({ workOrderId: order.id, level: 'community', deadline: 'resolve' });

    const after = await w.order(order.id);
    expect(after).toMatchObject({ level: 'street', status: 'accepted', slaBreached: true });
    expect(after.resolveDueAt!.getTime()).toBeGreaterThan(Date.now() + 71 * 60 * MINUTE);
    const ids = (await w.timers(order.id)).map((i) => `${i.op} ${i.jobId}`);
    expect(ids).toContain(`add escalate.${order.id}.street.resolve`);
    expect(ids).not.toContain(`add escalate.${order.id}.street.accept`);
  });

  it('repeats reminders until the order is accepted, then stops', async () => {
    const chain = await t.factories.newOrgChain();
    const { order, gridWorkerId, worker } = await safetyOrder(chain);
    const gw = await w.target('grid_worker', gridWorkerId);

    await timers.remind({ workOrderId: order.id, level: 'community', n: 1 });
    await timers.remind({ workOrderId: order.id, level: 'community', n: 1 });
    await timers.remind({ workOrderId: order.id, level: 'community', n: 2 });

    expect((await w.order(order.id)).reminders).toBe(2);
    const reminders = (await w.deliveries(order.id)).filter((d) => d.event === 'reminder');
    expect(reminders.map((d) => [d.targetId, (d.payload as { reminder: number }).reminder])).toEqual([
      [gw.id, 1],
      [gw.id, 2],
    ]);
    expect((await w.timers(order.id)).map((i) => i.jobId)).toEqual(expect.arrayContaining([`remind.${order.id}.community.2`, `remind.${order.id}.community.3`]));

    await t.http().post(`/work-orders/${order.id}/accept`).set('Authorization', worker).expect(200);
    expect((await w.timers(order.id)).map((i) => `${i.op} ${i.jobId}`)).toContain(`remove remind.${order.id}.community.3`);
    await timers.remind({ workOrderId: order.id, level: 'community', n: 3 });
    expect((await w.order(order.id)).reminders).toBe(2);
    expect((await w.deliveries(order.id)).filter((d) => d.event === 'reminder')).toHaveLength(2);
  });

  it('re-arms every open order\'s deadlines and pending reminder from the database when Redis lost its jobs, a page of orders at a time', async () => {
    const awaiting = (await safetyOrder(await t.factories.newOrgChain())).order;
    const accepted = await safetyOrder(await t.factories.newOrgChain());
    await t.http().post(`/work-orders/${accepted.order.id}/accept`).set('Authorization', accepted.worker).expect(200);
    const before = { awaiting: (await w.timers(awaiting.id)).length, accepted: (await w.timers(accepted.order.id)).length };

    // Pages of two orders: every open order of the database is read, whatever its place.
    const result = await t.app.get(JobReconciler).reconcile({ timers: true, stuckBefore: new Date(0), limit: 2 });

    const rearmed = async (orderId: string, skip: number) =>
      (await w.timers(orderId)).slice(skip).map((i) => ({ op: i.op, jobId: i.jobId, runAtMs: i.op === 'add' ? i.runAtMs : undefined }));
    expect(await rearmed(awaiting.id, before.awaiting)).toEqual([
      { op: 'add', jobId: `escalate.${awaiting.id}.community.accept`, runAtMs: awaiting.acceptDueAt!.getTime() },
      { op: 'add', jobId: `remind.${awaiting.id}.community.1`, runAtMs: expect.any(Number) },
    ]);
    expect(await rearmed(accepted.order.id, before.accepted)).toEqual([
      { op: 'add', jobId: `escalate.${accepted.order.id}.community.resolve`, runAtMs: accepted.order.resolveDueAt!.getTime() },
    ]);
    expect(result.timers).toBeGreaterThanOrEqual(3);
  });

  it('records a breach at the city, the top of the ladder, once, and tells the city again', async () => {
    const chain = await t.factories.newOrgChain();
    const city = await w.target('unit', chain.city.id);
    const { order } = await safetyOrder(chain);
    for (const level of ['community', 'street', 'district']) await timers.escalate({ workOrderId: order.id, level, deadline: 'accept' });
    expect(await w.order(order.id)).toMatchObject({ level: 'city', escalations: 3 });

    await timers.escalate({ workOrderId: order.id, level: 'city', deadline: 'accept' });
    await timers.escalate({ workOrderId: order.id, level: 'city', deadline: 'accept' });

    expect(await w.order(order.id)).toMatchObject({ level: 'city', escalations: 3, slaBreached: true });
    expect((await w.history(order.id)).filter((e) => e.action === 'breached')).toHaveLength(1);
    expect((await w.deliveries(order.id)).filter((d) => d.targetId === city.id).map((d) => d.event)).toEqual(['escalated', 'escalated']);
  });

  it('shows the default SLA table, takes overrides from city and district officers only, and drops them again', async () => {
    const chain = await t.factories.newOrgChain();
    const defaults = await t.http().get('/sla-policies').set('Authorization', admin).expect(200);
    expect(defaults.body.defaults).toEqual(
      expect.arrayContaining([
        { category: '*', severity: 'critical', acceptMinutes: 5, resolveMinutes: 120, remindMinutes: 2.5, levelFactor: 1 },
        { category: '*', severity: 'major', acceptMinutes: 30, resolveMinutes: 1440, remindMinutes: 15, levelFactor: 1 },
        { category: '*', severity: 'minor', acceptMinutes: 240, resolveMinutes: 4320, remindMinutes: 120, levelFactor: 1 },
        { category: '*', severity: 'warning', acceptMinutes: 240, resolveMinutes: 4320, remindMinutes: 120, levelFactor: 1 },
        { category: 'desk', severity: 'complete', acceptMinutes: 0, resolveMinutes: 8, remindMinutes: 0.017, levelFactor: 1 },
      ]),
    );
    const community = (await w.login(Role.CommunityWorker, { orgUnit: chain.community })).header;
    const district = (await w.login(Role.DistrictOfficer, { orgUnit: chain.district })).header;
    const body = { category: 'facility', severity: 'minor', acceptMinutes: 60, resolveMinutes: 600 };
    expect((await t.http().put('/sla-policies').set('Authorization', community).send(body)).status).toBe(403);
    expect((await t.http().put('/sla-policies').set('Authorization', district).send({ ...body, acceptMinutes: 0 })).status).toBe(400);
    expect((await t.http().put('/sla-policies').set('Authorization', district).send({ ...body, severity: 'urgent' })).status).toBe(400);
    const put = await t.http().put('/sla-policies').set('Authorization', district).send(body).expect(200);
    expect(put.body).toMatchObject({ category: 'facility', severity: 'minor', acceptMinutes: 60, resolveMinutes: 600, remindMinutes: 30 });

    const device = await w.device(chain, 'water_leak');
    const order = await w.route((await w.alert(device, { alertType: 'water.leak', severity: 'minor', category: 'facility' })).id);
    expect(order.acceptDueAt!.getTime() - order.reportedAt.getTime()).toBe(60 * MINUTE);

    await t.http().delete(`/sla-policies/${put.body.id}`).set('Authorization', district).expect(204);
    const again = await w.route((await w.alert(await w.device(chain, 'water_leak'), { alertType: 'water.leak', severity: 'minor', category: 'facility' })).id);
    expect(again.acceptDueAt!.getTime() - again.reportedAt.getTime()).toBe(240 * MINUTE);
  });
});
