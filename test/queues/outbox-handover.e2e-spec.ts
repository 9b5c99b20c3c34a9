import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { OutboxEntry } from '@sc/core/outbox/entities/outbox-entry.entity';
import { HANDOVER_HOLD_MS, Outbox } from '@sc/core/outbox/outbox';
import { OUTBOX_CHANNEL } from '@sc/core/outbox/outbox-channel';
import { addJob, jobIds, JOBS, QUEUES } from '@sc/messaging';
import { JobHandoverModule, QueueSet } from '@sc/platform';
import { dropPrefixKeys, testDriver } from '@sc/testing';
import { PrivateRedis } from '@sc/testing/redis-server';
import { waitFor } from '@sc/testing/wait';
import { createTestApp, TestApp } from '../support/test-app';
import { uniqueQueuePrefix } from '../support/worker-test-app';

/** No worker here, so no relay: whatever reaches a queue was handed over by the writing process itself. */
describe('jobs handed over by the process that committed them', () => {
  const prefix = uniqueQueuePrefix();
  let redis: PrivateRedis;
  let t: TestApp;
  let outbox: Outbox;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await createTestApp({ imports: [JobHandoverModule], env: { REDIS_URL: redis.url, QUEUE_PREFIX: prefix } });
    outbox = t.app.get(Outbox);
  });
  afterAll(async () => {
    await t?.close();
    if (redis?.running) await dropPrefixKeys(redis.url, prefix);
    await redis?.stop();
  });

  /** One route job, enqueued for handover in its own transaction; returns its alert id, the rows as committed and the after-commit step. */
  async function commitRouteJob(): Promise<{ alertId: string; held: OutboxEntry[]; handOver: () => void }> {
    const alertId = randomUUID();
    const handOver = await t.em().transactional((em) => outbox.enqueueForHandover(em, [addJob(JOBS.routeAlert, { alertId })]));
    const held = await t.em().find(OutboxEntry, {});
    return { alertId, held, handOver };
  }

  const routeJob = (alertId: string) => t.app.get(QueueSet).get(QUEUES.alerts).getJob(jobIds.routeAlert({ alertId }));

  it('hands the job to its queue right after the commit and deletes its row; until then the row is held from the relay', async () => {
    const before = Date.now();
    const { alertId, held, handOver } = await commitRouteJob();
    expect(held).toHaveLength(1);
    expect(held[0].availableAt!.getTime()).toBeGreaterThanOrEqual(before + HANDOVER_HOLD_MS - 1000);
    expect(await routeJob(alertId)).toBeUndefined();

    handOver();

    await waitFor('the route job in its queue and the row gone', async () =>
      (await routeJob(alertId)) !== undefined && (await t.em().count(OutboxEntry, {})) === 0 ? true : undefined,
      { withinMs: 10_000 },
    );
    expect((await routeJob(alertId))!.data).toEqual({ alertId });
  });

  it('releases the row to the relay when Redis cannot take the job', async () => {
    await redis.kill();
    try {
      const { handOver } = await commitRouteJob();
      handOver();
      await waitFor('the row released', async () => {
        const rows = await t.em().fork().find(OutboxEntry, {});
        return rows.length === 1 && rows[0].availableAt === null ? true : undefined;
      }, { withinMs: 15_000 });
    } finally {
      await redis.restart();
    }
    await t.em().nativeDelete(OutboxEntry, {});
    const queues = t.app.get(QueueSet).all();
    await waitFor('the queues back on Redis', async () => ((await Promise.all(queues.map(async (q) => (await q.client).status))).every((s) => s === 'ready') ? true : undefined), {
      withinMs: 15_000,
    });
  });

  (testDriver() === 'postgresql' ? it : it.skip)('wakes relays only for rows they may take now: held rows do not notify, released ones do', async () => {
    const listener = new Client({ connectionString: t.db.env.DATABASE_URL });
    await listener.connect();
    const heard: number[] = [];
    listener.on('notification', (message) => {
      if (message.channel === OUTBOX_CHANNEL) heard.push(Date.now());
    });
    try {
      await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
      // Held: no notification. Then a plain row: one. Notifications come in commit order, so one heard in all means the held insert sent none.
      await t.em().transactional((em) => outbox.enqueue(em, [addJob(JOBS.routeAlert, { alertId: randomUUID() })], { holdUntil: new Date(Date.now() + 60_000) }));
      await t.em().transactional((em) => outbox.enqueue(em, [addJob(JOBS.routeAlert, { alertId: randomUUID() })]));
      await waitFor('the plain row heard', async () => (heard.length > 0 ? true : undefined), { withinMs: 5000 });
      expect(heard).toHaveLength(1);
      // Releasing the held row (its writer could not hand it over) is heard too.
      await t.em().transactional((em) => em.nativeUpdate(OutboxEntry, { availableAt: { $ne: null } }, { availableAt: null }));
      await waitFor('the release heard', async () => (heard.length > 1 ? true : undefined), { withinMs: 5000 });
    } finally {
      await listener.end();
      await t.em().nativeDelete(OutboxEntry, {});
    }
  });
});
