export * from './platform.module';
export * from './run-background-app';
export * from './queues';
