import { Migration } from '@mikro-orm/migrations';

/**
 * Written from `migration:create` output by hand: the SQLite differ also proposed rebuilding
 * org_units, parties, api_keys and role_assignments over index-name noise, which inside a
 * transaction (where `pragma foreign_keys = off` is ignored) would drop referenced tables.
 */
export class Migration20261126044244_device_presence extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`ingest_rejections\` (\`id\` text not null, \`received_at\` datetime not null, \`reason\` text not null, \`detail\` text not null, \`topic\` text not null, \`device_code\` text null, \`device_id\` text null, \`payload_excerpt\` text null, constraint \`ingest_rejections_device_id_foreign\` foreign key(\`device_id\`) references \`devices\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`ingest_rejections_received_at_idx\` on \`ingest_rejections\` (\`received_at\`);`);
    this.addSql(`create index \`ingest_rejections_device_idx\` on \`ingest_rejections\` (\`device_id\`);`);

    this.addSql(`alter table \`devices\` add column \`last_seen_at\` datetime null;`);
    this.addSql(`alter table \`devices\` add column \`online\` integer null;`);
    this.addSql(`alter table \`devices\` add column \`presence_changed_at\` datetime null;`);
    this.addSql(`alter table \`devices\` add column \`battery\` integer null;`);
    this.addSql(`alter table \`devices\` add column \`rssi\` integer null;`);
    this.addSql(`alter table \`devices\` add column \`firmware\` text null;`);
    this.addSql(`create index \`devices_presence_idx\` on \`devices\` (\`type\`, \`online\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`ingest_rejections\`;`);
    this.addSql(`drop index if exists \`devices_presence_idx\`;`);
    for (const column of ['last_seen_at', 'online', 'presence_changed_at', 'battery', 'rssi', 'firmware']) {
      this.addSql(`alter table \`devices\` drop column \`${column}\`;`);
    }
  }

}
