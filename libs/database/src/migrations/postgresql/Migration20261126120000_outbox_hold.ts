import { Migration } from '@mikro-orm/migrations';

/**
 * Outbox rows that wait: a job the writing process runs itself right after the commit (the
 * worker sends a new order's webhooks at once) stays here until available_at in case that
 * process fails, and is deleted by it when done. The relay skips rows not yet available. A row
 * released early (available_at set to null) NOTIFYs the relay like a new one.
 */
export class Migration20261126120000_outbox_hold extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "outbox" add column "available_at" timestamptz null;`);
    this.addSql(`drop trigger if exists "outbox_notify_after_insert" on "outbox";`);
    this.addSql(`create trigger "outbox_notify_after_change" after insert or update of "available_at" on "outbox" for each statement execute function "outbox_notify"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "outbox_notify_after_change" on "outbox";`);
    this.addSql(`create trigger "outbox_notify_after_insert" after insert on "outbox" for each statement execute function "outbox_notify"();`);
    this.addSql(`alter table "outbox" drop column "available_at";`);
  }

}
