import { Injectable } from '@nestjs/common';
import { Delivery } from '@sc/core/delivery/entities/delivery.entity';
import { Queue } from 'bullmq';
import { jobIds, JOBS, QUEUES } from '@sc/messaging';
import { QUEUE_SETTINGS, queueOptionsFor, QueueSet, QueueSettings } from '@sc/platform';
import { Role } from '@sc/core/identity/roles';
import { dropPrefixKeys, WebhookReceiver } from '@sc/testing';
import { waitFor } from '@sc/testing/wait';
import { OnJob } from '../../apps/worker/src/jobs/job-handler.decorator';
import { checkHandlers, RUNNABLE_JOBS } from '../../apps/worker/src/jobs/job-registry';
import { createTarget, newCompany, notify, waitForDelivery } from '../delivery/delivery-fixtures';
import { createTestApp, TestApp } from '../support/test-app';
import { startWorker, uniqueQueuePrefix, WorkerTestApp } from '../support/worker-test-app';

/** A second handler of delivery.send, as a careless merge could add. */
@Injectable()
class SecondDeliveryHandler {
  @OnJob(JOBS.deliver)
  async send(): Promise<void> {}
}

describe('the worker lifecycle', () => {
  const prefix = uniqueQueuePrefix();
  let t: TestApp;
  let receiver: WebhookReceiver;
  const workers: WorkerTestApp[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const worker = await startWorker({ ...t.db.env, QUEUE_PREFIX: prefix, DELIVERY_BACKOFF_MS: '100', ...env });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    t = await createTestApp({ env: { QUEUE_PREFIX: prefix } });
  });

  afterAll(async () => {
    for (const worker of workers) await worker.close().catch(() => undefined);
    await t?.close();
    await receiver?.stop();
    await dropPrefixKeys(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix);
  });

  async function slowTarget(path: string, ms: number): Promise<string> {
    const company = await newCompany(t.em());
    const target = await createTarget(t, { ownerKind: 'company', ownerId: company.id, channel: 'webhook', name: path, url: receiver.url(path) });
    receiver.setSecret(path, target.secret!);
    receiver.slow(path, ms);
    return company.id;
  }

  it('lets an active delivery finish before the worker closes', async () => {
    const worker = await start();
    const company = await slowTarget('/slow', 1500);
    const [deliveryId] = await notify(t, [{ kind: 'company', id: company }]);
    await waitFor('the delivery to be in flight', () => (receiver.arrived('/slow') === 1 ? true : undefined), { withinMs: 10_000, everyMs: 20 });
    const started = Date.now();
    await worker.close();
    expect(Date.now() - started).toBeGreaterThan(800);
    // Closed after the answer came and the row was written, not before.
    expect(receiver.delivered('/slow')).toHaveLength(1);
    const row = await waitForDelivery(t.em, deliveryId, 'delivered', (d) => d.status === 'delivered', 1000);
    expect(row.attempts).toBe(1);
  });

  it('closes within its grace period when a job takes longer, and another worker finishes the job', async () => {
    const impatient = await start({ SHUTDOWN_GRACE_MS: '200' });
    const company = await slowTarget('/slower', 3000);
    const [deliveryId] = await notify(t, [{ kind: 'company', id: company }]);
    await waitFor('the delivery to be in flight', () => (receiver.arrived('/slower') === 1 ? true : undefined), { withinMs: 10_000, everyMs: 20 });
    const started = Date.now();
    await impatient.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await t.em().findOneOrFail(Delivery, { id: deliveryId })).toMatchObject({ status: 'pending' });
    // Back in the queue at once, without using up an attempt: no wait for the stalled-job check.
    const job = await t.app.get(QueueSet).get('deliveries').getJob(jobIds.deliver({ deliveryId }));
    expect(await job?.getState()).toBe('waiting');
    expect(job?.attemptsMade).toBe(0);
    receiver.recover('/slower');
    await start();
    await waitForDelivery(t.em, deliveryId, 'delivered by the next worker', (d) => d.status === 'delivered', 10_000);
  });

  it('refuses to start with two handlers for one job', async () => {
    await expect(startWorker({ ...t.db.env, QUEUE_PREFIX: prefix }, [SecondDeliveryHandler])).rejects.toThrow(
      /job delivery\.send has 2 handlers \(DeliveriesProcessor\.send, SecondDeliveryHandler\.send\)/,
    );
  });

  it('closes queues whose connections are still starting without an unheard error', async () => {
    // BullMQ emits the failed start of a connection closed mid-start after removing its listeners;
    // without the wait in QueueSet.close that surfaced as an unhandled rejection in some rounds.
    const settings = t.app.get<QueueSettings>(QUEUE_SETTINGS);
    const unheard: unknown[] = [];
    const record = (reason: unknown) => unheard.push(reason);
    process.on('unhandledRejection', record);
    try {
      for (let round = 0; round < 20; round++) {
        const [a, b, c, d, e] = Object.values(QUEUES).map((name) => new Queue(name, queueOptionsFor(settings, name)));
        const set = new QueueSet(a, b, c, d, e);
        await new Promise((resolve) => setTimeout(resolve, round % 5));
        await set.close();
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      process.off('unhandledRejection', record);
    }
    expect(unheard).toEqual([]);
  });

  it('refuses handlers that leave a job without one', () => {
    const all = RUNNABLE_JOBS.map((name) => ({ name, owner: `P.${name}`, fn: null }));
    expect(() => checkHandlers(all, [])).not.toThrow();
    expect(() => checkHandlers(all.filter((h) => h.name !== JOBS.escalate), [])).toThrow(/job work-order\.escalate has no handler/);
  });

  it('shows queue counts to queue administrators only', async () => {
    const res = await t.http().get('/queues').set('Authorization', await t.adminAuth());
    expect(res.status).toBe(200);
    const queues = (res.body as { queues: { queue: string }[] }).queues;
    expect(queues.map((q) => q.queue).sort()).toEqual(['alerts', 'dead-letter', 'deliveries', 'meetings', 'work-orders']);
    expect(queues[0]).toEqual({ queue: expect.any(String), waiting: expect.any(Number), active: expect.any(Number), delayed: expect.any(Number), failed: expect.any(Number), completed: expect.any(Number) });
    const chain = await t.factories.newOrgChain();
    const officer = await t.factories.newAccount(Role.StreetOfficer, { orgUnit: chain.street });
    const header = await t.login(officer.username, officer.password);
    expect((await t.http().get('/queues').set('Authorization', header)).status).toBe(403);
    expect((await t.http().get('/queues/dead-letter').set('Authorization', header)).status).toBe(403);
  });
});
