import { Role } from '@sc/core/identity/roles';
import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import { OrgChain } from '@sc/testing';
import { createTestApp, TestApp } from '../support/test-app';
import { WorkOrderWorld } from './work-order-world';

interface View {
  id: string;
  number: string;
  status: string;
  stage: string;
  assignee?: { id: string };
  owner?: { id: string };
  resolvedLevel?: string;
  closingReason?: string;
  duplicateOfId?: string;
  referredToId?: string;
  reopenCount: number;
  assignedTo: { gridWorker?: { id: string }; company?: { id: string }; desk: boolean };
}

describe('the work-order state machine', () => {
  let t: TestApp;
  let w: WorkOrderWorld;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = new WorkOrderWorld(t);
    admin = await t.adminAuth();
  });
  afterAll(async () => {
    await t.close();
  });

  function act(header: string, order: { id: string }, action: string, body: object = {}) {
    return t.http().post(`/work-orders/${order.id}/${action}`).set('Authorization', header).send(body);
  }

  async function ok(header: string, order: { id: string }, action: string, body: object = {}): Promise<View> {
    const res = await act(header, order, action, body);
    if (res.status !== 200) throw new Error(`${action} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as View;
  }

  /** A safety alert in a fresh chain, routed to a grid worker who has an account. */
  async function alertOrder(): Promise<{ chain: OrgChain; order: WorkOrder; worker: string; workerAccount: string; supervisor: string }> {
    const chain = await t.factories.newOrgChain();
    const gw = await w.gridWorker(chain.grid);
    const { account, header } = await w.gridWorkerAccount(chain, gw);
    const supervisor = (await w.login(Role.CommunityWorker, { orgUnit: chain.community })).header;
    const device = await w.device(chain, 'smoke');
    const order = await w.route((await w.alert(device, { alertType: 'smoke.alarm', severity: 'major', category: 'safety' })).id);
    return { chain, order, worker: header, workerAccount: account.id, supervisor };
  }

  it('takes an order from dispatched through accepted, in progress, on hold and resolved to verified, each step in its history', async () => {
    const { order, worker, workerAccount, supervisor } = await alertOrder();

    const accepted = await ok(worker, order, 'accept');
    expect(accepted).toMatchObject({ status: 'accepted', assignee: { id: workerAccount } });
    expect((await ok(worker, order, 'start')).status).toBe('in_progress');
    expect((await ok(worker, order, 'hold', { reason: '等待配件' })).status).toBe('on_hold');
    expect((await ok(worker, order, 'resume')).status).toBe('in_progress');
    await ok(worker, order, 'notes', { text: '已到现场' });
    await ok(worker, order, 'evidence', { urls: ['https://photos.example.cn/1.jpg', 'http://photos.example.cn/2.jpg'], caption: '现场照片' });
    const resolved = await ok(worker, order, 'resolve', { note: '已处理' });
    expect(resolved).toMatchObject({ status: 'resolved', stage: 'fixed', resolvedLevel: 'community' });
    const verified = await ok(supervisor, order, 'verify');
    expect(verified).toMatchObject({ status: 'verified', stage: 'closed' });
    expect((await w.order(order.id)).openKey).toBeNull();

    const history = await t.http().get(`/work-orders/${order.id}/history`).set('Authorization', supervisor).expect(200);
    const entries = (history.body as { entries: { action: string; fromState?: string; toState?: string }[] }).entries;
    expect(entries.map((e) => [e.action, e.fromState ?? null, e.toState ?? null])).toEqual([
      ['created', null, 'reported'],
      ['routed', 'reported', 'dispatched'],
      ['accepted', 'dispatched', 'accepted'],
      ['started', 'accepted', 'in_progress'],
      ['held', 'in_progress', 'on_hold'],
      ['resumed', 'on_hold', 'in_progress'],
      ['note', null, null],
      ['evidence', null, null],
      ['resolved', 'in_progress', 'resolved'],
      ['verified', 'resolved', 'verified'],
    ]);
  });

  it('refuses each illegal transition with a message saying from where and why', async () => {
    const { order, worker, supervisor } = await alertOrder();
    const n = order.number;
    const refused = async (header: string, action: string, message: string, body: object = {}) => {
      const res = await act(header, order, action, body);
      expect({ action, status: res.status, message: (res.body as { message: string }).message }).toEqual({ action, status: 409, message });
    };

    await refused(worker, 'resolve', `cannot resolve work order ${n} in status dispatched: it was never accepted`);
    await refused(worker, 'start', `cannot start work order ${n} in status dispatched: it was never accepted`);
    await refused(supervisor, 'verify', `cannot verify work order ${n} in status dispatched: only a resolved order can be verified`);
    await refused(supervisor, 'reopen', `cannot reopen work order ${n} in status dispatched: it is still open`);
    await ok(worker, order, 'accept');
    await refused(worker, 'accept', `cannot accept work order ${n} in status accepted: it is already accepted`);
    await refused(worker, 'hold', `cannot hold work order ${n} in status accepted: work on it has not started`);
    await refused(worker, 'resume', `cannot resume work order ${n} in status accepted: it is not on hold`);
    await ok(worker, order, 'start');
    await ok(worker, order, 'hold');
    await refused(worker, 'resolve', `cannot resolve work order ${n} in status on_hold: it is on hold; resume it first`);
    await ok(supervisor, order, 'close', { reason: 'false_alarm' });
    await refused(supervisor, 'close', `cannot close work order ${n} in status closed: it is already closed`, { reason: 'false_alarm' });
    await refused(worker, 'resume', `cannot resume work order ${n} in status closed: it is closed; reopen it first`);
  });

  it('lets only those the order is routed to accept it', async () => {
    const { chain, order } = await alertOrder();
    const otherWorker = await w.gridWorkerAccount(chain, await w.gridWorker(chain.grid));
    const res = await act(otherWorker.header, order, 'accept');
    expect(res.status).toBe(403);
    expect((res.body as { message: string }).message).toContain(`may accept work order ${order.number}`);
    // The compound's company staff do not even see a safety order routed to the grid worker.
    const staff = await w.login(Role.PropertyStaff, { company: chain.company });
    expect((await act(staff.header, order, 'accept')).status).toBe(404);
  });

  it('refuses verification by whoever resolved the order, and accepts the owners\' committee of its compound', async () => {
    const chain = await t.factories.newOrgChain();
    const deskWorker = await w.login(Role.CommunityWorker, { orgUnit: chain.community });
    const reporter = await w.login(Role.ResidentsCommittee, { compound: chain.compound });
    const reported = await t
      .http()
      .post('/work-orders')
      .set('Authorization', reporter.header)
      .send({ compoundId: chain.compound.id, category: 'neighbourhood', type: 'noise', severity: 'minor', title: '夜间施工噪音' })
      .expect(201);
    const order = reported.body as View;
    expect(order.assignedTo.desk).toBe(true);
    await ok(deskWorker.header, order, 'accept');
    await ok(deskWorker.header, order, 'resolve');

    const self = await act(deskWorker.header, order, 'verify');
    expect(self.status).toBe(403);
    expect((self.body as { message: string }).message).toBe(
      `work order ${order.number} was resolved by you: someone else must verify it (督查); the policy of this community does not allow self-verification`,
    );
    const otherCompound = await t.factories.newOrgChain();
    const outsider = await w.login(Role.OwnersCommittee, { compound: otherCompound.compound });
    expect((await act(outsider.header, order, 'verify')).status).toBe(404);
    const committee = await w.login(Role.OwnersCommittee, { compound: chain.compound });
    expect((await ok(committee.header, order, 'verify')).status).toBe('verified');
  });

  it('lets whoever resolved an order verify it when the community policy allows self-verification', async () => {
    const chain = await t.factories.newOrgChain();
    const deskWorker = await w.login(Role.CommunityWorker, { orgUnit: chain.community });
    await t.http().put('/routing-policies').set('Authorization', admin).send({ communityId: chain.community.id, categories: {}, allowSelfVerify: true }).expect(200);
    const res = await t
      .http()
      .post('/desk/requests')
      .set('Authorization', deskWorker.header)
      .send({ communityId: chain.community.id, requestType: 'residence_certificate', title: '居住证明', documentsComplete: true })
      .expect(201);
    await ok(deskWorker.header, res.body as View, 'resolve');
    expect((await ok(deskWorker.header, res.body as View, 'verify')).status).toBe('verified');
  });

  it('reopens a resolved order back to dispatched with a new SLA, new timers and a notice', async () => {
    const { chain, order, worker, supervisor } = await alertOrder();
    const target = await w.target('grid_worker', (await w.order(order.id)).assignedGridWorker!.id);
    await ok(worker, order, 'accept');
    await ok(worker, order, 'resolve');
    const before = await w.order(order.id);

    const reopened = await ok(supervisor, order, 'reopen', { reason: '复查仍有烟味' });

    expect(reopened).toMatchObject({ status: 'dispatched', reopenCount: 1, stage: 'open' });
    expect(reopened.resolvedLevel).toBeUndefined();
    const after = await w.order(order.id);
    expect(after.acceptDueAt!.getTime()).toBeGreaterThan(before.acceptDueAt!.getTime());
    expect(after.openKey).toBe(before.openKey);
    const timers = (await w.timers(order.id)).map((i) => `${i.op} ${i.jobId}`);
    expect(timers).toEqual(expect.arrayContaining([`add escalate.${order.id}.community.r1.accept`, `add remind.${order.id}.community.r1.1`]));
    // Armed when it is accepted again (sla-clock armTimers).
    expect(timers).not.toContain(`add escalate.${order.id}.community.r1.resolve`);
    const deliveries = await w.deliveries(order.id);
    expect(deliveries.filter((d) => d.targetId === target.id).map((d) => d.event)).toEqual(['reopened']);
    expect(chain.community.id).toBe(after.community.id);
  });

  it('closes an order as a duplicate of another existing order only', async () => {
    const { order, supervisor, chain } = await alertOrder();
    const other = await w.open({ source: 'patrol', category: 'safety', type: 'smoke.report', severity: 'major', title: '楼道冒烟', communityId: chain.community.id, route: 'auto' });
    const reasons = async (body: object) => {
      const res = await act(supervisor, order, 'close', body);
      return { status: res.status, field: (res.body as { details: { field?: string }[] }).details?.[0]?.field };
    };
    expect(await reasons({ reason: 'duplicate' })).toEqual({ status: 400, field: 'duplicateOfId' });
    expect(await reasons({ reason: 'duplicate', duplicateOfId: order.id })).toEqual({ status: 400, field: 'duplicateOfId' });
    expect(await reasons({ reason: 'duplicate', duplicateOfId: '00000000-0000-4000-8000-000000000000' })).toEqual({ status: 400, field: 'duplicateOfId' });

    const closed = await ok(supervisor, order, 'close', { reason: 'duplicate', duplicateOfId: other.id });
    expect(closed).toMatchObject({ status: 'closed', closingReason: 'duplicate', duplicateOfId: other.id });
    expect((await w.order(order.id)).openKey).toBeNull();
  });

  it('closes an order as not our responsibility by opening a linked order for whoever is', async () => {
    const { order, supervisor, chain } = await alertOrder();
    const elsewhere = await t.factories.newOrgChain(chain.city);
    const held = await w.order(order.id);

    const closed = await ok(supervisor, order, 'close', { reason: 'not_responsible', referTo: { companyId: elsewhere.company.id, name: '电力维修公司' } });

    expect(closed.closingReason).toBe('not_responsible');
    expect(closed.referredToId).toBeDefined();
    const linked = await w.order(closed.referredToId!);
    expect(linked).toMatchObject({ status: 'dispatched', source: 'alert', type: 'smoke.alarm', openKey: held.openKey });
    expect(linked.assignedCompany?.id).toBe(elsewhere.company.id);
    const routed = (await w.history(linked.id)).find((e) => e.action === 'routed');
    expect(routed?.text).toContain(`from work order ${order.number}`);
    expect(routed?.text).toContain('电力维修公司');
  });

  it('reassigns an order to a grid worker, notifies them, and keeps the desk owner', async () => {
    const chain = await t.factories.newOrgChain();
    const deskWorker = await w.login(Role.CommunityWorker, { orgUnit: chain.community });
    const gw = await w.gridWorker(chain.grid);
    const target = await w.target('grid_worker', gw.id);
    const res = await t
      .http()
      .post('/desk/requests')
      .set('Authorization', deskWorker.header)
      .send({ communityId: chain.community.id, requestType: 'repair', title: '路灯维修', documentsComplete: false })
      .expect(201);
    const order = res.body as View;

    const assigned = await ok(deskWorker.header, order, 'assign', { gridWorkerId: gw.id, reason: '需上门查看' });

    expect(assigned.assignedTo).toMatchObject({ gridWorker: { id: gw.id }, desk: false });
    expect(assigned.owner?.id).toBe(deskWorker.account.id);
    expect(assigned.assignee).toBeUndefined();
    expect((await w.deliveries(order.id)).filter((d) => d.targetId === target.id).map((d) => d.event)).toEqual(['reassigned']);
    const outOfScope = await t.factories.newOrgChain();
    const foreign = await w.gridWorker(outOfScope.grid);
    expect((await act(deskWorker.header, order, 'assign', { gridWorkerId: foreign.id })).status).toBe(403);
  });

  it('takes photo evidence as http or https links only, at most twenty', async () => {
    const { order, worker } = await alertOrder();
    expect((await act(worker, order, 'evidence', { urls: ['ftp://example.cn/a.jpg'] })).status).toBe(400);
    expect((await act(worker, order, 'evidence', { urls: Array.from({ length: 21 }, (_, i) => `https://example.cn/${i}.jpg`) })).status).toBe(400);
    expect((await act(worker, order, 'evidence', { urls: Array.from({ length: 20 }, (_, i) => `https://example.cn/${i}.jpg`) })).status).toBe(200);
  });

  it('records progress from 0 to 100 percent and refuses more', async () => {
    const { order, worker } = await alertOrder();
    expect((await act(worker, order, 'progress', { percent: 101 })).status).toBe(400);
    expect((await ok(worker, order, 'progress', { percent: 40 })) as unknown as { progress: number }).toMatchObject({ progress: 40 });
    const entry = (await w.history(order.id)).find((e) => e.action === 'progress');
    expect(entry?.details).toEqual({ from: null, to: 40 });
  });
});
