export * from './queues.module';
export * from './queue-set';
export * from './queue-settings';
export * from './bullmq-close';
export * from './hand-to-queues';
export * from './job-handover.module';
