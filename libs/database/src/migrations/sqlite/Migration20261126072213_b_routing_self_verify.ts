import { Migration } from '@mikro-orm/migrations';

/** Work-order policy flag (helper B): whether whoever resolved an order may also verify it (督查). Default: no. */
export class Migration20261126072213_b_routing_self_verify extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`routing_policies\` add column \`allow_self_verify\` integer not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`routing_policies\` drop column \`allow_self_verify\`;`);
  }

}
