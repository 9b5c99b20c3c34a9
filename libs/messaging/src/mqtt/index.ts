export * from './topics';
export * from './rejection';
export * from './payloads';
export * from './schemas';
export * from './ingest-status';
