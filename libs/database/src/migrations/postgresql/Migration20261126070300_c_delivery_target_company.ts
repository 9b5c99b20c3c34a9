import { Migration } from '@mikro-orm/migrations';

/** Written by hand (helper C): delivery targets of company accounts are scoped by their company too. */
export class Migration20261126070300_c_delivery_target_company extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "delivery_targets" add column "company_id" uuid null;`);
    this.addSql(`update "delivery_targets" set "company_id" = "owner_id" where "owner_kind" = 'company';`);
    this.addSql(`create index "delivery_targets_unit_path_idx" on "delivery_targets" ("unit_path");`);
    this.addSql(`create index "delivery_targets_company_idx" on "delivery_targets" ("company_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "delivery_targets_company_idx";`);
    this.addSql(`drop index if exists "delivery_targets_unit_path_idx";`);
    this.addSql(`alter table "delivery_targets" drop column "company_id";`);
  }

}
