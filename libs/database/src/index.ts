export * from './orm-options';
export * from './database.module';
