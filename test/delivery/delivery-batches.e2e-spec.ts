import { randomUUID } from 'node:crypto';
import { AuditLog } from '@sc/core/audit/audit-log';
import { SYSTEM_ACTOR } from '@sc/core/audit/actor';
import { AuditEntry } from '@sc/core/audit/entities/audit-entry.entity';
import { DeliveredMark, loadSendRows, markDeliveredRows } from '@sc/core/delivery/delivery-batches';
import { DeliverySender } from '@sc/core/delivery/delivery-sender';
import { Delivery } from '@sc/core/delivery/entities/delivery.entity';
import { DeliveryTarget } from '@sc/core/delivery/entities/delivery-target.entity';
import { Notifier, NotifyResult } from '@sc/core/delivery/notifier';
import { Outbox } from '@sc/core/outbox/outbox';
import { dropPrefixKeys, WebhookReceiver } from '@sc/testing';
import { waitFor } from '@sc/testing/wait';
import { createTestApp, TestApp } from '../support/test-app';
import { startWorker, uniqueQueuePrefix, WorkerTestApp } from '../support/worker-test-app';
import { createTarget, newCompany, workOrderPayload } from './delivery-fixtures';

/** Deliveries sent at the same time share their database work; none of them may notice. */
describe('deliveries sent together', () => {
  const prefix = uniqueQueuePrefix();
  let t: TestApp;
  let worker: WorkerTestApp;
  let receiver: WebhookReceiver;
  let pathNo = 0;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    t = await createTestApp({ env: { QUEUE_PREFIX: prefix } });
    // Many quick retries: a target that always fails keeps retrying for the whole test.
    worker = await startWorker({ ...t.db.env, QUEUE_PREFIX: prefix, DELIVERY_ATTEMPTS: '30', DELIVERY_BACKOFF_MS: '50' });
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await receiver?.stop();
    await dropPrefixKeys(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix);
  });

  interface Hook {
    path: string;
    id: string;
    owner: { kind: 'company'; id: string };
  }

  /** A webhook target of a company of its own, on a receiver path of its own. */
  async function webhookTarget(): Promise<Hook> {
    const path = `/together-${++pathNo}`;
    const company = await newCompany(t.em());
    const target = await createTarget(t, { ownerKind: 'company', ownerId: company.id, channel: 'webhook', name: `pm ${path}`, url: receiver.url(path) });
    if (!target.secret) throw new Error('a webhook target must come back with its secret');
    receiver.setSecret(path, target.secret);
    return { path, id: target.id, owner: { kind: 'company', id: company.id } };
  }

  /** A pending delivery row without a job: only the test sends it. */
  async function pendingRow(targetId: string, extra: Partial<Delivery> = {}): Promise<Delivery> {
    const em = t.em();
    const row = em.create(Delivery, { dedupKey: `test/${randomUUID()}`, targetId, subjectType: 'work_order', subjectId: randomUUID(), event: 'created', payload: workOrderPayload(), ...extra });
    await em.flush();
    return row;
  }

  async function deliveredEntries(ids: string[]): Promise<AuditEntry[]> {
    return t.em().find(AuditEntry, { subjectType: 'delivery', subjectId: { $in: ids }, action: 'delivered' });
  }

  function countBy<T>(items: T[], key: (item: T) => string | undefined): Map<string | undefined, number> {
    const counts = new Map<string | undefined, number>();
    for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
    return counts;
  }

  it('forty deliveries decided at once reach their healthy targets exactly once, while failing, disabled and deleted targets do not hold them up', async () => {
    const hooks = await Promise.all(Array.from({ length: 40 }, () => webhookTarget()));
    const [disabled, deleted] = hooks;
    const failing = hooks.slice(2, 5);
    const flaky = hooks.slice(5, 8);
    const healthy = hooks.slice(8);
    for (const hook of failing) receiver.failNext(hook.path, Number.POSITIVE_INFINITY, 500);
    for (const hook of flaky) receiver.failNext(hook.path, 2, 500);

    // One transaction, one outbox commit: the worker gets all forty jobs at the same moment.
    const ids = await t.em().transactional(async (em) => {
      const notifier = t.app.get(Notifier);
      const results: NotifyResult[] = [];
      for (const hook of hooks) {
        results.push(await notifier.notify(em, { subjectType: 'work_order', subjectId: randomUUID(), event: 'created', payload: workOrderPayload(), recipients: [hook.owner] }));
      }
      await em.nativeUpdate(DeliveryTarget, { id: disabled.id }, { enabled: false });
      await em.nativeDelete(DeliveryTarget, { id: deleted.id });
      return results.map((r) => {
        expect(r.deliveryIds).toHaveLength(1);
        return r.deliveryIds[0];
      });
    });
    t.app.get(Outbox).committed();
    const idOf = new Map(hooks.map((hook, i) => [hook, ids[i]]));
    const rowsOf = async (which: Hook[]) => t.em().find(Delivery, { id: { $in: which.map((h) => idOf.get(h)!) } });

    let last: Delivery[] = [];
    await waitFor(
      'healthy and flaky targets delivered, failing ones retried, the disabled and deleted ones dead',
      async () => {
        last = await rowsOf(hooks);
        const byId = new Map(last.map((row) => [row.id, row]));
        const row = (hook: Hook) => byId.get(idOf.get(hook)!);
        const done =
          [...healthy, ...flaky].every((h) => row(h)?.status === 'delivered') &&
          failing.every((h) => (row(h)?.attempts ?? 0) >= 2) &&
          [disabled, deleted].every((h) => row(h)?.status === 'dead');
        return done ? true : undefined;
      },
      { withinMs: 30_000, everyMs: 100, describe: () => JSON.stringify(last.map((r) => ({ id: r.id, status: r.status, attempts: r.attempts, lastError: r.lastError }))) },
    );

    for (const row of await rowsOf(healthy)) expect(row).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200, lastError: null });
    for (const row of await rowsOf(flaky)) expect(row).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 200, lastError: null });
    for (const row of await rowsOf(failing)) {
      expect(row.status).toBe('pending');
      expect(row.lastStatus).toBe(500);
      expect(row.lastError).toMatch(/^HTTP 500 from 127\.0\.0\.1:\d+$/);
    }
    const [disabledRow] = await rowsOf([disabled]);
    expect(disabledRow).toMatchObject({ status: 'dead', attempts: 0 });
    expect(disabledRow.lastError).toMatch(/is disabled$/);
    const [deletedRow] = await rowsOf([deleted]);
    expect(deletedRow).toMatchObject({ status: 'dead', attempts: 0 });
    expect(deletedRow.lastError).toMatch(new RegExp(`target ${deleted.id} was deleted$`));

    // The receiver saw each healthy delivery once, each flaky one three times, and nothing for the dead ones.
    for (const hook of healthy) {
      const got = receiver.requests.filter((r) => r.path === hook.path);
      expect(got.map((r) => [r.deliveryId, r.answered, r.verdict])).toEqual([[idOf.get(hook), 200, { ok: true }]]);
    }
    for (const hook of flaky) expect(receiver.requests.filter((r) => r.path === hook.path).map((r) => r.answered)).toEqual([500, 500, 200]);
    for (const hook of [disabled, deleted]) expect(receiver.arrived(hook.path)).toBe(0);

    // Exactly one "delivered" entry per delivered row, with that row's own details; none for the others.
    const entries = await deliveredEntries(ids);
    const deliveredIds = [...healthy, ...flaky].map((h) => idOf.get(h)!);
    expect([...countBy(entries, (e) => e.subjectId).entries()].sort()).toEqual(deliveredIds.map((id) => [id, 1]).sort());
    for (const hook of [...healthy, ...flaky]) {
      const entry = entries.find((e) => e.subjectId === idOf.get(hook))!;
      expect(entry).toMatchObject({ actorKind: SYSTEM_ACTOR.kind, fromState: 'pending', toState: 'delivered' });
      expect(entry.details).toMatchObject({ target: hook.id, channel: 'webhook', attempts: flaky.includes(hook) ? 3 : 1, subjectType: 'work_order', event: 'created' });
    }
    const dead = await t.em().find(AuditEntry, { subjectType: 'delivery', subjectId: { $in: [idOf.get(disabled)!, idOf.get(deleted)!] } });
    expect(dead.map((e) => e.action)).toEqual(['dead', 'dead']);
  });

  it('two sends of one delivery at the same moment both succeed, but the row moves once and gets one audit entry', async () => {
    const hook = await webhookTarget();
    const row = await pendingRow(hook.id);
    const sender = worker.module.get(DeliverySender);

    const outcomes = await Promise.all([sender.send(row.id), sender.send(row.id)]);

    expect(outcomes).toEqual([
      { kind: 'delivered', attempts: 1, status: 200 },
      { kind: 'delivered', attempts: 1, status: 200 },
    ]);
    // Receivers de-duplicate on the delivery id; the row and the audit log record it once.
    expect(receiver.requests.filter((r) => r.path === hook.path).map((r) => r.deliveryId)).toEqual([row.id, row.id]);
    expect(await t.em().findOneOrFail(Delivery, { id: row.id })).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await deliveredEntries([row.id])).toHaveLength(1);
  });

  it('a delivery id the database refuses fails only its own send, and the sends batched with it are delivered', async () => {
    const hooks = await Promise.all(Array.from({ length: 5 }, () => webhookTarget()));
    const rows = await Promise.all(hooks.map((hook) => pendingRow(hook.id)));
    const sender = worker.module.get(DeliverySender);

    // Not a uuid: PostgreSQL rejects the whole `id IN (...)` of its batch; SQLite finds no row.
    const [bad, ...good] = await Promise.allSettled([sender.send('not-a-delivery-id'), ...rows.map((row) => sender.send(row.id))]);

    expect(good).toEqual(rows.map(() => ({ status: 'fulfilled', value: { kind: 'delivered', attempts: 1, status: 200 } })));
    if (bad.status === 'fulfilled') expect(bad.value).toEqual({ kind: 'skipped', reason: 'missing' });
    else expect(bad.reason).toBeInstanceOf(Error);
    expect(await deliveredEntries(rows.map((r) => r.id))).toHaveLength(5);
  });

  it('one load returns each row of a batch with its target, and no target for a row that is not pending', async () => {
    const [live, gone] = await Promise.all([webhookTarget(), webhookTarget()]);
    const pending = await pendingRow(live.id);
    const delivered = await pendingRow(live.id, { status: 'delivered', attempts: 1 });
    const orphan = await pendingRow(gone.id);
    await t.em().nativeDelete(DeliveryTarget, { id: gone.id });
    const missing = randomUUID();

    const loaded = await loadSendRows(t.em(), [pending.id, delivered.id, orphan.id, missing]);

    expect(loaded.get(pending.id)).toMatchObject({ delivery: { id: pending.id, status: 'pending' }, target: { id: live.id, enabled: true } });
    expect(loaded.get(delivered.id)).toEqual({ delivery: expect.objectContaining({ id: delivered.id, status: 'delivered' }), target: undefined });
    expect(loaded.get(orphan.id)).toEqual({ delivery: expect.objectContaining({ id: orphan.id, status: 'pending' }), target: undefined });
    expect(loaded.get(missing)).toEqual({ delivery: undefined, target: undefined });
  });

  it('marking a batch moves each still-pending row with its own values, once, and audits exactly the rows it moved', async () => {
    const hook = await webhookTarget();
    const [a, b, c] = await Promise.all([pendingRow(hook.id), pendingRow(hook.id), pendingRow(hook.id)]);
    const done = await pendingRow(hook.id, { status: 'delivered', attempts: 1, lastStatus: 200 });
    const dead = await pendingRow(hook.id, { status: 'dead', attempts: 4, lastError: 'HTTP 500 from x' });
    await t.em().nativeUpdate(Delivery, { id: c.id }, { attempts: 2, lastError: 'timeout after 300 ms (x)', lastStatus: 504 });
    const base = Date.parse('2026-11-26T06:00:00.123Z');
    const mark = (row: Delivery, attempts: number, status: number, offsetMs: number): DeliveredMark => {
      const at = new Date(base + offsetMs);
      return {
        deliveryId: row.id,
        attempts,
        status,
        at,
        audit: { subjectType: 'delivery', subjectId: row.id, action: 'delivered', actor: SYSTEM_ACTOR, fromState: 'pending', toState: 'delivered', at, details: { attempts } },
      };
    };
    const marks = [mark(a, 1, 200, 0), mark(b, 1, 202, 7), mark(c, 3, 204, 1500), mark(a, 1, 200, 9), mark(done, 2, 200, 3), mark(dead, 5, 200, 4)];

    const results = await markDeliveredRows(t.em(), t.app.get(AuditLog), marks);

    expect(marks.map((m) => results.get(m))).toEqual([true, true, true, false, false, false]);
    const rows = new Map((await t.em().find(Delivery, { id: { $in: [a.id, b.id, c.id, done.id, dead.id] } })).map((r) => [r.id, r]));
    const expected = (id: string, attempts: number, lastStatus: number, offsetMs: number) => {
      const row = rows.get(id)!;
      expect(row).toMatchObject({ status: 'delivered', attempts, lastStatus, lastError: null });
      expect(row.deliveredAt?.getTime()).toBe(base + offsetMs);
      expect(row.updatedAt.getTime()).toBe(base + offsetMs);
    };
    expected(a.id, 1, 200, 0);
    expected(b.id, 1, 202, 7);
    expected(c.id, 3, 204, 1500);
    expect(rows.get(done.id)).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200 });
    expect(rows.get(dead.id)).toMatchObject({ status: 'dead', attempts: 4, lastError: 'HTTP 500 from x' });

    const entries = await deliveredEntries([a.id, b.id, c.id, done.id, dead.id]);
    expect(entries.map((e) => [e.subjectId, e.at.getTime(), e.details]).sort()).toEqual(
      [
        [a.id, base, { attempts: 1 }],
        [b.id, base + 7, { attempts: 1 }],
        [c.id, base + 1500, { attempts: 3 }],
      ].sort(),
    );
  });
});
