export * from './redis';
export * from './mqtt';
