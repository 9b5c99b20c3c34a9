import { Migration } from '@mikro-orm/migrations';

/**
 * PostgreSQL's outbox NOTIFY trigger has no SQLite counterpart: on SQLite the relay runs in the
 * same process as every writer (all-in-one) and is woken in memory. Kept so both dialects share
 * one migration history.
 */
export class Migration20261126100000_outbox_notify extends Migration {

  override async up(): Promise<void> {
    // nothing to do on SQLite
  }

  override async down(): Promise<void> {
    // nothing to undo on SQLite
  }

}
