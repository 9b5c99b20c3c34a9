import { Migration } from '@mikro-orm/migrations';

/**
 * The outbox NOTIFY only for rows the relay may take now: rows held by their writer (handed to
 * Redis by it right after the commit: the ingest's route jobs, the worker's direct deliveries)
 * no longer wake every relay for a round that finds nothing. Rows released later by an update
 * (their writer could not hand them over) wake it too, instead of waiting for its safety poll.
 */
export class Migration20261126183000_outbox_notify_available extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create or replace function "outbox_notify_available"() returns trigger language plpgsql as $$ begin if exists (select 1 from "changed" where "available_at" is null or "available_at" <= now()) then perform pg_notify('sc_outbox', ''); end if; return null; end $$;`);
    this.addSql(`drop trigger if exists "outbox_notify_after_change" on "outbox";`);
    // Transition tables take no column list: any update is looked at (the relay's own attempts update is too, while it backs off).
    this.addSql(`create trigger "outbox_notify_after_insert" after insert on "outbox" referencing new table as "changed" for each statement execute function "outbox_notify_available"();`);
    this.addSql(`create trigger "outbox_notify_after_update" after update on "outbox" referencing new table as "changed" for each statement execute function "outbox_notify_available"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "outbox_notify_after_update" on "outbox";`);
    this.addSql(`drop trigger if exists "outbox_notify_after_insert" on "outbox";`);
    this.addSql(`create trigger "outbox_notify_after_change" after insert or update of "available_at" on "outbox" for each statement execute function "outbox_notify"();`);
    this.addSql(`drop function if exists "outbox_notify_available"();`);
  }

}
