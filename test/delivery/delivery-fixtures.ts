import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/knex';
import { Delivery } from '@sc/core/delivery/entities/delivery.entity';
import { PropertyCompany } from '@sc/core/org/entities/property-company.entity';
import { Notification, Notifier, Recipient } from '@sc/core/delivery/notifier';
import { Outbox } from '@sc/core/outbox/outbox';
import { waitFor } from '@sc/testing/wait';
import type { TestApp } from '../support/test-app';

export interface CreatedTarget {
  id: string;
  secret?: string;
  body: Record<string, unknown>;
}

/** Creates a target through the API as the administrator; fails the test on anything but 201. */
export async function createTarget(t: TestApp, body: Record<string, unknown>): Promise<CreatedTarget> {
  const res = await t.http().post('/delivery-targets').set('Authorization', await t.adminAuth()).send(body);
  if (res.status !== 201) throw new Error(`creating a target failed: ${res.status} ${JSON.stringify(res.body)}`);
  const created = res.body as { id: string; secret?: string };
  return { id: created.id, secret: created.secret, body: res.body as Record<string, unknown> };
}

/** A work-order-like payload, as helper B's notifications carry. */
export function workOrderPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event: 'created',
    workOrder: {
      id: randomUUID(),
      number: 'WO-20261126-0001',
      title: '烟感报警 2单元3楼楼道',
      severity: 'critical',
      category: 'safety',
      type: 'smoke.alarm',
      status: 'dispatched',
      level: 'community',
      source: 'alert',
      community: { id: randomUUID(), code: 'jinli', name: '锦里社区' },
      compound: { id: randomUUID(), name: '锦里花园' },
      device: { id: randomUUID(), code: 'jl-smoke-0001', type: 'smoke', location: '2单元3楼' },
      reportedAt: '2026-11-26T06:00:00.000Z',
      acceptDueAt: '2026-11-26T06:05:00.000Z',
      resolveDueAt: '2026-11-26T08:00:00.000Z',
      ...overrides,
    },
    alert: { id: randomUUID(), type: 'smoke.alarm', sourceMsgId: 'm-1', raisedAt: '2026-11-26T06:00:00.000Z', count: 1 },
  };
}

/** Decides a notification the way the features do (Notifier in a transaction, then committed()). */
export async function notify(t: { em: () => EntityManager; app: { get<T>(type: new (...args: never[]) => T): T } }, recipients: Recipient[], partial: Partial<Notification> = {}): Promise<string[]> {
  const notifier = t.app.get(Notifier);
  const result = await t.em().transactional((em) =>
    notifier.notify(em, {
      subjectType: 'work_order',
      subjectId: randomUUID(),
      event: 'created',
      payload: workOrderPayload(),
      recipients,
      ...partial,
    }),
  );
  t.app.get(Outbox).committed();
  return result.deliveryIds;
}

export async function deliveryRow(em: EntityManager, id: string): Promise<Delivery> {
  return em.findOneOrFail(Delivery, { id });
}

/** Waits until the delivery row satisfies `done`, showing the row if it never does. */
export async function waitForDelivery(em: () => EntityManager, id: string, what: string, done: (d: Delivery) => boolean, withinMs = 20_000): Promise<Delivery> {
  let last: Delivery | undefined;
  return waitFor(
    `delivery ${id} ${what}`,
    async () => {
      last = await deliveryRow(em(), id);
      return done(last) ? last : undefined;
    },
    { withinMs, everyMs: 50, describe: () => `last row: ${JSON.stringify(last)}` },
  );
}

/** A property company of its own, so a test's notification reaches only the targets it made. */
export async function newCompany(em: EntityManager): Promise<PropertyCompany> {
  const code = `pc-${randomUUID().slice(0, 8)}`;
  const company = em.create(PropertyCompany, { code, name: `物业 ${code}` });
  await em.flush();
  return company;
}
