import { Migration } from '@mikro-orm/migrations';

export class Migration20261126042504_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`org_units\` (\`id\` text not null, \`code\` text not null, \`name\` text not null, \`name_en\` text null, \`level\` text check (\`level\` in ('city', 'district', 'street', 'community', 'grid')) not null, \`settlement\` text check (\`settlement\` in ('urban', 'rural')) null, \`parent_id\` text null, \`path\` text not null, \`pilot\` integer not null default false, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`org_units_parent_id_foreign\` foreign key(\`parent_id\`) references \`org_units\`(\`id\`) on delete restrict on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`org_units_code_unique\` on \`org_units\` (\`code\`);`);
    this.addSql(`create index \`org_units_parent_id_index\` on \`org_units\` (\`parent_id\`);`);
    this.addSql(`create index \`org_units_path_index\` on \`org_units\` (\`path\`);`);
    this.addSql(`create index \`org_units_parent_idx\` on \`org_units\` (\`parent_id\`);`);

    this.addSql(`create table \`grid_workers\` (\`id\` text not null, \`code\` text not null, \`name\` text not null, \`grid_id\` text not null, \`full_time\` integer not null default true, \`active\` integer not null default true, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`grid_workers_grid_id_foreign\` foreign key(\`grid_id\`) references \`org_units\`(\`id\`) on delete restrict on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`grid_workers_code_unique\` on \`grid_workers\` (\`code\`);`);
    this.addSql(`create index \`grid_workers_grid_id_index\` on \`grid_workers\` (\`grid_id\`);`);
    this.addSql(`create index \`grid_workers_grid_idx\` on \`grid_workers\` (\`grid_id\`);`);

    this.addSql(`create table \`property_companies\` (\`id\` text not null, \`code\` text not null, \`name\` text not null, \`credit_code\` text null, \`service_phone\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`property_companies_code_unique\` on \`property_companies\` (\`code\`);`);

    this.addSql(`create table \`compounds\` (\`id\` text not null, \`code\` text not null, \`name\` text not null, \`community_id\` text not null, \`property_company_id\` text null, \`address\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`compounds_community_id_foreign\` foreign key(\`community_id\`) references \`org_units\`(\`id\`) on delete restrict on update cascade, constraint \`compounds_property_company_id_foreign\` foreign key(\`property_company_id\`) references \`property_companies\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`compounds_code_unique\` on \`compounds\` (\`code\`);`);
    this.addSql(`create index \`compounds_community_id_index\` on \`compounds\` (\`community_id\`);`);
    this.addSql(`create index \`compounds_property_company_id_index\` on \`compounds\` (\`property_company_id\`);`);
    this.addSql(`create index \`compounds_community_idx\` on \`compounds\` (\`community_id\`);`);
    this.addSql(`create index \`compounds_property_company_idx\` on \`compounds\` (\`property_company_id\`);`);

    this.addSql(`create table \`parties\` (\`id\` text not null, \`kind\` text check (\`kind\` in ('party_organisation', 'residents_committee', 'owners_committee', 'property_company')) not null, \`name\` text not null, \`community_id\` text not null, \`compound_id\` text null, \`property_company_id\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`parties_community_id_foreign\` foreign key(\`community_id\`) references \`org_units\`(\`id\`) on delete restrict on update cascade, constraint \`parties_compound_id_foreign\` foreign key(\`compound_id\`) references \`compounds\`(\`id\`) on delete restrict on update cascade, constraint \`parties_property_company_id_foreign\` foreign key(\`property_company_id\`) references \`property_companies\`(\`id\`) on delete restrict on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`parties_community_id_index\` on \`parties\` (\`community_id\`);`);
    this.addSql(`create index \`parties_compound_id_index\` on \`parties\` (\`compound_id\`);`);
    this.addSql(`create index \`parties_property_company_id_index\` on \`parties\` (\`property_company_id\`);`);
    this.addSql(`create index \`parties_community_idx\` on \`parties\` (\`community_id\`);`);
    this.addSql(`create unique index \`parties_community_id_compound_id_kind_name_unique\` on \`parties\` (\`community_id\`, \`compound_id\`, \`kind\`, \`name\`);`);

    this.addSql(`create table \`party_members\` (\`id\` text not null, \`party_id\` text not null, \`name\` text not null, \`title\` text null, \`created_at\` datetime not null, constraint \`party_members_party_id_foreign\` foreign key(\`party_id\`) references \`parties\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`party_members_party_id_index\` on \`party_members\` (\`party_id\`);`);
    this.addSql(`create index \`party_members_party_idx\` on \`party_members\` (\`party_id\`);`);

    this.addSql(`create table \`accounts\` (\`id\` text not null, \`username\` text not null, \`display_name\` text not null, \`password_hash\` text not null, \`active\` integer not null default true, \`grid_worker_id\` text null, \`party_member_id\` text null, \`last_login_at\` datetime null, \`credentials_changed_at\` datetime not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`accounts_grid_worker_id_foreign\` foreign key(\`grid_worker_id\`) references \`grid_workers\`(\`id\`) on delete set null on update cascade, constraint \`accounts_party_member_id_foreign\` foreign key(\`party_member_id\`) references \`party_members\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`accounts_username_unique\` on \`accounts\` (\`username\`);`);
    this.addSql(`create index \`accounts_grid_worker_id_index\` on \`accounts\` (\`grid_worker_id\`);`);
    this.addSql(`create index \`accounts_party_member_id_index\` on \`accounts\` (\`party_member_id\`);`);

    this.addSql(`create table \`buildings\` (\`id\` text not null, \`code\` text not null, \`name\` text not null, \`compound_id\` text not null, \`grid_id\` text null, \`floors\` integer null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`buildings_compound_id_foreign\` foreign key(\`compound_id\`) references \`compounds\`(\`id\`) on delete restrict on update cascade, constraint \`buildings_grid_id_foreign\` foreign key(\`grid_id\`) references \`org_units\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`buildings_compound_id_index\` on \`buildings\` (\`compound_id\`);`);
    this.addSql(`create index \`buildings_grid_id_index\` on \`buildings\` (\`grid_id\`);`);
    this.addSql(`create unique index \`buildings_compound_id_code_unique\` on \`buildings\` (\`compound_id\`, \`code\`);`);

    this.addSql(`create table \`devices\` (\`id\` text not null, \`code\` text not null, \`type\` text not null, \`name\` text null, \`community_id\` text not null, \`compound_id\` text null, \`building_id\` text null, \`grid_id\` text null, \`location\` text null, \`vendor\` text null, \`model\` text null, \`serial_number\` text null, \`enabled\` integer not null default true, \`credential_hash\` text not null, \`credential_issued_at\` datetime not null, \`provisioned_at\` datetime not null, \`updated_at\` datetime not null, constraint \`devices_community_id_foreign\` foreign key(\`community_id\`) references \`org_units\`(\`id\`) on delete restrict on update cascade, constraint \`devices_compound_id_foreign\` foreign key(\`compound_id\`) references \`compounds\`(\`id\`) on delete restrict on update cascade, constraint \`devices_building_id_foreign\` foreign key(\`building_id\`) references \`buildings\`(\`id\`) on delete restrict on update cascade, constraint \`devices_grid_id_foreign\` foreign key(\`grid_id\`) references \`org_units\`(\`id\`) on delete restrict on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`devices_code_unique\` on \`devices\` (\`code\`);`);
    this.addSql(`create index \`devices_type_index\` on \`devices\` (\`type\`);`);
    this.addSql(`create index \`devices_community_id_index\` on \`devices\` (\`community_id\`);`);
    this.addSql(`create index \`devices_compound_id_index\` on \`devices\` (\`compound_id\`);`);
    this.addSql(`create index \`devices_building_id_index\` on \`devices\` (\`building_id\`);`);
    this.addSql(`create index \`devices_grid_id_index\` on \`devices\` (\`grid_id\`);`);
    this.addSql(`create index \`devices_community_idx\` on \`devices\` (\`community_id\`);`);
    this.addSql(`create index \`devices_compound_idx\` on \`devices\` (\`compound_id\`);`);
    this.addSql(`create index \`devices_grid_idx\` on \`devices\` (\`grid_id\`);`);

    this.addSql(`create table \`api_keys\` (\`id\` text not null, \`key_id\` text not null, \`secret_hash\` text not null, \`name\` text not null, \`role\` text check (\`role\` in ('admin', 'city_officer', 'district_officer', 'street_officer', 'community_worker', 'grid_worker', 'property_staff', 'owners_committee', 'residents_committee', 'company_system')) not null default 'company_system', \`property_company_id\` text not null, \`created_by_id\` text null, \`created_at\` datetime not null, \`last_used_at\` datetime null, \`revoked_at\` datetime null, constraint \`api_keys_property_company_id_foreign\` foreign key(\`property_company_id\`) references \`property_companies\`(\`id\`) on delete cascade on update cascade, constraint \`api_keys_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`accounts\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`api_keys_key_id_unique\` on \`api_keys\` (\`key_id\`);`);
    this.addSql(`create index \`api_keys_property_company_id_index\` on \`api_keys\` (\`property_company_id\`);`);
    this.addSql(`create index \`api_keys_created_by_id_index\` on \`api_keys\` (\`created_by_id\`);`);

    this.addSql(`create table \`role_assignments\` (\`id\` text not null, \`account_id\` text not null, \`role\` text check (\`role\` in ('admin', 'city_officer', 'district_officer', 'street_officer', 'community_worker', 'grid_worker', 'property_staff', 'owners_committee', 'residents_committee', 'company_system')) not null, \`org_unit_id\` text null, \`compound_id\` text null, \`property_company_id\` text null, \`anchor_key\` text not null, \`granted_by_id\` text null, \`created_at\` datetime not null, constraint \`role_assignments_account_id_foreign\` foreign key(\`account_id\`) references \`accounts\`(\`id\`) on delete cascade on update cascade, constraint \`role_assignments_org_unit_id_foreign\` foreign key(\`org_unit_id\`) references \`org_units\`(\`id\`) on delete cascade on update cascade, constraint \`role_assignments_compound_id_foreign\` foreign key(\`compound_id\`) references \`compounds\`(\`id\`) on delete cascade on update cascade, constraint \`role_assignments_property_company_id_foreign\` foreign key(\`property_company_id\`) references \`property_companies\`(\`id\`) on delete cascade on update cascade, constraint \`role_assignments_granted_by_id_foreign\` foreign key(\`granted_by_id\`) references \`accounts\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`role_assignments_account_id_index\` on \`role_assignments\` (\`account_id\`);`);
    this.addSql(`create index \`role_assignments_org_unit_id_index\` on \`role_assignments\` (\`org_unit_id\`);`);
    this.addSql(`create index \`role_assignments_compound_id_index\` on \`role_assignments\` (\`compound_id\`);`);
    this.addSql(`create index \`role_assignments_property_company_id_index\` on \`role_assignments\` (\`property_company_id\`);`);
    this.addSql(`create index \`role_assignments_granted_by_id_index\` on \`role_assignments\` (\`granted_by_id\`);`);
    this.addSql(`create index \`role_assignments_account_idx\` on \`role_assignments\` (\`account_id\`);`);
    this.addSql(`create unique index \`role_assignments_grant_unique\` on \`role_assignments\` (\`account_id\`, \`role\`, \`anchor_key\`);`);
  }

}
