export * from './env.schema';
export * from './app-config.module';
export * from './secrets';
export * from './logging.module';
