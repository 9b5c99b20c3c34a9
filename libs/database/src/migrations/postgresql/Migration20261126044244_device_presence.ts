import { Migration } from '@mikro-orm/migrations';

export class Migration20261126044244_device_presence extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "ingest_rejections" ("id" uuid not null, "received_at" timestamptz not null, "reason" varchar(32) not null, "detail" varchar(500) not null, "topic" varchar(300) not null, "device_code" varchar(64) null, "device_id" uuid null, "payload_excerpt" text null, constraint "ingest_rejections_pkey" primary key ("id"));`);
    this.addSql(`create index "ingest_rejections_received_at_idx" on "ingest_rejections" ("received_at");`);
    this.addSql(`create index "ingest_rejections_device_idx" on "ingest_rejections" ("device_id");`);

    this.addSql(`alter table "ingest_rejections" add constraint "ingest_rejections_device_id_foreign" foreign key ("device_id") references "devices" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "devices" add column "last_seen_at" timestamptz null, add column "online" boolean null, add column "presence_changed_at" timestamptz null, add column "battery" smallint null, add column "rssi" smallint null, add column "firmware" varchar(32) null;`);
    this.addSql(`create index "devices_presence_idx" on "devices" ("type", "online");`);
    // Written by hand: the ingest updates presence columns in place; room on each page lets
    // PostgreSQL do it without new index entries (HOT updates).
    this.addSql(`alter table "devices" set (fillfactor = 85);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "ingest_rejections" cascade;`);

    this.addSql(`drop index "devices_presence_idx";`);
    this.addSql(`alter table "devices" reset (fillfactor);`);
    this.addSql(`alter table "devices" drop column "last_seen_at", drop column "online", drop column "presence_changed_at", drop column "battery", drop column "rssi", drop column "firmware";`);
  }

}
