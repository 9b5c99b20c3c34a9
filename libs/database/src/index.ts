export * from './orm-options';
export * from './database.module';
export * from './listen-connection';
