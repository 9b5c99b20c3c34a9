import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import { Alert } from '@sc/core/alerts/entities/alert.entity';
import { WEBHOOK_HEADERS } from '@sc/messaging';
import { waitFor } from '@sc/testing/wait';
import { createFullStack, FullStack, StackCommunity } from '../support/full-stack';

/** Issue 4's end-to-end routing cases: MQTT in, work order stored, signed webhook out. */
describe('a device alarm ends as a work order delivered to whoever must act', () => {
  let stack: FullStack;
  let site: StackCommunity;

  beforeAll(async () => {
    stack = await createFullStack();
    site = await stack.community();
    await stack.webhook('grid_worker', site.gridWorker.id, '/grid-worker');
    await stack.webhook('company', site.chain.company.id, '/company');
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  });

  async function orderFor(msgId: string): Promise<WorkOrder> {
    const alert = await waitFor(`the alert of ${msgId} routed to a work order`, async () => (await stack.t.em().findOne(Alert, { sourceMsgId: msgId, workOrderId: { $ne: null } })) ?? undefined, {
      withinMs: 15_000,
    });
    return stack.t.em().findOneOrFail(WorkOrder, { id: alert.workOrderId! }, { populate: ['assignedGridWorker', 'assignedCompany'] });
  }

  function deliveriesOf(path: string, orderId: string) {
    return stack.receiver.delivered(path).filter((r) => (r.body as { workOrder?: { id?: string } }).workOrder?.id === orderId);
  }

  it('a smoke alarm published by a device ends as a work order for its grid worker, delivered to that worker’s webhook, correctly signed', async () => {
    const smoke = await stack.device(site.chain, 'smoke');
    const client = await stack.connect(smoke);
    const msgId = await stack.publishEvent(client, smoke, 'smoke.alarm', { level: 3 });

    const order = await orderFor(msgId);
    expect(order.assignedGridWorker?.id).toBe(site.gridWorker.id);
    expect(order.status).toBe('dispatched');
    expect(order.type).toBe('smoke.alarm');

    const [delivery] = await waitFor('the grid worker’s webhook delivery', () => {
      const got = deliveriesOf('/grid-worker', order.id);
      return got.length > 0 ? got : undefined;
    }, { withinMs: 15_000 });
    expect(delivery.verdict).toEqual({ ok: true });
    expect(delivery.headers[WEBHOOK_HEADERS.signature]).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(delivery.headers[WEBHOOK_HEADERS.delivery]).toBeDefined();
    const body = delivery.body as { event: string; workOrder: { number: string }; alert: { sourceMsgId: string } };
    expect(body.event).toBe('created');
    expect(body.workOrder.number).toBe(order.number);
    expect(body.alert.sourceMsgId).toBe(msgId);
  });

  it('an elevator fault goes to the property company that manages the compound, and nobody else', async () => {
    const elevator = await stack.device(site.chain, 'elevator');
    const client = await stack.connect(elevator);
    const msgId = await stack.publishEvent(client, elevator, 'elevator.fault', { code: 'E31' });

    const order = await orderFor(msgId);
    expect(order.assignedCompany?.id).toBe(site.chain.company.id);
    expect(order.assignedGridWorker).toBeFalsy();
    await waitFor('the company’s delivery', () => (deliveriesOf('/company', order.id).length > 0 ? true : undefined), { withinMs: 15_000 });
    expect(deliveriesOf('/grid-worker', order.id)).toHaveLength(0);
  });

  it('a trapped passenger, being critical, goes to the property company and the grid worker both', async () => {
    const elevator = await stack.device(site.chain, 'elevator');
    const client = await stack.connect(elevator);
    const msgId = await stack.publishEvent(client, elevator, 'elevator.trapped', { floor: 7 });

    const order = await orderFor(msgId);
    expect(order.severity).toBe('critical');
    expect(order.assignedCompany?.id).toBe(site.chain.company.id);
    expect(order.assignedGridWorker?.id).toBe(site.gridWorker.id);
    await waitFor(
      'deliveries to the company and the grid worker',
      () => (deliveriesOf('/company', order.id).length > 0 && deliveriesOf('/grid-worker', order.id).length > 0 ? true : undefined),
      { withinMs: 15_000 },
    );
    for (const path of ['/company', '/grid-worker']) expect(deliveriesOf(path, order.id).every((r) => r.verdict?.ok)).toBe(true);
  });
});
