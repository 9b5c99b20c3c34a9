import { Migration } from '@mikro-orm/migrations';

/** PostgreSQL's outbox NOTIFY trigger changes; SQLite has none (its relay is woken in memory). Kept so both dialects share one migration history. */
export class Migration20261126183000_outbox_notify_available extends Migration {

  override async up(): Promise<void> {
    // nothing to do on SQLite
  }

  override async down(): Promise<void> {
    // nothing to undo on SQLite
  }

}
