import { Migration } from '@mikro-orm/migrations';

/**
 * Wakes the outbox relay: a statement-level trigger on the outbox NOTIFYs channel sc_outbox
 * (libs/core outbox-channel.ts). PostgreSQL delivers a notification when the inserting
 * transaction commits and folds the repeats of one transaction into one, so the relay hands
 * the rows over right after the commit instead of polling every few milliseconds.
 */
export class Migration20261126100000_outbox_notify extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create or replace function "outbox_notify"() returns trigger language plpgsql as $$ begin perform pg_notify('sc_outbox', ''); return null; end $$;`);
    this.addSql(`create trigger "outbox_notify_after_insert" after insert on "outbox" for each statement execute function "outbox_notify"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "outbox_notify_after_insert" on "outbox";`);
    this.addSql(`drop function if exists "outbox_notify"();`);
  }

}
