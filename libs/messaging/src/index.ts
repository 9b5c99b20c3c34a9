export * from './redis';
export * from './mqtt';
export * from './queues';
export * from './webhooks';
