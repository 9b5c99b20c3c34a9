import { Redis } from 'ioredis';
import { MqttClient } from 'mqtt';
import { Alert } from '@sc/core/alerts/entities/alert.entity';
import { OutboxEntry } from '@sc/core/outbox/entities/outbox-entry.entity';
import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import { JobReconciler } from '@sc/core/work-orders/job-reconciler';
import { PrivateRedis } from '@sc/testing/redis-server';
import { waitFor } from '@sc/testing/wait';
import { QueueWorkers } from '../../apps/worker/src/jobs/queue-workers';
import { createFullStack, FullStack, StackCommunity, StackDevice } from '../support/full-stack';

/**
 * Issue 4: Redis restarted in the middle of a burst of alerts. The private Redis keeps nothing on
 * disk, so the restart loses every job it held as well as the connection: the outbox carries what
 * committed while it was down, the reconciler what it lost.
 */
describe('Redis restarted in the middle of a burst of alerts', () => {
  let redis: PrivateRedis;
  let stack: FullStack;
  let site: StackCommunity;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    stack = await createFullStack({ env: { REDIS_URL: redis.url, RECONCILE_SECONDS: '1', DELIVERY_BACKOFF_MS: '100' } });
    site = await stack.community();
    await stack.webhook('grid_worker', site.gridWorker.id, '/grid-worker');
    await stack.webhook('company', site.chain.company.id, '/company');
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  });

  it('turns every alert into exactly one work order and one delivery to each recipient', async () => {
    const devices: { device: StackDevice; client: MqttClient }[] = [];
    for (let i = 0; i < 30; i += 1) {
      const device = await stack.device(site.chain, 'smoke');
      devices.push({ device, client: await stack.connect(device) });
    }
    const publish = (from: number, to: number) =>
      Promise.all(devices.slice(from, to).map(({ device, client }) => stack.publishEvent(client, device, 'smoke.alarm', {})));

    const msgIds = [...(await publish(0, 10))];
    await redis.kill();
    msgIds.push(...(await publish(10, 20)));
    // Committed while Redis was down: the jobs wait in the outbox.
    expect(await stack.t.em().count(OutboxEntry, {})).toBeGreaterThan(0);
    await redis.restart();
    msgIds.push(...(await publish(20, 30)));

    const alerts = await waitFor(
      'every alert routed to a work order',
      async () => {
        const rows = await stack.t.em().find(Alert, { sourceMsgId: { $in: msgIds } });
        return rows.length === 30 && rows.every((a) => a.workOrderId) ? rows : undefined;
      },
      { withinMs: 60_000 },
    );
    const orderIds = new Set(alerts.map((a) => a.workOrderId!));
    expect(orderIds.size).toBe(30);
    expect(await stack.t.em().count(WorkOrder, { id: { $in: [...orderIds] } })).toBe(30);

    const deliveredTo = (path: string) =>
      stack.receiver.delivered(path).filter((r) => {
        const body = r.body as { event: string; workOrder: { id: string } };
        return body.event === 'created' && orderIds.has(body.workOrder.id);
      });
    await waitFor(
      'one delivery per order at the grid worker and at the company',
      () => (deliveredTo('/grid-worker').length >= 30 && deliveredTo('/company').length >= 30 ? true : undefined),
      { withinMs: 60_000, describe: () => `grid worker ${deliveredTo('/grid-worker').length}, company ${deliveredTo('/company').length}` },
    );
    for (const path of ['/grid-worker', '/company']) {
      const got = deliveredTo(path);
      const perOrder = new Map<string, number>();
      for (const r of got) {
        const id = (r.body as { workOrder: { id: string } }).workOrder.id;
        perOrder.set(id, (perOrder.get(id) ?? 0) + 1);
      }
      expect(perOrder.size).toBe(30);
      expect([...perOrder.values()].every((n) => n === 1)).toBe(true);
      expect(got.every((r) => r.verdict?.ok)).toBe(true);
    }
    // The last rows to go are those the routing worker held while it sent the webhooks itself.
    await waitFor('the outbox drained', async () => ((await stack.t.em().count(OutboxEntry, {})) === 0 ? true : undefined), { withinMs: 10_000 });
  }, 180_000);

  it('re-arms from the database the jobs a restart of Redis took with it', async () => {
    const workers = stack.t.app.get(QueueWorkers);
    const devices: { device: StackDevice; client: MqttClient }[] = [];
    for (let i = 0; i < 10; i += 1) {
      const device = await stack.device(site.chain, 'smoke');
      devices.push({ device, client: await stack.connect(device) });
    }
    // Nothing runs: the route jobs wait in Redis once the relay has handed them over.
    await workers.pauseAll();
    const msgIds = await Promise.all(devices.map(({ device, client }) => stack.publishEvent(client, device, 'smoke.alarm', {})));
    await waitFor('the outbox handed to Redis', async () => ((await stack.t.em().count(OutboxEntry, {})) === 0 ? true : undefined), { withinMs: 15_000 });
    await redis.restart();
    workers.resumeAll();

    const alerts = await waitFor(
      'every alert routed after the restart',
      async () => {
        const rows = await stack.t.em().find(Alert, { sourceMsgId: { $in: msgIds } });
        return rows.length === 10 && rows.every((a) => a.workOrderId) ? rows : undefined;
      },
      { withinMs: 60_000 },
    );
    const orderIds = new Set(alerts.map((a) => a.workOrderId!));
    expect(orderIds.size).toBe(10);
    await waitFor(
      'their deliveries',
      () =>
        stack.receiver.delivered('/grid-worker').filter((r) => orderIds.has((r.body as { workOrder: { id: string } }).workOrder.id)).length >= 10 ? true : undefined,
      { withinMs: 60_000 },
    );
  }, 120_000);

  it('leaves the jobs marker missing while re-arming fails, so a later tick re-arms', async () => {
    const reconciler = stack.t.app.get(JobReconciler);
    const client = new Redis(redis.url);
    const marker = `${stack.queuePrefix}:jobs-marker`;
    const original = reconciler.reconcile.bind(reconciler);
    const reconcile = jest.spyOn(reconciler, 'reconcile').mockImplementation((options) => (options.timers ? Promise.reject(new Error('database away')) : original(options)));
    try {
      await client.del(marker); // Redis lost its data.
      await waitFor('two failed re-arms (a tick a second)', () => (reconcile.mock.calls.filter(([o]) => o.timers).length >= 2 ? true : undefined), { withinMs: 15_000 });
      expect(await client.exists(marker)).toBe(0);
      reconcile.mockRestore();
      await waitFor('a tick to re-arm and set the marker', async () => ((await client.exists(marker)) === 1 ? true : undefined), { withinMs: 15_000 });
      expect(await client.exists(`${marker}:rearming`)).toBe(0);
    } finally {
      reconcile.mockRestore();
      client.disconnect();
    }
  }, 60_000);
});
