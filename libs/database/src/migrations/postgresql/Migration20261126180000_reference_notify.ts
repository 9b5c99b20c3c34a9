import { Migration } from '@mikro-orm/migrations';

/** The tables whose rows the reference cache keeps (libs/core shared/reference-cache.ts). */
const REFERENCE_TABLES = ['org_units', 'compounds', 'property_companies', 'buildings', 'grid_workers', 'routing_policies', 'sla_policies', 'delivery_targets'];

/**
 * Tells every process's reference cache that reference data changed: a statement-level trigger
 * per table NOTIFYs channel sc_reference (REFERENCE_CHANNEL) with the table's name. PostgreSQL
 * delivers it at the commit of the changing transaction (never for one rolled back) and folds
 * the repeats of one transaction into one.
 */
export class Migration20261126180000_reference_notify extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create or replace function "reference_notify"() returns trigger language plpgsql as $$ begin perform pg_notify('sc_reference', TG_TABLE_NAME); return null; end $$;`);
    for (const table of REFERENCE_TABLES) {
      this.addSql(`create trigger "${table}_reference_notify" after insert or update or delete or truncate on "${table}" for each statement execute function "reference_notify"();`);
    }
  }

  override async down(): Promise<void> {
    for (const table of REFERENCE_TABLES) this.addSql(`drop trigger if exists "${table}_reference_notify" on "${table}";`);
    this.addSql(`drop function if exists "reference_notify"();`);
  }

}
