export * from './queues.module';
export * from './queue-set';
export * from './queue-settings';
