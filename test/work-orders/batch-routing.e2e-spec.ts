import { Alert } from '@sc/core/alerts/entities/alert.entity';
import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import { WorkOrderRouting } from '@sc/core/work-orders/work-order-routing';
import { createTestApp, TestApp } from '../support/test-app';
import { WorkOrderWorld } from './work-order-world';

/** The worker routes the alert jobs that run at the same time as one batch (WorkOrderRouting.routeAlerts). */
describe('routing alerts in batches', () => {
  let t: TestApp;
  let w: WorkOrderWorld;
  let routing: WorkOrderRouting;

  beforeAll(async () => {
    t = await createTestApp();
    w = new WorkOrderWorld(t);
    routing = t.app.get(WorkOrderRouting);
  });
  afterAll(async () => {
    await t.close();
  });

  async function routedOrder(results: Map<string, string | Error | undefined>, alertId: string): Promise<WorkOrder> {
    const id = results.get(alertId);
    if (typeof id !== 'string') throw new Error(`alert ${alertId} was not routed: ${String(id)}`);
    return w.order(id);
  }

  it('routes a batch of alerts of several communities and kinds exactly as it routes them one at a time', async () => {
    const north = await t.factories.newOrgChain();
    const south = await t.factories.newOrgChain();
    const northWorker = await w.gridWorker(north.grid, { name: '北网格员' });
    await w.target('grid_worker', northWorker.id);
    await w.target('company', north.company.id);
    await w.target('company', south.company.id);
    // South has no grid worker: its safety alert falls back to the community desk, with the reason.
    const smoke = await w.alert(await w.device(north, 'smoke'), { alertType: 'smoke.alarm', severity: 'major', category: 'safety' });
    const lift = await w.alert(await w.device(south, 'elevator'), { alertType: 'elevator.fault', severity: 'major', category: 'facility' });
    const trapped = await w.alert(await w.device(north, 'elevator'), { alertType: 'elevator.trapped', severity: 'critical', category: 'facility' });
    const southSmoke = await w.alert(await w.device(south, 'smoke'), { alertType: 'smoke.alarm', severity: 'major', category: 'safety' });

    const results = await routing.routeAlerts([smoke.id, lift.id, trapped.id, southSmoke.id]);

    const [a, b, c, d] = await Promise.all([smoke, lift, trapped, southSmoke].map((alert) => routedOrder(results, alert.id)));
    expect(new Set([a.id, b.id, c.id, d.id]).size).toBe(4);
    expect([a.assignedGridWorker?.id, a.assignedCompany?.id ?? null, a.status]).toEqual([northWorker.id, null, 'dispatched']);
    expect([b.assignedGridWorker ?? null, b.assignedCompany?.id, b.status]).toEqual([null, south.company.id, 'dispatched']);
    expect([c.assignedGridWorker?.id, c.assignedCompany?.id]).toEqual([northWorker.id, north.company.id]);
    expect(d).toMatchObject({ assignedDesk: true, status: 'dispatched' });
    const routedText = async (order: WorkOrder) => (await w.history(order.id)).find((e) => e.action === 'routed')?.text;
    expect(await routedText(d)).toBe(`safety alert: no active grid worker on grid ${south.grid.name} → community desk of ${south.community.name}`);
    expect(await routedText(c)).toContain('critical facility alert → grid worker 北网格员');
    // One delivery per routed recipient with a target; the desk of the south community has none.
    expect((await w.deliveries(a.id)).map((x) => x.event)).toEqual(['created']);
    expect(await w.deliveries(c.id)).toHaveLength(2);
    expect(await w.deliveries(d.id)).toHaveLength(0);
    for (const order of [a, b, c, d]) {
      const history = await w.history(order.id);
      expect(history.map((e) => e.action)).toEqual(['created', 'routed']);
      expect((await w.timers(order.id)).map((i) => i.name).sort()).toEqual(['work-order.escalate', 'work-order.remind']);
    }
    const linked = await t.em().find(Alert, { id: { $in: [smoke.id, lift.id, trapped.id, southSmoke.id] } });
    expect(linked.map((x) => results.get(x.id) === x.workOrderId)).toEqual([true, true, true, true]);
  });

  it('makes one order of two alerts of one batch that share an open key, and leaves an alert routed earlier on its order', async () => {
    const chain = await t.factories.newOrgChain();
    await w.gridWorker(chain.grid);
    const device = await w.device(chain, 'smoke');
    const earlier = await w.alert(await w.device(chain, 'smoke'), { alertType: 'smoke.alarm', severity: 'major', category: 'safety' });
    const earlierOrder = await w.route(earlier.id);
    const cleared = await w.alert(device, { alertType: 'smoke.alarm', severity: 'major', category: 'safety', open: false });
    const raisedAgain = await w.alert(device, { alertType: 'smoke.alarm', severity: 'major', category: 'safety' });

    const results = await routing.routeAlerts([raisedAgain.id, earlier.id, cleared.id]);

    expect(results.get(earlier.id)).toBe(earlierOrder.id);
    expect(results.get(cleared.id)).toBe(results.get(raisedAgain.id));
    const order = await routedOrder(results, cleared.id);
    expect(order.alertCount).toBe(2);
    const history = await w.history(order.id);
    expect(history.filter((e) => e.action === 'created')).toHaveLength(1);
    expect(history.filter((e) => e.action === 'attached')).toHaveLength(1);
    expect((await w.history(earlierOrder.id)).map((e) => e.action)).toEqual(['created', 'routed']);
  });

  it('routes every alert exactly once when overlapping batches run at the same time', async () => {
    const chain = await t.factories.newOrgChain();
    await w.gridWorker(chain.grid);
    const alerts: Alert[] = [];
    for (let i = 0; i < 24; i++) alerts.push(await w.alert(await w.device(chain, 'smoke'), { alertType: 'smoke.alarm', severity: 'major', category: 'safety' }));
    const ids = alerts.map((a) => a.id);

    const runs = await Promise.all([
      routing.routeAlerts(ids.slice(0, 16)),
      routing.routeAlerts(ids.slice(8).reverse()),
      routing.routeAlerts(ids.filter((_, i) => i % 3 === 0)),
    ]);

    for (const id of ids) {
      const seen = new Set(runs.flatMap((r) => (r.has(id) ? [r.get(id)] : [])));
      expect(seen.size).toBe(1);
    }
    const orders = await t.em().find(WorkOrder, { alertId: { $in: ids } });
    expect(orders).toHaveLength(24);
    expect(orders.every((o) => o.alertCount === 1)).toBe(true);
    const linked = await t.em().find(Alert, { id: { $in: ids } });
    expect(linked.every((a) => orders.some((o) => o.id === a.workOrderId && o.alertId === a.id))).toBe(true);
  });

  it('answers an unknown alert id with no order and still routes the rest of its batch', async () => {
    const chain = await t.factories.newOrgChain();
    await w.gridWorker(chain.grid);
    const alert = await w.alert(await w.device(chain, 'smoke'), { alertType: 'smoke.alarm', severity: 'major', category: 'safety' });
    const unknown = '00000000-0000-4000-8000-000000000000';

    const results = await routing.routeAlerts([unknown, alert.id]);

    expect(results.get(unknown)).toBeUndefined();
    expect(typeof results.get(alert.id)).toBe('string');
  });
});
