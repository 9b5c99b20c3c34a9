import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { APP_ENV, BaseEnv } from '@sc/config';
import { QUEUES } from '@sc/messaging';
import { QueueSet } from './queue-set';
import { queueOptionsFor, QueueSettings, queueSettingsFrom } from './queue-settings';

export const QUEUE_SETTINGS = Symbol('QUEUE_SETTINGS');

/**
 * BullMQ wiring shared by the worker (processors, outbox relay) and the API (queue counts, the
 * dead-letter queue): one connection set-up, the cluster-safe prefix, the default job options.
 * A plain module, so an app that imports it twice (the all-in-one) gets one set of queues.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_ENV],
      useFactory: (env: BaseEnv) => {
        const settings = queueSettingsFrom(env);
        return { connection: settings.connection, prefix: settings.prefix };
      },
    }),
    BullModule.registerQueueAsync(
      ...Object.values(QUEUES).map((name) => ({
        name,
        inject: [APP_ENV],
        useFactory: (env: BaseEnv) => ({ ...queueOptionsFor(queueSettingsFrom(env), name), forceDisconnectOnShutdown: true }),
      })),
    ),
  ],
  providers: [
    { provide: QUEUE_SETTINGS, inject: [APP_ENV], useFactory: (env: BaseEnv): QueueSettings => queueSettingsFrom(env) },
    QueueSet,
  ],
  exports: [QUEUE_SETTINGS, QueueSet],
})
export class QueuesModule {}
