import { QUEUES, QueueName } from '@sc/messaging';
import { BaseEnv, workerEnvSchema, WorkerEnv } from '@sc/config';

export const WORKER_SETTINGS = Symbol('WORKER_SETTINGS');

/** The worker's part of the environment; an app schema without it (a test's API schema) gets the defaults. */
export function workerSettingsFrom(env: BaseEnv): WorkerEnv {
  return workerEnvSchema.parse(env);
}

/** Jobs one process runs at once, per processed queue. */
export function concurrencyOf(settings: WorkerEnv, queue: QueueName): number {
  switch (queue) {
    case QUEUES.alerts:
      return settings.WORKER_CONCURRENCY_ALERTS;
    case QUEUES.workOrders:
      return settings.WORKER_CONCURRENCY_WORK_ORDERS;
    case QUEUES.deliveries:
      return settings.WORKER_CONCURRENCY_DELIVERIES;
    case QUEUES.meetings:
      return settings.WORKER_CONCURRENCY_MEETINGS;
    default:
      return 1;
  }
}
