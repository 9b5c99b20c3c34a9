export * from './test-database';
export * from './factories';
export * from './webhook-receiver';
export * from './redis-keys';
