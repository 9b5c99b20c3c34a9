import { Alert } from '@sc/core/alerts/entities/alert.entity';
import { Delivery } from '@sc/core/delivery/entities/delivery.entity';
import { OutboxEntry } from '@sc/core/outbox/entities/outbox-entry.entity';
import { jobIds } from '@sc/messaging';
import { QueueSet } from '@sc/platform';
import { waitFor } from '@sc/testing/wait';
import { createFullStack, FullStack, StackCommunity } from '../support/full-stack';

/**
 * The worker sends a new order's webhooks itself right after routing commits (DirectDeliveries):
 * no delivery job when the send succeeds, the deliveries queue when it does not.
 */
describe('deliveries of a routed alert sent at once by the routing worker', () => {
  let stack: FullStack;
  let site: StackCommunity;

  beforeAll(async () => {
    stack = await createFullStack({ env: { DELIVERY_BACKOFF_MS: '100' } });
    site = await stack.community();
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  });

  async function smokeAlarmDelivery(path: string): Promise<Delivery> {
    const smoke = await stack.device(site.chain, 'smoke');
    const client = await stack.connect(smoke);
    const msgId = await stack.publishEvent(client, smoke, 'smoke.alarm', {});
    const alert = await waitFor('the alert routed', async () => (await stack.t.em().findOne(Alert, { sourceMsgId: msgId, workOrderId: { $ne: null } })) ?? undefined, { withinMs: 15_000 });
    const delivery = await waitFor('the delivery delivered', async () => (await stack.t.em().findOne(Delivery, { subjectId: alert.workOrderId!, status: 'delivered' })) ?? undefined, {
      withinMs: 20_000,
    });
    expect(stack.receiver.delivered(path).filter((r) => r.deliveryId === delivery.id).map((r) => r.verdict)).toEqual([{ ok: true }]);
    return delivery;
  }

  const jobOf = (delivery: Delivery) => stack.t.app.get(QueueSet).get('deliveries').getJob(jobIds.deliver({ deliveryId: delivery.id }));
  const outboxRowsOf = async (delivery: Delivery) =>
    (await stack.t.em().find(OutboxEntry, {})).filter((row) => row.intent.jobId === jobIds.deliver({ deliveryId: delivery.id }));

  it('delivers without a delivery job and leaves no outbox row behind', async () => {
    await stack.webhook('grid_worker', site.gridWorker.id, '/direct');
    const delivery = await smokeAlarmDelivery('/direct');
    expect(delivery.attempts).toBe(1);
    await waitFor('the held outbox row deleted', async () => ((await outboxRowsOf(delivery)).length === 0 ? true : undefined), { withinMs: 5_000 });
    expect(await jobOf(delivery)).toBeUndefined();
  });

  it('hands a send that failed to the deliveries queue, which retries it', async () => {
    stack.receiver.failNext('/direct', 1, 500);
    const delivery = await smokeAlarmDelivery('/direct');
    // The direct attempt (500), then the queue's.
    expect(delivery.attempts).toBe(2);
    expect(stack.receiver.requests.filter((r) => r.path === '/direct' && r.deliveryId === delivery.id).map((r) => r.answered)).toEqual([500, 200]);
    expect(await (await jobOf(delivery))?.getState()).toBe('completed');
    expect(await outboxRowsOf(delivery)).toEqual([]);
  });
});
