import { Migration } from '@mikro-orm/migrations';

export class Migration20261126063219_alerts_work_orders extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "alert_rules" ("id" uuid not null, "scope_key" varchar(80) not null, "community_id" uuid null, "compound_id" uuid null, "device_type" varchar(48) not null, "alert_type" varchar(64) not null, "kind" varchar(16) not null, "params" jsonb not null, "severity" varchar(16) not null, "category" varchar(16) not null, "name_zh" varchar(200) not null, "name_en" varchar(200) not null, "enabled" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "alert_rules_pkey" primary key ("id"));`);
    this.addSql(`create index "alert_rules_device_type_idx" on "alert_rules" ("device_type");`);
    this.addSql(`alter table "alert_rules" add constraint "alert_rules_scope_unique" unique ("scope_key", "device_type", "alert_type");`);

    this.addSql(`create table "audit_log" ("id" uuid not null, "at" timestamptz not null, "subject_type" varchar(32) not null, "subject_id" uuid not null, "action" varchar(48) not null, "actor_kind" varchar(16) not null, "actor_id" varchar(64) null, "actor_name" varchar(100) null, "from_state" varchar(32) null, "to_state" varchar(32) null, "text" text null, "details" jsonb null, constraint "audit_log_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_log_subject_idx" on "audit_log" ("subject_type", "subject_id", "at");`);

    this.addSql(`create table "care_watch_devices" ("care_subject_id" uuid not null, "device_id" uuid not null, constraint "care_watch_devices_pkey" primary key ("care_subject_id", "device_id"));`);
    this.addSql(`create index "care_watch_devices_device_idx" on "care_watch_devices" ("device_id");`);

    this.addSql(`create table "deliveries" ("id" uuid not null, "dedup_key" varchar(200) not null, "target_id" uuid not null, "subject_type" varchar(16) not null, "subject_id" uuid not null, "event" varchar(24) not null, "payload" jsonb not null, "status" varchar(16) not null default 'pending', "attempts" int not null default 0, "last_error" varchar(500) null, "last_status" int null, "delivered_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "deliveries_pkey" primary key ("id"));`);
    this.addSql(`alter table "deliveries" add constraint "deliveries_dedup_unique" unique ("dedup_key");`);
    this.addSql(`create index "deliveries_status_idx" on "deliveries" ("status", "created_at");`);
    this.addSql(`create index "deliveries_subject_idx" on "deliveries" ("subject_id", "created_at");`);

    this.addSql(`create table "delivery_targets" ("id" uuid not null, "owner_kind" varchar(16) not null, "owner_id" uuid not null, "unit_path" varchar(400) null, "channel" varchar(16) not null, "name" varchar(200) not null, "url" varchar(2000) not null, "secret_cipher" varchar(400) null, "rate_per_minute" int not null default 60, "timeout_ms" int not null default 5000, "enabled" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "delivery_targets_pkey" primary key ("id"));`);
    this.addSql(`create index "delivery_targets_owner_idx" on "delivery_targets" ("owner_kind", "owner_id");`);

    this.addSql(`create table "outbox" ("seq" bigserial primary key, "intent" jsonb not null, "created_at" timestamptz not null, "attempts" int not null default 0);`);

    this.addSql(`create table "care_subjects" ("id" uuid not null, "community_id" uuid not null, "compound_id" uuid null, "grid_id" uuid null, "alias" varchar(100) not null, "resident_ref" varchar(64) null, "quiet_hours" real not null default 24, "last_activity_at" timestamptz not null, "active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "care_subjects_pkey" primary key ("id"));`);
    this.addSql(`create index "care_subjects_community_idx" on "care_subjects" ("community_id");`);

    this.addSql(`create table "alerts" ("id" uuid not null, "open_key" varchar(120) null, "device_id" uuid not null, "alert_type" varchar(64) not null, "rule_kind" varchar(16) not null, "rule_id" uuid null, "name_zh" varchar(200) not null, "name_en" varchar(200) not null, "severity" varchar(16) not null, "category" varchar(16) not null, "status" varchar(16) not null default 'active', "community_id" uuid not null, "community_path" varchar(400) not null, "compound_id" uuid null, "grid_id" uuid null, "count" int not null default 1, "raised_at" timestamptz not null, "last_seen_at" timestamptz not null, "source_msg_id" varchar(64) null, "data" jsonb null, "acknowledged_at" timestamptz null, "acknowledged_by" varchar(64) null, "cleared_at" timestamptz null, "cleared_by" varchar(16) null, "clear_reason" varchar(300) null, "work_order_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "alerts_pkey" primary key ("id"));`);
    this.addSql(`alter table "alerts" add constraint "alerts_open_key_unique" unique ("open_key");`);
    this.addSql(`create index "alerts_device_idx" on "alerts" ("device_id", "raised_at");`);
    this.addSql(`create index "alerts_community_status_idx" on "alerts" ("community_id", "status");`);

    this.addSql(`create table "routing_policies" ("id" uuid not null, "scope_key" varchar(80) not null, "categories" jsonb not null, "critical_to_both" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "routing_policies_pkey" primary key ("id"));`);
    this.addSql(`alter table "routing_policies" add constraint "routing_policies_scope_unique" unique ("scope_key");`);

    this.addSql(`create table "alert_rule_states" ("device_id" uuid not null, "alert_type" varchar(64) not null, "state" jsonb not null, "updated_at" timestamptz not null, constraint "alert_rule_states_pkey" primary key ("device_id", "alert_type"));`);

    this.addSql(`create table "sla_policies" ("id" uuid not null, "category" varchar(48) not null, "severity_key" varchar(16) not null, "accept_seconds" int not null, "resolve_seconds" int not null, "remind_seconds" int null, "level_factor" real not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "sla_policies_pkey" primary key ("id"));`);
    this.addSql(`alter table "sla_policies" add constraint "sla_policies_key_unique" unique ("category", "severity_key");`);

    this.addSql(`create table "work_orders" ("id" uuid not null, "number" varchar(40) not null, "open_key" varchar(160) null, "source" varchar(16) not null, "category" varchar(48) not null, "type" varchar(64) not null, "severity" varchar(16) not null, "title" varchar(200) not null, "description" text null, "status" varchar(16) not null default 'reported', "closing_reason" varchar(24) null, "duplicate_of_id" uuid null, "referred_to_id" uuid null, "referred_to_name" varchar(300) null, "community_id" uuid not null, "community_path" varchar(400) not null, "compound_id" uuid null, "grid_id" uuid null, "device_id" uuid null, "alert_id" uuid null, "alert_count" int not null default 0, "assigned_grid_worker_id" uuid null, "assigned_company_id" uuid null, "assigned_desk" boolean not null default false, "assignee_id" uuid null, "owner_id" uuid null, "reporter_id" uuid null, "documents_complete" boolean null, "resident_ref" varchar(64) null, "scheduled_at" timestamptz null, "meeting_decision_id" uuid null, "owner_party_id" uuid null, "progress" smallint null, "level" varchar(16) not null default 'community', "level_unit_id" uuid not null, "escalations" int not null default 0, "accept_due_at" timestamptz null, "resolve_due_at" timestamptz null, "sla_breached" boolean not null default false, "reminders" int not null default 0, "reopen_count" int not null default 0, "resolved_level" varchar(16) null, "reported_at" timestamptz not null, "dispatched_at" timestamptz null, "accepted_at" timestamptz null, "resolved_at" timestamptz null, "verified_at" timestamptz null, "closed_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "work_orders_pkey" primary key ("id"));`);
    this.addSql(`alter table "work_orders" add constraint "work_orders_number_unique" unique ("number");`);
    this.addSql(`alter table "work_orders" add constraint "work_orders_open_key_unique" unique ("open_key");`);
    this.addSql(`create index "work_orders_community_path_idx" on "work_orders" ("community_path");`);
    this.addSql(`create index "work_orders_meeting_decision_idx" on "work_orders" ("meeting_decision_id");`);
    this.addSql(`create index "work_orders_reported_idx" on "work_orders" ("reported_at");`);
    this.addSql(`create index "work_orders_grid_worker_idx" on "work_orders" ("assigned_grid_worker_id", "status");`);
    this.addSql(`create index "work_orders_company_updated_idx" on "work_orders" ("assigned_company_id", "updated_at", "id");`);
    this.addSql(`create index "work_orders_community_status_idx" on "work_orders" ("community_id", "status");`);

    this.addSql(`alter table "care_subjects" add constraint "care_subjects_community_id_foreign" foreign key ("community_id") references "org_units" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "care_subjects" add constraint "care_subjects_compound_id_foreign" foreign key ("compound_id") references "compounds" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "care_subjects" add constraint "care_subjects_grid_id_foreign" foreign key ("grid_id") references "org_units" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "alerts" add constraint "alerts_device_id_foreign" foreign key ("device_id") references "devices" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "alerts" add constraint "alerts_community_id_foreign" foreign key ("community_id") references "org_units" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "alerts" add constraint "alerts_compound_id_foreign" foreign key ("compound_id") references "compounds" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "alerts" add constraint "alerts_grid_id_foreign" foreign key ("grid_id") references "org_units" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "work_orders" add constraint "work_orders_community_id_foreign" foreign key ("community_id") references "org_units" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "work_orders" add constraint "work_orders_compound_id_foreign" foreign key ("compound_id") references "compounds" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "work_orders" add constraint "work_orders_grid_id_foreign" foreign key ("grid_id") references "org_units" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "work_orders" add constraint "work_orders_device_id_foreign" foreign key ("device_id") references "devices" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "work_orders" add constraint "work_orders_assigned_grid_worker_id_foreign" foreign key ("assigned_grid_worker_id") references "grid_workers" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "work_orders" add constraint "work_orders_assigned_company_id_foreign" foreign key ("assigned_company_id") references "property_companies" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "work_orders" add constraint "work_orders_assignee_id_foreign" foreign key ("assignee_id") references "accounts" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "work_orders" add constraint "work_orders_owner_id_foreign" foreign key ("owner_id") references "accounts" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "work_orders" add constraint "work_orders_reporter_id_foreign" foreign key ("reporter_id") references "accounts" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "work_orders" add constraint "work_orders_level_unit_id_foreign" foreign key ("level_unit_id") references "org_units" ("id") on update cascade on delete restrict;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "alert_rules" cascade;`);

    this.addSql(`drop table if exists "audit_log" cascade;`);

    this.addSql(`drop table if exists "care_watch_devices" cascade;`);

    this.addSql(`drop table if exists "deliveries" cascade;`);

    this.addSql(`drop table if exists "delivery_targets" cascade;`);

    this.addSql(`drop table if exists "outbox" cascade;`);

    this.addSql(`drop table if exists "care_subjects" cascade;`);

    this.addSql(`drop table if exists "alerts" cascade;`);

    this.addSql(`drop table if exists "routing_policies" cascade;`);

    this.addSql(`drop table if exists "alert_rule_states" cascade;`);

    this.addSql(`drop table if exists "sla_policies" cascade;`);

    this.addSql(`drop table if exists "work_orders" cascade;`);
  }

}
