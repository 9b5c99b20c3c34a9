import { Delivery } from '@sc/core/delivery/entities/delivery.entity';
import { Alert } from '@sc/core/alerts/entities/alert.entity';
import { waitFor } from '@sc/testing/wait';
import { createFullStack, FullStack, StackCommunity } from '../support/full-stack';

/** Issue 4: failing webhook targets get the delivery when they recover; the hopeless end in the dead-letter queue. */
describe('deliveries to failing webhook targets', () => {
  let stack: FullStack;
  let site: StackCommunity;

  beforeAll(async () => {
    // Four attempts 200 ms apart at first: five failures need the retries after a redrive, too.
    stack = await createFullStack({ env: { DELIVERY_ATTEMPTS: '8', DELIVERY_BACKOFF_MS: '100' } });
    site = await stack.community();
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  });

  async function raiseFacilityAlarm(): Promise<string> {
    const elevator = await stack.device(site.chain, 'elevator');
    const client = await stack.connect(elevator);
    const msgId = await stack.publishEvent(client, elevator, 'elevator.fault', {});
    const alert = await waitFor('the elevator alert routed', async () => (await stack.t.em().findOne(Alert, { sourceMsgId: msgId, workOrderId: { $ne: null } })) ?? undefined, {
      withinMs: 15_000,
    });
    return alert.workOrderId!;
  }

  it('a webhook target that fails five times receives the delivery once it recovers', async () => {
    const targetId = await stack.webhook('company', site.chain.company.id, '/flaky');
    stack.receiver.failNext('/flaky', 5, 500);
    const orderId = await raiseFacilityAlarm();

    const delivered = await waitFor('the delivery after five failures', async () => {
      const row = await stack.t.em().findOne(Delivery, { subjectId: orderId, targetId, status: 'delivered' });
      return row ?? undefined;
    }, { withinMs: 30_000 });
    expect(delivered.attempts).toBe(6);
    const requests = stack.receiver.requests.filter((r) => r.path === '/flaky' && r.deliveryId === delivered.id);
    expect(requests.map((r) => r.answered)).toEqual([500, 500, 500, 500, 500, 200]);
    expect(requests[5].verdict).toEqual({ ok: true });
    await stack.t.http().patch(`/delivery-targets/${targetId}`).set('Authorization', await stack.t.adminAuth()).send({ enabled: false });
  }, 60_000);

  it('a target that never recovers ends in the dead-letter queue, and redrive delivers it', async () => {
    const targetId = await stack.webhook('company', site.chain.company.id, '/down');
    stack.receiver.failNext('/down', Number.POSITIVE_INFINITY, 503);
    const orderId = await raiseFacilityAlarm();
    const admin = await stack.t.adminAuth();

    const dead = await waitFor('the delivery marked dead', async () => (await stack.t.em().findOne(Delivery, { subjectId: orderId, targetId, status: 'dead' })) ?? undefined, {
      withinMs: 60_000,
    });
    expect(dead.lastError).toMatch(/503/);
    const listed = await waitFor('the dead-letter entry', async () => {
      const res = await stack.t.http().get('/queues/dead-letter').set('Authorization', admin);
      const items = (res.body as { items: { id: string; data: { deliveryId?: string } }[] }).items ?? [];
      return items.find((i) => i.data.deliveryId === dead.id);
    }, { withinMs: 10_000 });

    stack.receiver.recover('/down');
    const redrive = await stack.t.http().post(`/queues/dead-letter/${encodeURIComponent(listed.id)}/redrive`).set('Authorization', admin).send({});
    expect(redrive.status).toBeLessThan(300);
    await waitFor('the redriven delivery', async () => (await stack.t.em().findOne(Delivery, { id: dead.id, status: 'delivered' })) ?? undefined, { withinMs: 20_000 });
    const ok = stack.receiver.delivered('/down').filter((r) => r.deliveryId === dead.id);
    expect(ok).toHaveLength(1);
    expect(ok[0].verdict).toEqual({ ok: true });
    const after = await stack.t.http().get('/queues/dead-letter').set('Authorization', admin);
    expect(((after.body as { items: { id: string }[] }).items ?? []).some((i) => i.id === listed.id)).toBe(false);
  }, 120_000);
});
