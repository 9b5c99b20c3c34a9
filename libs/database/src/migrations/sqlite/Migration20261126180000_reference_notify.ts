import { Migration } from '@mikro-orm/migrations';

/**
 * PostgreSQL's reference-change NOTIFY triggers have no SQLite counterpart: on SQLite the
 * reference cache never caches (it has nobody to tell it about changes, and its reads do not
 * cross a network). Kept so both dialects share one migration history.
 */
export class Migration20261126180000_reference_notify extends Migration {

  override async up(): Promise<void> {
    // nothing to do on SQLite
  }

  override async down(): Promise<void> {
    // nothing to undo on SQLite
  }

}
