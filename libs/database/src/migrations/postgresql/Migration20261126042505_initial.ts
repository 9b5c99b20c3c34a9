import { Migration } from '@mikro-orm/migrations';

export class Migration20261126042505_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "org_units" ("id" uuid not null, "code" varchar(64) not null, "name" varchar(200) not null, "name_en" varchar(200) null, "level" text check ("level" in ('city', 'district', 'street', 'community', 'grid')) not null, "settlement" text check ("settlement" in ('urban', 'rural')) null, "parent_id" uuid null, "path" varchar(400) not null, "pilot" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "org_units_pkey" primary key ("id"));`);
    this.addSql(`alter table "org_units" add constraint "org_units_code_unique" unique ("code");`);
    this.addSql(`create index "org_units_parent_idx" on "org_units" ("parent_id");`);
    this.addSql(`create index "org_units_path_index" on "org_units" ("path");`);

    this.addSql(`create table "grid_workers" ("id" uuid not null, "code" varchar(64) not null, "name" varchar(100) not null, "grid_id" uuid not null, "full_time" boolean not null default true, "active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "grid_workers_pkey" primary key ("id"));`);
    this.addSql(`alter table "grid_workers" add constraint "grid_workers_code_unique" unique ("code");`);
    this.addSql(`create index "grid_workers_grid_idx" on "grid_workers" ("grid_id");`);

    this.addSql(`create table "property_companies" ("id" uuid not null, "code" varchar(64) not null, "name" varchar(200) not null, "credit_code" varchar(32) null, "service_phone" varchar(32) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "property_companies_pkey" primary key ("id"));`);
    this.addSql(`alter table "property_companies" add constraint "property_companies_code_unique" unique ("code");`);

    this.addSql(`create table "compounds" ("id" uuid not null, "code" varchar(64) not null, "name" varchar(200) not null, "community_id" uuid not null, "property_company_id" uuid null, "address" varchar(300) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "compounds_pkey" primary key ("id"));`);
    this.addSql(`alter table "compounds" add constraint "compounds_code_unique" unique ("code");`);
    this.addSql(`create index "compounds_community_idx" on "compounds" ("community_id");`);
    this.addSql(`create index "compounds_property_company_idx" on "compounds" ("property_company_id");`);

    this.addSql(`create table "parties" ("id" uuid not null, "kind" text check ("kind" in ('party_organisation', 'residents_committee', 'owners_committee', 'property_company')) not null, "name" varchar(200) not null, "community_id" uuid not null, "compound_id" uuid null, "property_company_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "parties_pkey" primary key ("id"));`);
    this.addSql(`create index "parties_community_idx" on "parties" ("community_id");`);
    this.addSql(`alter table "parties" add constraint "parties_community_id_compound_id_kind_name_unique" unique ("community_id", "compound_id", "kind", "name");`);

    this.addSql(`create table "party_members" ("id" uuid not null, "party_id" uuid not null, "name" varchar(100) not null, "title" varchar(100) null, "created_at" timestamptz not null, constraint "party_members_pkey" primary key ("id"));`);
    this.addSql(`create index "party_members_party_idx" on "party_members" ("party_id");`);

    this.addSql(`create table "accounts" ("id" uuid not null, "username" varchar(64) not null, "display_name" varchar(100) not null, "password_hash" varchar(200) not null, "active" boolean not null default true, "grid_worker_id" uuid null, "party_member_id" uuid null, "last_login_at" timestamptz null, "credentials_changed_at" timestamptz not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "accounts_pkey" primary key ("id"));`);
    this.addSql(`alter table "accounts" add constraint "accounts_username_unique" unique ("username");`);

    this.addSql(`create table "buildings" ("id" uuid not null, "code" varchar(64) not null, "name" varchar(200) not null, "compound_id" uuid not null, "grid_id" uuid null, "floors" int null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "buildings_pkey" primary key ("id"));`);
    this.addSql(`alter table "buildings" add constraint "buildings_compound_id_code_unique" unique ("compound_id", "code");`);

    this.addSql(`create table "devices" ("id" uuid not null, "code" varchar(64) not null, "type" varchar(48) not null, "name" varchar(200) null, "community_id" uuid not null, "compound_id" uuid null, "building_id" uuid null, "grid_id" uuid null, "location" varchar(300) null, "vendor" varchar(100) null, "model" varchar(100) null, "serial_number" varchar(100) null, "enabled" boolean not null default true, "credential_hash" varchar(64) not null, "credential_issued_at" timestamptz not null, "provisioned_at" timestamptz not null, "updated_at" timestamptz not null, constraint "devices_pkey" primary key ("id"));`);
    this.addSql(`alter table "devices" add constraint "devices_code_unique" unique ("code");`);
    this.addSql(`create index "devices_type_index" on "devices" ("type");`);
    this.addSql(`create index "devices_community_idx" on "devices" ("community_id");`);
    this.addSql(`create index "devices_compound_idx" on "devices" ("compound_id");`);
    this.addSql(`create index "devices_grid_idx" on "devices" ("grid_id");`);

    this.addSql(`create table "api_keys" ("id" uuid not null, "key_id" varchar(32) not null, "secret_hash" varchar(64) not null, "name" varchar(100) not null, "role" text check ("role" in ('admin', 'city_officer', 'district_officer', 'street_officer', 'community_worker', 'grid_worker', 'property_staff', 'owners_committee', 'residents_committee', 'company_system')) not null default 'company_system', "property_company_id" uuid not null, "created_by_id" uuid null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_keys_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_key_id_unique" unique ("key_id");`);

    this.addSql(`create table "role_assignments" ("id" uuid not null, "account_id" uuid not null, "role" text check ("role" in ('admin', 'city_officer', 'district_officer', 'street_officer', 'community_worker', 'grid_worker', 'property_staff', 'owners_committee', 'residents_committee', 'company_system')) not null, "org_unit_id" uuid null, "compound_id" uuid null, "property_company_id" uuid null, "anchor_key" varchar(80) not null, "granted_by_id" uuid null, "created_at" timestamptz not null, constraint "role_assignments_pkey" primary key ("id"));`);
    this.addSql(`create index "role_assignments_account_idx" on "role_assignments" ("account_id");`);
    this.addSql(`alter table "role_assignments" add constraint "role_assignments_grant_unique" unique ("account_id", "role", "anchor_key");`);

    this.addSql(`alter table "org_units" add constraint "org_units_parent_id_foreign" foreign key ("parent_id") references "org_units" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "grid_workers" add constraint "grid_workers_grid_id_foreign" foreign key ("grid_id") references "org_units" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "compounds" add constraint "compounds_community_id_foreign" foreign key ("community_id") references "org_units" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "compounds" add constraint "compounds_property_company_id_foreign" foreign key ("property_company_id") references "property_companies" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "parties" add constraint "parties_community_id_foreign" foreign key ("community_id") references "org_units" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "parties" add constraint "parties_compound_id_foreign" foreign key ("compound_id") references "compounds" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "parties" add constraint "parties_property_company_id_foreign" foreign key ("property_company_id") references "property_companies" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "party_members" add constraint "party_members_party_id_foreign" foreign key ("party_id") references "parties" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "accounts" add constraint "accounts_grid_worker_id_foreign" foreign key ("grid_worker_id") references "grid_workers" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "accounts" add constraint "accounts_party_member_id_foreign" foreign key ("party_member_id") references "party_members" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "buildings" add constraint "buildings_compound_id_foreign" foreign key ("compound_id") references "compounds" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "buildings" add constraint "buildings_grid_id_foreign" foreign key ("grid_id") references "org_units" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "devices" add constraint "devices_community_id_foreign" foreign key ("community_id") references "org_units" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "devices" add constraint "devices_compound_id_foreign" foreign key ("compound_id") references "compounds" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "devices" add constraint "devices_building_id_foreign" foreign key ("building_id") references "buildings" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "devices" add constraint "devices_grid_id_foreign" foreign key ("grid_id") references "org_units" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "api_keys" add constraint "api_keys_property_company_id_foreign" foreign key ("property_company_id") references "property_companies" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_created_by_id_foreign" foreign key ("created_by_id") references "accounts" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "role_assignments" add constraint "role_assignments_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "role_assignments" add constraint "role_assignments_org_unit_id_foreign" foreign key ("org_unit_id") references "org_units" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "role_assignments" add constraint "role_assignments_compound_id_foreign" foreign key ("compound_id") references "compounds" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "role_assignments" add constraint "role_assignments_property_company_id_foreign" foreign key ("property_company_id") references "property_companies" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "role_assignments" add constraint "role_assignments_granted_by_id_foreign" foreign key ("granted_by_id") references "accounts" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "org_units" drop constraint "org_units_parent_id_foreign";`);

    this.addSql(`alter table "grid_workers" drop constraint "grid_workers_grid_id_foreign";`);

    this.addSql(`alter table "compounds" drop constraint "compounds_community_id_foreign";`);

    this.addSql(`alter table "parties" drop constraint "parties_community_id_foreign";`);

    this.addSql(`alter table "buildings" drop constraint "buildings_grid_id_foreign";`);

    this.addSql(`alter table "devices" drop constraint "devices_community_id_foreign";`);

    this.addSql(`alter table "devices" drop constraint "devices_grid_id_foreign";`);

    this.addSql(`alter table "role_assignments" drop constraint "role_assignments_org_unit_id_foreign";`);

    this.addSql(`alter table "accounts" drop constraint "accounts_grid_worker_id_foreign";`);

    this.addSql(`alter table "compounds" drop constraint "compounds_property_company_id_foreign";`);

    this.addSql(`alter table "parties" drop constraint "parties_property_company_id_foreign";`);

    this.addSql(`alter table "api_keys" drop constraint "api_keys_property_company_id_foreign";`);

    this.addSql(`alter table "role_assignments" drop constraint "role_assignments_property_company_id_foreign";`);

    this.addSql(`alter table "parties" drop constraint "parties_compound_id_foreign";`);

    this.addSql(`alter table "buildings" drop constraint "buildings_compound_id_foreign";`);

    this.addSql(`alter table "devices" drop constraint "devices_compound_id_foreign";`);

    this.addSql(`alter table "role_assignments" drop constraint "role_assignments_compound_id_foreign";`);

    this.addSql(`alter table "party_members" drop constraint "party_members_party_id_foreign";`);

    this.addSql(`alter table "accounts" drop constraint "accounts_party_member_id_foreign";`);

    this.addSql(`alter table "api_keys" drop constraint "api_keys_created_by_id_foreign";`);

    this.addSql(`alter table "role_assignments" drop constraint "role_assignments_account_id_foreign";`);

    this.addSql(`alter table "role_assignments" drop constraint "role_assignments_granted_by_id_foreign";`);

    this.addSql(`alter table "devices" drop constraint "devices_building_id_foreign";`);

    this.addSql(`drop table if exists "org_units" cascade;`);

    this.addSql(`drop table if exists "grid_workers" cascade;`);

    this.addSql(`drop table if exists "property_companies" cascade;`);

    this.addSql(`drop table if exists "compounds" cascade;`);

    this.addSql(`drop table if exists "parties" cascade;`);

    this.addSql(`drop table if exists "party_members" cascade;`);

    this.addSql(`drop table if exists "accounts" cascade;`);

    this.addSql(`drop table if exists "buildings" cascade;`);

    this.addSql(`drop table if exists "devices" cascade;`);

    this.addSql(`drop table if exists "api_keys" cascade;`);

    this.addSql(`drop table if exists "role_assignments" cascade;`);
  }

}
