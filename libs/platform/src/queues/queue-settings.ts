import type { DefaultJobOptions, QueueOptions } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { BaseEnv, queueTuningSchema } from '@sc/config';
import { QUEUES, QueueName, redisOptions } from '@sc/messaging';

/** Completed jobs are kept this long, so a deterministic id added again (an outbox row relayed twice) stays one job. */
const KEEP_COMPLETED = { age: 24 * 3600, count: 100_000 };

/** How long a job may hold its lock without renewal before another worker takes it as stalled. */
export const JOB_LOCK_MS = 30_000;

export interface QueueSettings {
  /** Workers' connections: `maxRetriesPerRequest: null`, as BullMQ's blocking connections need. */
  connection: RedisOptions;
  /**
   * Producers' connections (adding, counting, removing jobs): fail at once while Redis is away
   * instead of queueing the command until it is back, so the outbox relay keeps its rows and
   * backs off, and the API answers instead of hanging.
   */
  producerConnection: RedisOptions;
  /** BullMQ key prefix: a `{hash tag}`, so every key of a queue lives in one Redis Cluster slot. */
  prefix: string;
  jobOptions: Record<QueueName, DefaultJobOptions>;
}

/**
 * Reconnect quickly after an outage: BullMQ's default waits up to 20 s between attempts, which
 * would keep jobs (and the outbox relay) idle long after Redis is back.
 */
function retryStrategy(times: number): number {
  return Math.min(100 * times, 2000);
}

/** Queue connection, prefix and default job options from an app's validated environment. */
export function queueSettingsFrom(env: BaseEnv): QueueSettings {
  const tuning = queueTuningSchema.parse(env);
  const routing: DefaultJobOptions = {
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: false,
  };
  return {
    connection: redisOptions(env.REDIS_URL, { maxRetriesPerRequest: null, retryStrategy }),
    producerConnection: redisOptions(env.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy }),
    prefix: env.QUEUE_PREFIX,
    jobOptions: {
      [QUEUES.alerts]: routing,
      [QUEUES.workOrders]: routing,
      [QUEUES.meetings]: routing,
      [QUEUES.deliveries]: {
        attempts: tuning.DELIVERY_ATTEMPTS,
        backoff: { type: 'exponential', delay: tuning.DELIVERY_BACKOFF_MS },
        removeOnComplete: KEEP_COMPLETED,
        removeOnFail: false,
      },
      // Nobody processes the dead-letter queue: its jobs wait there until redriven or removed.
      [QUEUES.deadLetter]: { attempts: 1, removeOnComplete: KEEP_COMPLETED, removeOnFail: false },
    },
  };
}

export function queueOptionsFor(settings: QueueSettings, name: QueueName): QueueOptions {
  return { connection: settings.producerConnection, prefix: settings.prefix, defaultJobOptions: settings.jobOptions[name] };
}
