import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import { Alert } from '@sc/core/alerts/entities/alert.entity';
import { jobIds, QUEUES } from '@sc/messaging';
import { delay, waitFor } from '@sc/testing/wait';
import { createFullStack, FullStack, StackCommunity } from '../support/full-stack';

/** Issue 4: an order nobody accepts climbs the ladder, on a shortened SLA, delivered at each level. */
describe('an unaccepted work order climbs from the community to the street and the district', () => {
  let stack: FullStack;
  let site: StackCommunity;

  beforeAll(async () => {
    stack = await createFullStack();
    site = await stack.community();
    await stack.webhook('grid_worker', site.gridWorker.id, '/grid-worker');
    await stack.webhook('unit', site.chain.street.id, '/street');
    await stack.webhook('unit', site.chain.district.id, '/district');
    await stack.webhook('unit', site.chain.city.id, '/city');
    // Accept within 3 s at the community, 6 s at the street, 12 s at the district.
    const res = await stack.t
      .http()
      .put('/sla-policies')
      .set('Authorization', await stack.t.adminAuth())
      .send({ category: 'safety', severity: 'critical', acceptMinutes: 0.05, resolveMinutes: 120, levelFactor: 2 });
    expect(res.status).toBeLessThan(300);
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  });

  const escalationsTo = (path: string, orderId: string) =>
    stack.receiver.delivered(path).filter((r) => {
      const body = r.body as { event?: string; workOrder?: { id?: string } };
      return body.event === 'escalated' && body.workOrder?.id === orderId;
    });

  it('is delivered at the street, then the district, and accepting it stops the climb', async () => {
    const sos = await stack.device(site.chain, 'sos_button');
    const client = await stack.connect(sos);
    const msgId = await stack.publishEvent(client, sos, 'sos.pressed', {});
    const alert = await waitFor('the SOS alert routed', async () => (await stack.t.em().findOne(Alert, { sourceMsgId: msgId, workOrderId: { $ne: null } })) ?? undefined, {
      withinMs: 15_000,
    });
    const orderId = alert.workOrderId!;

    await waitFor('the escalation delivered to the street', () => (escalationsTo('/street', orderId).length > 0 ? true : undefined), { withinMs: 20_000 });
    let order = await stack.t.em().findOneOrFail(WorkOrder, { id: orderId });
    expect(['street', 'district']).toContain(order.level);
    expect(order.slaBreached).toBe(true);

    await waitFor('the escalation delivered to the district', () => (escalationsTo('/district', orderId).length > 0 ? true : undefined), { withinMs: 30_000 });
    order = await stack.t.em().findOneOrFail(WorkOrder, { id: orderId });
    expect(order.level).toBe('district');
    const districtDeadline = order.acceptDueAt!.getTime();
    expect(escalationsTo('/street', orderId).every((r) => r.verdict?.ok)).toBe(true);
    expect(escalationsTo('/district', orderId).every((r) => r.verdict?.ok)).toBe(true);

    const worker = await stack.t.login(site.gridWorkerLogin.username, site.gridWorkerLogin.password);
    const accepted = await stack.t.http().post(`/work-orders/${orderId}/accept`).set('Authorization', worker).send({});
    expect(accepted.status).toBeLessThan(300);

    // The district's accept timer is gone from the queue...
    const queue = stack.t.app.get<Queue>(getQueueToken(QUEUES.workOrders));
    const timerId = jobIds.escalate({ workOrderId: orderId, level: 'district', deadline: 'accept' });
    await waitFor('the district accept timer removed', async () => {
      const job = await queue.getJob(timerId);
      return job === undefined || (await job.getState()) !== 'delayed' ? true : undefined;
    }, { withinMs: 10_000 });
    // ...and once its deadline has passed the order is still at the district: nothing reached the city.
    const pastDeadline = districtDeadline + 2_000 - Date.now();
    if (pastDeadline > 0) await delay(pastDeadline);
    order = await stack.t.em().findOneOrFail(WorkOrder, { id: orderId });
    expect(order.level).toBe('district');
    expect(order.status).toBe('accepted');
    expect(escalationsTo('/city', orderId)).toHaveLength(0);
  }, 90_000);
});
