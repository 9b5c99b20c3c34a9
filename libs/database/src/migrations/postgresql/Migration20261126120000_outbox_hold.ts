import { Migration } from '@mikro-orm/migrations';

/**
 * Outbox rows that wait: a job the writing process runs itself right after the commit (the
 * worker sends a new order's webhooks at once) stays here until available_at in case that
 * process fails, and is deleted by it when done. The relay skips rows not yet available.
 */
export class Migration20261126120000_outbox_hold extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "outbox" add column "available_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "outbox" drop column "available_at";`);
  }

}
