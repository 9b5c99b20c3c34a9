import { OrgChain } from '@sc/testing';
import { Alert } from '@sc/core/alerts/entities/alert.entity';
import { createTestApp, TestApp } from '../support/test-app';
import { suffix, WorkOrderWorld } from './work-order-world';

interface RoutedDetails {
  targets: { kind: string; id: string; name: string }[];
  reason: string;
}

describe('routing alerts to work orders', () => {
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

  async function routedEntry(orderId: string): Promise<RoutedDetails & { text?: string }> {
    const entry = (await w.history(orderId)).find((e) => e.action === 'routed');
    if (!entry) throw new Error('no routed entry');
    return { ...(entry.details as unknown as RoutedDetails), text: entry.text };
  }

  it('sends a safety alert to the active full-time grid worker of the grid, first by code, and records why', async () => {
    const chain = await t.factories.newOrgChain();
    const tag = suffix();
    await w.gridWorker(chain.grid, { code: `A-${tag}-0`, name: '兼职', fullTime: false });
    await w.gridWorker(chain.grid, { code: `A-${tag}-1`, name: '离岗', active: false });
    const chosen = await w.gridWorker(chain.grid, { code: `A-${tag}-2`, name: '王五' });
    await w.gridWorker(chain.grid, { code: `A-${tag}-3`, name: '赵六' });
    const target = await w.target('grid_worker', chosen.id);
    const device = await w.device(chain, 'smoke');
    const alert = await w.alert(device, { alertType: 'smoke.alarm', severity: 'major', category: 'safety', nameZh: '烟感报警', sourceMsgId: 'm-smoke-1' });

    const order = await w.route(alert.id);

    expect(order).toMatchObject({ status: 'dispatched', source: 'alert', category: 'safety', type: 'smoke.alarm', level: 'community', alertCount: 1, assignedDesk: false });
    expect(order.number).toMatch(/^GD\d{8}-[0-9a-f]{8}$/);
    expect(order.title).toBe('烟感报警 · 2单元3楼楼道');
    expect(order.assignedGridWorker?.id).toBe(chosen.id);
    expect(order.assignedCompany).toBeFalsy();
    expect(order.dispatchedAt).toBeTruthy();
    expect(order.levelUnit.id).toBe(chain.community.id);
    const routed = await routedEntry(order.id);
    expect(routed.reason).toBe(`safety alert → grid worker 王五 (A-${tag}-2) of grid ${chain.grid.name}`);
    expect(routed.targets).toEqual([{ kind: 'grid_worker', id: chosen.id, name: '王五', code: `A-${tag}-2` }]);
    const deliveries = await w.deliveries(order.id);
    expect(deliveries.map((d) => [d.targetId, d.event])).toEqual([[target.id, 'created']]);
    expect(deliveries[0].payload).toMatchObject({
      event: 'created',
      workOrder: { id: order.id, number: order.number, status: 'dispatched', assignedTo: { gridWorker: { id: chosen.id }, desk: false }, device: { id: device.id, type: 'smoke' } },
      alert: { id: alert.id, sourceMsgId: 'm-smoke-1', type: 'smoke.alarm', count: 1 },
    });
    const linked = await t.em().findOneOrFail(Alert, { id: alert.id });
    expect(linked.workOrderId).toBe(order.id);
  });

  it('sends a facility alert to the property company that manages the compound', async () => {
    const chain = await t.factories.newOrgChain();
    await w.gridWorker(chain.grid);
    const device = await w.device(chain, 'elevator');
    const alert = await w.alert(device, { alertType: 'elevator.trapped', severity: 'major', category: 'facility' });

    const order = await w.route(alert.id);

    expect(order.assignedCompany?.id).toBe(chain.company.id);
    expect(order.assignedGridWorker).toBeFalsy();
    expect((await routedEntry(order.id)).reason).toBe(`facility alert → property company ${chain.company.name} (${chain.company.code}) of ${chain.compound.name}`);
  });

  it('sends a critical alert to both the grid worker and the property company', async () => {
    const chain = await t.factories.newOrgChain();
    const worker = await w.gridWorker(chain.grid, { name: '李四' });
    await w.target('grid_worker', worker.id);
    await w.target('company', chain.company.id);
    const device = await w.device(chain, 'gas');
    const alert = await w.alert(device, { alertType: 'gas.leak', severity: 'critical', category: 'safety' });

    const order = await w.route(alert.id);

    expect(order.assignedGridWorker?.id).toBe(worker.id);
    expect(order.assignedCompany?.id).toBe(chain.company.id);
    const routed = await routedEntry(order.id);
    expect(routed.reason).toMatch(/^critical safety alert → grid worker 李四 \(.+\) of grid .+ and property company .+$/);
    expect((await w.deliveries(order.id)).map((d) => d.event)).toEqual(['created', 'created']);
  });

  it('leaves the order to the community desk when nobody is found, and says why', async () => {
    const chain = await t.factories.newOrgChain();
    await w.gridWorker(chain.grid, { active: false });
    const desk = await w.target('unit', chain.community.id);
    const device = await w.device(chain, 'smoke');
    const alert = await w.alert(device, { alertType: 'smoke.alarm', severity: 'major', category: 'safety' });

    const order = await w.route(alert.id);

    expect(order).toMatchObject({ assignedDesk: true, status: 'dispatched' });
    expect(order.assignedGridWorker).toBeFalsy();
    const routed = await routedEntry(order.id);
    expect(routed.reason).toBe(`safety alert: no active grid worker on grid ${chain.grid.name} → community desk of ${chain.community.name}`);
    expect(routed.targets).toEqual([{ kind: 'unit', id: chain.community.id, name: chain.community.name, code: chain.community.code }]);
    expect((await w.deliveries(order.id)).map((d) => d.targetId)).toEqual([desk.id]);

    const outside = await w.device(chain, 'water_leak', { inCompound: false });
    const facility = await w.route((await w.alert(outside, { alertType: 'water.leak', severity: 'minor', category: 'facility' })).id);
    expect((await routedEntry(facility.id)).reason).toBe(`facility alert: it is in no compound, so no property company → community desk of ${chain.community.name}`);
  });

  it('attaches a second alert with the same open key to the open order instead of opening another', async () => {
    const chain = await t.factories.newOrgChain();
    await w.gridWorker(chain.grid);
    const device = await w.device(chain, 'smoke');
    const first = await w.alert(device, { alertType: 'smoke.alarm', severity: 'major', category: 'safety', open: false });
    const second = await w.alert(device, { alertType: 'smoke.alarm', severity: 'major', category: 'safety' });

    const order = await w.route(first.id);
    const again = await w.route(second.id);

    expect(again.id).toBe(order.id);
    expect(again.alertCount).toBe(2);
    const attached = (await w.history(order.id)).filter((e) => e.action === 'attached');
    expect(attached.map((e) => e.details?.alertId)).toEqual([second.id]);
    expect((await t.em().findOneOrFail(Alert, { id: second.id })).workOrderId).toBe(order.id);
  });

  it('routes an alert once however often the job runs, also concurrently', async () => {
    const chain = await t.factories.newOrgChain();
    await w.gridWorker(chain.grid);
    const device = await w.device(chain, 'smoke');
    const alert = await w.alert(device, { alertType: 'smoke.alarm', severity: 'major', category: 'safety', open: false });
    const other = await w.alert(device, { alertType: 'smoke.alarm', severity: 'major', category: 'safety' });

    const ids = await Promise.all([alert.id, alert.id, other.id, other.id].map((id) => w.route(id).then((o) => o.id)));

    expect(new Set(ids).size).toBe(1);
    const order = await w.order(ids[0]);
    expect(order.alertCount).toBe(2);
    const history = await w.history(order.id);
    expect(history.filter((e) => e.action === 'created')).toHaveLength(1);
    expect(history.filter((e) => e.action === 'attached')).toHaveLength(1);
  });

  it('follows a community routing policy over the global one, and refuses an unknown target', async () => {
    const chain: OrgChain = await t.factories.newOrgChain();
    await w.gridWorker(chain.grid);
    await t
      .http()
      .put('/routing-policies')
      .set('Authorization', admin)
      .send({ communityId: chain.community.id, categories: { safety: 'property_company' } })
      .expect(200);
    const device = await w.device(chain, 'smoke');
    const order = await w.route((await w.alert(device, { alertType: 'smoke.alarm', severity: 'major', category: 'safety' })).id);
    expect(order.assignedCompany?.id).toBe(chain.company.id);
    expect(order.assignedGridWorker).toBeFalsy();

    const bad = await t.http().put('/routing-policies').set('Authorization', admin).send({ communityId: chain.community.id, categories: { safety: 'mayor' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('unknown target mayor');
  });
});
