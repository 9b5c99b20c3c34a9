import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DeliveryTargetsService } from '@sc/core/delivery/delivery-targets.service';
import { Delivery } from '@sc/core/delivery/entities/delivery.entity';
import { principalFrom } from '@sc/core/identity/principal';
import { Role } from '@sc/core/identity/roles';
import { OutboxEntry } from '@sc/core/outbox/entities/outbox-entry.entity';
import { Outbox } from '@sc/core/outbox/outbox';
import { addJob, JobIntent, jobIds, JOBS, removeJob } from '@sc/messaging';
import { createTestDatabase, dropPrefixKeys, TestDatabase, WebhookReceiver } from '@sc/testing';
import { PrivateRedis } from '@sc/testing/redis-server';
import { waitFor } from '@sc/testing/wait';
import { notify, newCompany } from '../delivery/delivery-fixtures';
import { startWorker, uniqueQueuePrefix, WorkerTestApp } from '../support/worker-test-app';

const ADMIN = principalFrom('account', randomUUID(), 'admin', [{ role: Role.Admin }]);

describe('the outbox relay', () => {
  const prefix = uniqueQueuePrefix();
  let redis: PrivateRedis;
  let db: TestDatabase;
  let worker: WorkerTestApp;
  let receiver: WebhookReceiver;
  let pathNo = 0;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    receiver = await new WebhookReceiver().start();
    db = await createTestDatabase();
    worker = await startWorker({ ...db.env, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, DELIVERY_BACKOFF_MS: '100' });
  });

  afterAll(async () => {
    await worker?.close();
    await db?.drop();
    await receiver?.stop();
    if (redis?.running) await dropPrefixKeys(redis.url, prefix);
    await redis?.stop();
  });

  const app = () => ({ em: worker.em, app: worker.module });
  const outboxRows = () => worker.em().count(OutboxEntry, {});
  const enqueue = async (intents: JobIntent[]) => {
    await worker.em().transactional((em) => worker.module.get(Outbox).enqueue(em, intents));
    worker.module.get(Outbox).committed();
  };

  /** A webhook target of a company of its own; returns the company to notify. */
  async function target(): Promise<{ company: string; path: string }> {
    const path = `/relay-${++pathNo}`;
    const company = await newCompany(worker.em());
    const created = await worker.module
      .get(DeliveryTargetsService)
      .create(ADMIN, { ownerKind: 'company', ownerId: company.id, channel: 'webhook', name: path, url: receiver.url(path), ratePerMinute: 6000 });
    receiver.setSecret(path, created.secret!);
    return { company: company.id, path };
  }

  it('keeps jobs committed while Redis is down and hands each to its queue exactly once when Redis is back', async () => {
    const { company, path } = await target();
    await redis.kill();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(...(await notify(app(), [{ kind: 'company', id: company }])));
    expect(ids).toHaveLength(20);
    await waitFor(
      'the relay to notice the outage and keep the rows',
      async () => (worker.relay.stats.down && (await worker.em().count(OutboxEntry, { attempts: { $gte: 1 } })) > 0 ? true : undefined),
      { withinMs: 10_000 },
    );
    expect(await outboxRows()).toBe(20);

    await redis.restart();
    await waitFor(
      'all 20 deliveries delivered',
      async () => ((await worker.em().count(Delivery, { id: { $in: ids }, status: 'delivered' })) === 20 ? true : undefined),
      { withinMs: 30_000, describe: async () => `outbox rows: ${await outboxRows()}, relay: ${JSON.stringify(worker.relay.stats)}` },
    );
    expect(await outboxRows()).toBe(0);
    expect(worker.relay.stats.down).toBe(false);
    const received = receiver.delivered(path).map((r) => r.deliveryId);
    expect(received.sort()).toEqual([...ids].sort());
    const counts = await worker.queues.get('deliveries').getJobCounts('completed', 'failed', 'waiting', 'delayed', 'active');
    expect(counts).toMatchObject({ completed: 20, failed: 0, waiting: 0, delayed: 0, active: 0 });
  });

  it('makes one job of a row relayed twice (a crash between adding the job and deleting the row)', async () => {
    const { company, path } = await target();
    const [deliveryId] = await notify(app(), [{ kind: 'company', id: company }]);
    const queue = worker.queues.get('deliveries');
    const jobId = jobIds.deliver({ deliveryId });
    const first = await waitFor('the job to complete', async () => {
      const job = await queue.getJob(jobId);
      return job && (await job.getState()) === 'completed' ? job : undefined;
    }, { withinMs: 10_000 });
    const completedBefore = (await queue.getJobCounts('completed')).completed;

    await enqueue([addJob(JOBS.deliver, { deliveryId }), addJob(JOBS.deliver, { deliveryId })]);
    await waitFor('the rows to be relayed', async () => ((await outboxRows()) === 0 ? true : undefined), { withinMs: 10_000 });
    const again = await queue.getJob(jobId);
    expect(again?.processedOn).toBe(first.processedOn);
    expect(again?.finishedOn).toBe(first.finishedOn);
    expect((await queue.getJobCounts('completed', 'waiting', 'delayed', 'active'))).toMatchObject({ completed: completedBefore, waiting: 0, delayed: 0, active: 0 });
    expect(receiver.requests.filter((r) => r.path === path)).toHaveLength(1);
  });

  it('arms a timer for later, and a remove intent cancels it; an add then a remove in one batch ends removed', async () => {
    const queue = worker.queues.get('work-orders');
    const timer = { workOrderId: randomUUID(), level: 'community', deadline: 'accept' as const };
    await enqueue([addJob(JOBS.escalate, timer, new Date(Date.now() + 3_600_000))]);
    const armed = await waitFor('the timer to be armed', async () => (await queue.getJob(jobIds.escalate(timer))) ?? undefined, { withinMs: 10_000 });
    expect(await armed.getState()).toBe('delayed');
    expect(armed.delay).toBeGreaterThan(3_500_000);
    await enqueue([removeJob(JOBS.escalate, timer)]);
    await waitFor('the timer to be removed', async () => ((await queue.getJob(jobIds.escalate(timer))) === undefined ? true : undefined), { withinMs: 10_000 });

    const other = { workOrderId: randomUUID(), level: 'street', deadline: 'resolve' as const };
    await enqueue([addJob(JOBS.escalate, other, new Date(Date.now() + 3_600_000)), removeJob(JOBS.escalate, other)]);
    await waitFor('the rows to be relayed', async () => ((await outboxRows()) === 0 ? true : undefined), { withinMs: 10_000 });
    expect(await queue.getJob(jobIds.escalate(other))).toBeUndefined();
  });

  it('leaves a held row to its writer until the hold ends, and hands it over once released', async () => {
    const outbox = worker.module.get(Outbox);
    const held = { workOrderId: randomUUID(), level: 'community', deadline: 'accept' as const };
    const lapsed = { workOrderId: randomUUID(), level: 'community', deadline: 'accept' as const };
    const later = new Date(Date.now() + 3_600_000);
    const [heldSeq] = await worker.em().transactional((em) => outbox.enqueue(em, [addJob(JOBS.escalate, held, later)], { holdUntil: new Date(Date.now() + 60_000) }));
    // A hold that has ended (its writer died before settling): relayed like any row.
    await worker.em().transactional((em) => outbox.enqueue(em, [addJob(JOBS.escalate, lapsed, later)], { holdUntil: new Date(Date.now() - 1) }));
    outbox.committed();
    const queue = worker.queues.get('work-orders');
    await waitFor('the lapsed row relayed', async () => (await queue.getJob(jobIds.escalate(lapsed))) ?? undefined, { withinMs: 5_000 });
    worker.relay.wake();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await queue.getJob(jobIds.escalate(held))).toBeUndefined();
    expect(await worker.em().count(OutboxEntry, { seq: heldSeq })).toBe(1);

    await outbox.settle(worker.em(), { done: [], release: [heldSeq] });
    outbox.committed();
    await waitFor('the released row relayed', async () => (await queue.getJob(jobIds.escalate(held))) ?? undefined, { withinMs: 5_000 });
    await waitFor('the outbox empty', async () => ((await outboxRows()) === 0 ? true : undefined), { withinMs: 5_000 });
  });

  it('drops a malformed row instead of letting it block the rows behind it', async () => {
    const { company, path } = await target();
    await worker.em().insertMany(OutboxEntry, [{ intent: { op: 'add', name: 'no.such.job', jobId: 'x', data: {} } as unknown as JobIntent, createdAt: new Date(), attempts: 0 }]);
    const [deliveryId] = await notify(app(), [{ kind: 'company', id: company }]);
    await waitFor('the delivery behind the bad row', async () => (receiver.delivered(path).some((r) => r.deliveryId === deliveryId) ? true : undefined), { withinMs: 10_000 });
    expect(await outboxRows()).toBe(0);
  });

  it('hands every row over once when two workers poll the same outbox (PostgreSQL: FOR UPDATE SKIP LOCKED)', async () => {
    const second = await startWorker({ ...db.env, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, OUTBOX_BATCH_MAX: '20' });
    try {
      const before = worker.relay.stats.relayed + second.relay.stats.relayed;
      const timers = Array.from({ length: 300 }, () => ({ workOrderId: randomUUID(), level: 'community', deadline: 'accept' as const }));
      const later = new Date(Date.now() + 3_600_000);
      // Written without waking anyone: both relays find them by polling, at the same time.
      await worker.em().transactional((em) => worker.module.get(Outbox).enqueue(em, timers.map((timer) => addJob(JOBS.escalate, timer, later))));
      await waitFor('the rows to be relayed', async () => ((await outboxRows()) === 0 ? true : undefined), { withinMs: 20_000 });
      const queue = worker.queues.get('work-orders');
      const jobs = await Promise.all(timers.map((timer) => queue.getJob(jobIds.escalate(timer))));
      expect(jobs.filter((job) => job !== undefined)).toHaveLength(300);
      const relayed = worker.relay.stats.relayed + second.relay.stats.relayed - before;
      if (db.driver === 'postgresql') {
        // Which relay takes how many depends on who polls first; that no row goes out twice does not.
        expect(relayed).toBe(300);
      } else {
        // SQLite is the one-process embedded store: a second relay may hand a row over again, and the job id keeps it one job.
        expect(relayed).toBeGreaterThanOrEqual(300);
      }
    } finally {
      await second.close();
    }
  });

  it('hands over at once the rows another process commits, told by NOTIFY instead of waiting for its poll (PostgreSQL)', async () => {
    if (db.driver !== 'postgresql') return; // SQLite: one process, woken in memory
    // A relay that would otherwise look only once a minute.
    const slow = await startWorker({ ...db.env, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, OUTBOX_POLL_MS: '60000' });
    try {
      await worker.close();
      await waitFor('the slow relay to listen', async () => ((await slow.em().count(OutboxEntry, {})) === 0 && slow.relay.listening ? true : undefined), { withinMs: 10_000 });
      const timer = { workOrderId: randomUUID(), level: 'community', deadline: 'accept' as const };
      // Written by a plain connection with nobody in this process told: only the trigger's NOTIFY wakes the relay.
      const client = new Client({ connectionString: db.env.DATABASE_URL });
      await client.connect();
      try {
        await client.query(`insert into outbox (intent, created_at, attempts) values ($1, now(), 0)`, [JSON.stringify(addJob(JOBS.escalate, timer, new Date(Date.now() + 3_600_000)))]);
      } finally {
        await client.end();
      }
      const queue = slow.queues.get('work-orders');
      await waitFor('the timer armed by the slow relay', async () => (await queue.getJob(jobIds.escalate(timer))) ?? undefined, { withinMs: 5_000 });
    } finally {
      await slow.close();
      worker = await startWorker({ ...db.env, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, DELIVERY_BACKOFF_MS: '100' });
    }
  });
});
