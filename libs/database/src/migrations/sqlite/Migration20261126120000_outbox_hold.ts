import { Migration } from '@mikro-orm/migrations';

/** See the PostgreSQL twin: outbox rows held until available_at while their writer runs the job itself. */
export class Migration20261126120000_outbox_hold extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`outbox\` add column \`available_at\` datetime null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`outbox\` drop column \`available_at\`;`);
  }

}
