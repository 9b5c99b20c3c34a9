export * from './orm-options';
export * from './database.module';
export * from './listen-connection';
export * from './channel-listener';
