import { randomUUID } from 'node:crypto';
import { AuditEntry } from '@sc/core/audit/entities/audit-entry.entity';
import { Delivery } from '@sc/core/delivery/entities/delivery.entity';
import { DeliveryTarget } from '@sc/core/delivery/entities/delivery-target.entity';
import { Notifier } from '@sc/core/delivery/notifier';
import { Role } from '@sc/core/identity/roles';
import { GridWorker } from '@sc/core/org/entities/grid-worker.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { JOBS, WEBHOOK_HEADERS, jobIds } from '@sc/messaging';
import { dropPrefixKeys, OrgChain, WebhookReceiver } from '@sc/testing';
import { waitFor } from '@sc/testing/wait';
import { createTestApp, TestApp } from '../support/test-app';
import { startWorker, uniqueQueuePrefix, WorkerTestApp } from '../support/worker-test-app';
import { createTarget, newCompany, notify, waitForDelivery } from './delivery-fixtures';

describe('webhook deliveries', () => {
  const prefix = uniqueQueuePrefix();
  let t: TestApp;
  let worker: WorkerTestApp;
  let receiver: WebhookReceiver;
  let chain: OrgChain;
  let pathNo = 0;
  const nextPath = () => `/hook-${++pathNo}`;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    t = await createTestApp({ env: { QUEUE_PREFIX: prefix } });
    worker = await startWorker({ ...t.db.env, QUEUE_PREFIX: prefix, DELIVERY_ATTEMPTS: '6', DELIVERY_BACKOFF_MS: '100' });
    chain = await t.factories.newOrgChain();
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await receiver?.stop();
    await dropPrefixKeys(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix);
  });

  /** A webhook target of a company of its own (so a notification to that company reaches only it). */
  async function webhookTarget(extra: Record<string, unknown> = {}): Promise<{ path: string; id: string; secret: string; owner: { kind: 'company'; id: string } }> {
    const path = nextPath();
    const company = await newCompany(t.em());
    const target = await createTarget(t, { ownerKind: 'company', ownerId: company.id, channel: 'webhook', name: `pm ${path}`, url: receiver.url(path), ...extra });
    if (!target.secret) throw new Error('a webhook target must come back with its secret');
    receiver.setSecret(path, target.secret);
    return { path, id: target.id, secret: target.secret, owner: { kind: 'company', id: company.id } };
  }

  it('delivers to a webhook target once, signed with the target secret, and marks the row delivered', async () => {
    const target = await webhookTarget();
    const [deliveryId] = await notify(t, [target.owner]);
    const row = await waitForDelivery(t.em, deliveryId, 'delivered', (d) => d.status === 'delivered');
    expect(row).toMatchObject({ attempts: 1, lastStatus: 200 });
    expect(row.deliveredAt).toBeInstanceOf(Date);
    const got = receiver.requests.filter((r) => r.path === target.path);
    expect(got).toHaveLength(1);
    expect(got[0].verdict).toEqual({ ok: true });
    expect(got[0].headers[WEBHOOK_HEADERS.delivery]).toBe(deliveryId);
    expect(got[0].headers[WEBHOOK_HEADERS.event]).toBe('created');
    expect(got[0].headers['content-type']).toBe('application/json');
    expect(got[0].body).toMatchObject({ deliveryId, event: 'created', workOrder: { number: 'WO-20261126-0001' } });
    expect(typeof (got[0].body as { sentAt: unknown }).sentAt).toBe('string');
    const audit = await t.em().find(AuditEntry, { subjectType: 'delivery', subjectId: deliveryId, action: 'delivered' });
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({ target: target.id, channel: 'webhook', attempts: 1 });
    const job = await worker.queues.get('deliveries').getJob(jobIds.deliver({ deliveryId }));
    expect(await job?.getState()).toBe('completed');
  });

  it('retries a target that fails five times and delivers on the sixth attempt', async () => {
    const target = await webhookTarget();
    receiver.failNext(target.path, 5);
    const [deliveryId] = await notify(t, [target.owner]);
    const row = await waitForDelivery(t.em, deliveryId, 'delivered', (d) => d.status === 'delivered');
    expect(row.attempts).toBe(6);
    const answers = receiver.requests.filter((r) => r.path === target.path).map((r) => r.answered);
    expect(answers).toEqual([500, 500, 500, 500, 500, 200]);
  });

  it('moves a delivery to a target that never recovers to the dead-letter queue, and a redrive delivers it once the target is back', async () => {
    const target = await webhookTarget();
    receiver.failNext(target.path, Infinity);
    const [deliveryId] = await notify(t, [target.owner]);
    const dead = await waitForDelivery(t.em, deliveryId, 'dead', (d) => d.status === 'dead');
    expect(dead.attempts).toBe(6);
    expect(dead.lastError).toMatch(/^HTTP 500 from 127\.0\.0\.1:\d+$/);
    const admin = await t.adminAuth();
    const entryId = `dead.${jobIds.deliver({ deliveryId })}`;
    const listed = await waitFor(
      'the dead-letter entry',
      async () => {
        const res = await t.http().get('/queues/dead-letter').set('Authorization', admin);
        const items = (res.body as { items: { id: string }[] }).items;
        return items.find((i) => i.id === entryId);
      },
      { withinMs: 5000 },
    );
    expect(listed).toMatchObject({ queue: 'deliveries', name: JOBS.deliver, data: { deliveryId }, attemptsMade: 6 });
    const deadList = await t.http().get(`/deliveries?status=dead&targetId=${target.id}`).set('Authorization', admin);
    expect((deadList.body as { items: { id: string }[] }).items.map((d) => d.id)).toEqual([deliveryId]);

    receiver.recover(target.path);
    const redriven = await t.http().post(`/queues/dead-letter/${entryId}/redrive`).set('Authorization', admin);
    expect(redriven.status).toBe(200);
    expect(redriven.body).toMatchObject({ jobId: `${jobIds.deliver({ deliveryId })}.r1`, subjectType: 'delivery', subjectId: deliveryId });
    const row = await waitForDelivery(t.em, deliveryId, 'delivered after the redrive', (d) => d.status === 'delivered');
    expect(row.attempts).toBe(7);
    expect(receiver.delivered(target.path)).toHaveLength(1);
    const after = await t.http().get('/queues/dead-letter').set('Authorization', admin);
    expect((after.body as { items: { id: string }[] }).items.map((i) => i.id)).not.toContain(entryId);
    const actions = (await t.em().find(AuditEntry, { subjectType: 'delivery', subjectId: deliveryId }, { orderBy: { at: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(['dead', 'redriven', 'delivered']);
  });

  it('times out a target that never answers after its timeoutMs, records the timeout and retries it', async () => {
    const target = await webhookTarget({ timeoutMs: 300 });
    receiver.hang(target.path);
    const [deliveryId] = await notify(t, [target.owner]);
    const retried = await waitForDelivery(t.em, deliveryId, 'timed out twice', (d) => d.attempts >= 2);
    expect(retried.status).toBe('pending');
    expect(retried.lastError).toMatch(/^timeout after 300 ms \(127\.0\.0\.1:\d+\)$/);
    receiver.recover(target.path);
    await waitForDelivery(t.em, deliveryId, 'delivered once the target answers', (d) => d.status === 'delivered');
    expect(receiver.delivered(target.path)).toHaveLength(1);
  });

  it('holds back deliveries over the target rate: two of three go now, the third waits delayed without using an attempt', async () => {
    const target = await webhookTarget({ ratePerMinute: 2 });
    const ids = [...(await notify(t, [target.owner])), ...(await notify(t, [target.owner])), ...(await notify(t, [target.owner]))];
    expect(ids).toHaveLength(3);
    const queue = worker.queues.get('deliveries');
    const states = await waitFor(
      'two deliveries sent and one delayed',
      async () => {
        const s = await Promise.all(ids.map((deliveryId) => queue.getJobState(jobIds.deliver({ deliveryId }))));
        return s.filter((x) => x === 'completed').length === 2 && s.includes('delayed') ? s : undefined;
      },
      { withinMs: 10_000, everyMs: 50 },
    );
    const heldBack = ids[states.indexOf('delayed')];
    const held = await t.em().findOneOrFail(Delivery, { id: heldBack });
    expect(held).toMatchObject({ status: 'pending', attempts: 0 });
    const job = await queue.getJob(jobIds.deliver({ deliveryId: heldBack }));
    expect(job?.attemptsMade).toBe(0);
    // It waits for the oldest send to leave the 60 s window, not for a retry backoff.
    expect(job!.delay).toBeGreaterThan(50_000);
    expect(receiver.requests.filter((r) => r.path === target.path)).toHaveLength(2);
  });

  it('sends nothing to a disabled target: its delivery goes dead at once, with the reason', async () => {
    const target = await webhookTarget();
    const patched = await t.http().patch(`/delivery-targets/${target.id}`).set('Authorization', await t.adminAuth()).send({ enabled: false });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ enabled: false });
    const [deliveryId] = await notify(t, [target.owner]);
    // A disabled target does not get new deliveries decided; one decided before it was disabled goes dead.
    expect(deliveryId).toBeUndefined();
    await t.http().patch(`/delivery-targets/${target.id}`).set('Authorization', await t.adminAuth()).send({ enabled: true }).expect(200);
    const [queued] = await t.em().transactional(async (em) => {
      const ids = await t.app.get(Notifier).notify(em, { subjectType: 'work_order', subjectId: randomUUID(), event: 'created', payload: {}, recipients: [target.owner] });
      await em.nativeUpdate(DeliveryTarget, { id: target.id }, { enabled: false });
      return ids.deliveryIds;
    });
    const dead = await waitForDelivery(t.em, queued, 'dead', (d) => d.status === 'dead');
    expect(dead.lastError).toMatch(/is disabled$/);
    expect(dead.attempts).toBe(0);
    expect(receiver.requests.filter((r) => r.path === target.path)).toHaveLength(0);
  });

  it('signs with a rotated secret from the next delivery on, and never shows a secret again after creation or rotation', async () => {
    const target = await webhookTarget();
    const admin = await t.adminAuth();
    const one = await t.http().get(`/delivery-targets/${target.id}`).set('Authorization', admin);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: target.id, hasSecret: true, channel: 'webhook' });
    expect(one.body).not.toHaveProperty('secret');
    expect(one.body).not.toHaveProperty('secretCipher');
    const list = await t.http().get('/delivery-targets?limit=500').set('Authorization', admin);
    expect(JSON.stringify(list.body)).not.toContain(target.secret);
    expect(JSON.stringify(list.body)).not.toContain('secretCipher');
    const stored = await t.em().findOneOrFail(DeliveryTarget, { id: target.id });
    expect(stored.secretCipher).toBeDefined();
    expect(stored.secretCipher).not.toContain(target.secret);

    const rotated = await t.http().post(`/delivery-targets/${target.id}/rotate-secret`).set('Authorization', admin).send({});
    expect(rotated.status).toBe(201);
    const secret = (rotated.body as { secret: string }).secret;
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(target.secret);
    const again = await t.http().get(`/delivery-targets/${target.id}`).set('Authorization', admin);
    expect(JSON.stringify(again.body)).not.toContain(secret);
    const history = await t.em().find(AuditEntry, { subjectType: 'delivery_target', subjectId: target.id });
    expect(history.map((h) => h.action).sort()).toEqual(['created', 'secret_rotated']);
    expect(JSON.stringify(history)).not.toContain(secret);

    // The receiver still holds the old secret: the next delivery fails its check (401) until it is given the new one.
    const [deliveryId] = await notify(t, [target.owner]);
    await waitForDelivery(t.em, deliveryId, 'refused with the old secret', (d) => d.lastStatus === 401);
    receiver.setSecret(target.path, secret);
    await waitForDelivery(t.em, deliveryId, 'delivered with the new secret', (d) => d.status === 'delivered');
  });

  it.each([
    ['a URL that is not http', { url: 'ftp://pm.example.com/hook' }, 'url'],
    ['a rate of zero', { ratePerMinute: 0 }, 'ratePerMinute'],
    ['a rate above 6000 a minute', { ratePerMinute: 6001 }, 'ratePerMinute'],
    ['a timeout under 100 ms', { timeoutMs: 50 }, 'timeoutMs'],
    ['a secret for a WeCom robot', { channel: 'wecom', secret: 'a-secret-of-sixteen-chars' }, 'secret'],
    ['an unknown channel', { channel: 'sms' }, 'channel'],
  ])('refuses a target with %s (400 naming the field)', async (_what, override, field) => {
    const res = await t
      .http()
      .post('/delivery-targets')
      .set('Authorization', await t.adminAuth())
      .send({ ownerKind: 'company', ownerId: chain.company.id, channel: 'webhook', name: 'bad', url: 'https://pm.example.com/hook', ...override });
    expect(res.status).toBe(400);
    expect((res.body as { details: { field: string }[] }).details.map((d) => d.field)).toContain(field);
  });

  it('keeps targets and deliveries inside the scope of their owner', async () => {
    const other = await t.factories.newOrgChain(chain.city);
    const em = t.em();
    const gridWorker = em.create(GridWorker, { code: `gw-${randomUUID().slice(0, 8)}`, name: '网格员甲', grid: em.getReference(OrgUnit, chain.grid.id) });
    await em.flush();
    const insider = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: chain.community });
    const outsider = await t.factories.newAccount(Role.CommunityWorker, { orgUnit: other.community });
    const staffA = await t.factories.newAccount(Role.PropertyStaff, { company: chain.company });
    const staffB = await t.factories.newAccount(Role.PropertyStaff, { company: other.company });
    const [inside, outside, companyA, companyB] = await Promise.all([insider, outsider, staffA, staffB].map((a) => t.login(a.username, a.password)));
    const body = { ownerKind: 'grid_worker', ownerId: gridWorker.id, channel: 'webhook', name: '网格员甲的推送', url: receiver.url('/scoped') };

    expect((await t.http().post('/delivery-targets').set('Authorization', outside).send(body)).status).toBe(403);
    const created = await t.http().post('/delivery-targets').set('Authorization', inside).send(body);
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const companyTarget = await t.http().post('/delivery-targets').set('Authorization', companyA).send({ ...body, ownerKind: 'company', ownerId: chain.company.id });
    expect(companyTarget.status).toBe(201);
    expect((await t.http().post('/delivery-targets').set('Authorization', companyB).send({ ...body, ownerKind: 'company', ownerId: chain.company.id })).status).toBe(403);

    expect((await t.http().get(`/delivery-targets/${id}`).set('Authorization', outside)).status).toBe(404);
    expect((await t.http().patch(`/delivery-targets/${id}`).set('Authorization', outside).send({ name: 'x' })).status).toBe(404);
    expect((await t.http().delete(`/delivery-targets/${id}`).set('Authorization', outside)).status).toBe(404);
    expect((await t.http().get(`/delivery-targets/${id}`).set('Authorization', companyA)).status).toBe(404);
    const ids = async (header: string) => ((await t.http().get('/delivery-targets?limit=500').set('Authorization', header)).body as { items: { id: string }[] }).items.map((i) => i.id);
    expect(await ids(inside)).toContain(id);
    expect(await ids(outside)).not.toContain(id);
    expect(await ids(companyA)).toEqual([(companyTarget.body as { id: string }).id]);
    expect(await ids(companyB)).toEqual([]);

    // A list filter aimed at someone else's owner or target is refused, not answered with an empty page.
    expect((await t.http().get(`/delivery-targets?ownerKind=grid_worker&ownerId=${gridWorker.id}`).set('Authorization', outside)).status).toBe(403);
    expect(await ids(inside)).toContain(id);

    const [deliveryId] = await notify(t, [{ kind: 'grid_worker', id: gridWorker.id }]);
    const deliveries = async (header: string, query = '') =>
      ((await t.http().get(`/deliveries?limit=500${query}`).set('Authorization', header)).body as { items: { id: string }[] }).items.map((i) => i.id);
    expect(await deliveries(inside, `&targetId=${id}`)).toEqual([deliveryId]);
    expect(await deliveries(inside)).toContain(deliveryId);
    expect(await deliveries(outside)).not.toContain(deliveryId);
    expect(await deliveries(companyB)).not.toContain(deliveryId);
    expect((await t.http().get(`/deliveries?targetId=${id}`).set('Authorization', outside)).status).toBe(404);

    expect((await t.http().delete(`/delivery-targets/${id}`).set('Authorization', inside)).status).toBe(204);
    expect((await t.http().get(`/delivery-targets/${id}`).set('Authorization', inside)).status).toBe(404);
  });
});
