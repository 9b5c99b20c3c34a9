import { randomUUID } from 'node:crypto';
import { Delivery } from '@sc/core/delivery/entities/delivery.entity';
import { DeliveryTarget } from '@sc/core/delivery/entities/delivery-target.entity';
import { SecretBox } from '@sc/core/delivery/secret-box';
import { DeadLetterJob, jobIds, JOBS, QUEUES } from '@sc/messaging';
import { QueueSet } from '@sc/platform';
import type { TestApp } from '../support/test-app';
import { RouteCase, ScopeWorld } from './route-case';

/** A webhook target of A's community (its officers / desk), written straight to the table. */
async function arrangeTarget(world: ScopeWorld, t: TestApp): Promise<void> {
  const em = t.em();
  const target = em.create(DeliveryTarget, {
    ownerKind: 'unit',
    ownerId: world.a.community.id,
    unitPath: world.a.community.path,
    channel: 'webhook',
    name: 'route-scope target',
    url: 'http://127.0.0.1:9/route-scope',
    secretCipher: t.app.get(SecretBox).seal(`whsec_${randomUUID()}`),
  });
  await em.flush();
  world.ids.target = target.id;
}

/** A dead delivery to A's target and its dead-letter entry (under the app's queue prefix). */
async function arrangeDeadLetter(world: ScopeWorld, t: TestApp): Promise<void> {
  await arrangeTarget(world, t);
  const em = t.em();
  const delivery = em.create(Delivery, {
    dedupKey: `route-scope/${randomUUID()}`,
    targetId: world.ids.target,
    subjectType: 'work_order',
    subjectId: randomUUID(),
    event: 'created',
    payload: {},
    status: 'dead',
    attempts: 8,
    lastError: 'HTTP 500 from 127.0.0.1:9',
  });
  await em.flush();
  const jobId = jobIds.deliver({ deliveryId: delivery.id });
  const entry: DeadLetterJob = {
    queue: QUEUES.deliveries,
    name: JOBS.deliver,
    jobId,
    data: { deliveryId: delivery.id },
    failedReason: 'HTTP 500 from 127.0.0.1:9',
    attemptsMade: 8,
    failedAt: new Date().toISOString(),
  };
  await t.app.get(QueueSet).get(QUEUES.deadLetter).add(JOBS.deadLetter, entry, { jobId: `dead.${jobId}` });
  world.ids.deadLetter = `dead.${jobId}`;
}

const targetUrl = (world: ScopeWorld, suffix = '') => `/delivery-targets/${world.ids.target}${suffix}`;

export const deliveryCases: RouteCase[] = [
  {
    method: 'POST',
    path: '/delivery-targets',
    request: (world) => ({
      url: '/delivery-targets',
      body: { ownerKind: 'unit', ownerId: world.a.community.id, channel: 'webhook', name: '社区值班', url: 'https://desk.example.com/hook' },
    }),
  },
  {
    method: 'GET',
    path: '/delivery-targets',
    arrange: arrangeTarget,
    request: (world) => ({ url: `/delivery-targets?ownerKind=unit&ownerId=${world.a.community.id}` }),
  },
  { method: 'GET', path: '/delivery-targets/:id', arrange: arrangeTarget, request: (world) => ({ url: targetUrl(world) }) },
  { method: 'PATCH', path: '/delivery-targets/:id', arrange: arrangeTarget, request: (world) => ({ url: targetUrl(world), body: { ratePerMinute: 30 } }) },
  { method: 'DELETE', path: '/delivery-targets/:id', arrange: arrangeTarget, request: (world) => ({ url: targetUrl(world) }) },
  { method: 'POST', path: '/delivery-targets/:id/rotate-secret', arrange: arrangeTarget, request: (world) => ({ url: targetUrl(world, '/rotate-secret'), body: {} }) },
  { method: 'GET', path: '/deliveries', arrange: arrangeTarget, request: (world) => ({ url: `/deliveries?targetId=${world.ids.target}` }) },
  // Operations of the whole service: only queue administrators (administrators, city officers) pass.
  { method: 'GET', path: '/queues', request: () => ({ url: '/queues' }) },
  { method: 'GET', path: '/queues/dead-letter', request: () => ({ url: '/queues/dead-letter' }) },
  {
    method: 'POST',
    path: '/queues/dead-letter/:id/redrive',
    arrange: arrangeDeadLetter,
    request: (world) => ({ url: `/queues/dead-letter/${world.ids.deadLetter}/redrive` }),
  },
];
