import { Migration } from '@mikro-orm/migrations';

/**
 * Written by hand, beside the PostgreSQL one (partitioned there, plain here). Times are epoch
 * milliseconds, as MikroORM stores `datetime` on SQLite. (device_id, msg_id) is the dedup key;
 * the ts index serves retention deletes. device_id is not a foreign key, as on PostgreSQL.
 */
export class Migration20261126050000_device_events extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`device_events\` (\`device_id\` text not null, \`msg_id\` text not null, \`ts\` datetime not null, \`received_at\` datetime not null, \`device_code\` text not null, \`site_id\` text not null, \`channel\` text not null, \`type\` text null, \`payload\` json not null, primary key (\`device_id\`, \`msg_id\`));`);
    this.addSql(`create index \`device_events_device_ts_idx\` on \`device_events\` (\`device_id\`, \`ts\`);`);
    this.addSql(`create index \`device_events_ts_idx\` on \`device_events\` (\`ts\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`device_events\`;`);
  }

}
