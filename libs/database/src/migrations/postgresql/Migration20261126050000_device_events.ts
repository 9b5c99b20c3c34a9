import { Migration } from '@mikro-orm/migrations';

/**
 * Written by hand: MikroORM cannot express a partitioned table. device_events is partitioned by
 * range of the device time `ts`; the ingest creates the daily partitions ahead
 * (device_events_pYYYYMMDD) and drops whole ones past the retention. The default partition
 * catches a row whose day has no partition yet, so an insert never fails for want of one.
 * The primary key is the dedup key: a partitioned table's unique keys must hold the partition
 * key, and a redelivery carries the same ts. Its column order (device, ts, msg) also serves
 * "a device's events in a time range" without a second index on the hot table.
 * device_id is deliberately not a foreign key: the ingest writes only ids it has just read from
 * devices (which are disabled, never deleted), and a foreign key would lock and dirty the device
 * row of every inserted event. Events are records: they outlive a device row.
 */
export class Migration20261126050000_device_events extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "device_events" ("device_id" uuid not null, "msg_id" varchar(128) not null, "ts" timestamptz not null, "received_at" timestamptz not null, "device_code" varchar(64) not null, "site_id" varchar(64) not null, "channel" varchar(16) not null, "type" varchar(64) null, "payload" jsonb not null, constraint "device_events_pkey" primary key ("device_id", "ts", "msg_id")) partition by range ("ts");`);
    this.addSql(`create table "device_events_default" partition of "device_events" default;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "device_events" cascade;`);
  }

}
