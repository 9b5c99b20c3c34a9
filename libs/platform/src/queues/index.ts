export * from './queues.module';
export * from './queue-set';
export * from './queue-settings';
export * from './bullmq-close';
