import { randomBytes } from 'node:crypto';
import { Provider } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { EntityManager } from '@mikro-orm/knex';
import { MikroORM } from '@mikro-orm/core';
import type { Redis } from 'ioredis';
import { REDIS_CLIENT } from '@sc/messaging';
import { QueueSet } from '@sc/platform';
import { OutboxRelay } from '../../apps/worker/src/outbox/outbox-relay';
import { WorkerAppModule } from '../../apps/worker/src/worker.module';

/** The PSEUDONYM_KEY createTestApp uses: the worker must decrypt the secrets the API sealed. */
export const TEST_PSEUDONYM_KEY = 'test-pseudonym-key-of-at-least-thirty-two-chars';

/** A queue prefix of this test file's own: Redis is shared with other suites and CI. */
export function uniqueQueuePrefix(): string {
  return `{t${randomBytes(4).toString('hex')}}`;
}

export interface WorkerTestApp {
  module: TestingModule;
  em: () => EntityManager;
  queues: QueueSet;
  relay: OutboxRelay;
  close(): Promise<void>;
}

/**
 * The worker as it ships (WorkerAppModule: processors, outbox relay, dead-letter queue) on the
 * database and Redis named by `env` (e.g. a createTestApp's db.env plus a QUEUE_PREFIX).
 */
export async function startWorker(env: Record<string, string>, providers: Provider[] = []): Promise<WorkerTestApp> {
  const module = await Test.createTestingModule({
    imports: [WorkerAppModule.register({ LOG_LEVEL: 'warn', NODE_ENV: 'test', PSEUDONYM_KEY: TEST_PSEUDONYM_KEY, ...env })],
    providers,
  }).compile();
  try {
    await module.init();
  } catch (error: unknown) {
    // Nest's close() refuses to run after a failed init: release the connections by hand.
    await Promise.allSettled([
      module.get(QueueSet).close(),
      module.get<Redis>(REDIS_CLIENT).quit(),
      module.get(MikroORM).close(),
    ]);
    throw error;
  }
  return {
    module,
    em: () => module.get(EntityManager).fork(),
    queues: module.get(QueueSet),
    relay: module.get(OutboxRelay),
    close: () => module.close(),
  };
}

