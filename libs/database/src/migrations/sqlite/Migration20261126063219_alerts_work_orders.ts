import { Migration } from '@mikro-orm/migrations';

/**
 * From `migration:create` output with the SQLite differ's rebuilds of org_units, parties,
 * api_keys and role_assignments (index-name noise) removed, as in the device_presence migration.
 */
export class Migration20261126063219_alerts_work_orders extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`alert_rules\` (\`id\` text not null, \`scope_key\` text not null, \`community_id\` text null, \`compound_id\` text null, \`device_type\` text not null, \`alert_type\` text not null, \`kind\` text not null, \`params\` json not null, \`severity\` text not null, \`category\` text not null, \`name_zh\` text not null, \`name_en\` text not null, \`enabled\` integer not null default true, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`alert_rules_device_type_idx\` on \`alert_rules\` (\`device_type\`);`);
    this.addSql(`create unique index \`alert_rules_scope_unique\` on \`alert_rules\` (\`scope_key\`, \`device_type\`, \`alert_type\`);`);

    this.addSql(`create table \`audit_log\` (\`id\` text not null, \`at\` datetime not null, \`subject_type\` text not null, \`subject_id\` text not null, \`action\` text not null, \`actor_kind\` text not null, \`actor_id\` text null, \`actor_name\` text null, \`from_state\` text null, \`to_state\` text null, \`text\` text null, \`details\` json null, primary key (\`id\`));`);
    this.addSql(`create index \`audit_log_subject_idx\` on \`audit_log\` (\`subject_type\`, \`subject_id\`, \`at\`);`);

    this.addSql(`create table \`care_watch_devices\` (\`care_subject_id\` text not null, \`device_id\` text not null, primary key (\`care_subject_id\`, \`device_id\`));`);
    this.addSql(`create index \`care_watch_devices_device_idx\` on \`care_watch_devices\` (\`device_id\`);`);

    this.addSql(`create table \`deliveries\` (\`id\` text not null, \`dedup_key\` text not null, \`target_id\` text not null, \`subject_type\` text not null, \`subject_id\` text not null, \`event\` text not null, \`payload\` json not null, \`status\` text not null default 'pending', \`attempts\` integer not null default 0, \`last_error\` text null, \`last_status\` integer null, \`delivered_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`deliveries_dedup_unique\` on \`deliveries\` (\`dedup_key\`);`);
    this.addSql(`create index \`deliveries_status_idx\` on \`deliveries\` (\`status\`, \`created_at\`);`);
    this.addSql(`create index \`deliveries_subject_idx\` on \`deliveries\` (\`subject_id\`, \`created_at\`);`);

    this.addSql(`create table \`delivery_targets\` (\`id\` text not null, \`owner_kind\` text not null, \`owner_id\` text not null, \`unit_path\` text null, \`channel\` text not null, \`name\` text not null, \`url\` text not null, \`secret_cipher\` text null, \`rate_per_minute\` integer not null default 60, \`timeout_ms\` integer not null default 5000, \`enabled\` integer not null default true, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`delivery_targets_owner_idx\` on \`delivery_targets\` (\`owner_kind\`, \`owner_id\`);`);

    this.addSql(`create table \`outbox\` (\`seq\` integer not null primary key autoincrement, \`intent\` json not null, \`created_at\` datetime not null, \`attempts\` integer not null default 0);`);

    this.addSql(`create table \`care_subjects\` (\`id\` text not null, \`community_id\` text not null, \`compound_id\` text null, \`grid_id\` text null, \`alias\` text not null, \`resident_ref\` text null, \`quiet_hours\` real not null default 24, \`last_activity_at\` datetime not null, \`active\` integer not null default true, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`care_subjects_community_id_foreign\` foreign key(\`community_id\`) references \`org_units\`(\`id\`) on delete restrict on update cascade, constraint \`care_subjects_compound_id_foreign\` foreign key(\`compound_id\`) references \`compounds\`(\`id\`) on delete set null on update cascade, constraint \`care_subjects_grid_id_foreign\` foreign key(\`grid_id\`) references \`org_units\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`care_subjects_community_id_index\` on \`care_subjects\` (\`community_id\`);`);
    this.addSql(`create index \`care_subjects_compound_id_index\` on \`care_subjects\` (\`compound_id\`);`);
    this.addSql(`create index \`care_subjects_grid_id_index\` on \`care_subjects\` (\`grid_id\`);`);
    this.addSql(`create index \`care_subjects_community_idx\` on \`care_subjects\` (\`community_id\`);`);

    this.addSql(`create table \`alerts\` (\`id\` text not null, \`open_key\` text null, \`device_id\` text not null, \`alert_type\` text not null, \`rule_kind\` text not null, \`rule_id\` text null, \`name_zh\` text not null, \`name_en\` text not null, \`severity\` text not null, \`category\` text not null, \`status\` text not null default 'active', \`community_id\` text not null, \`community_path\` text not null, \`compound_id\` text null, \`grid_id\` text null, \`count\` integer not null default 1, \`raised_at\` datetime not null, \`last_seen_at\` datetime not null, \`source_msg_id\` text null, \`data\` json null, \`acknowledged_at\` datetime null, \`acknowledged_by\` text null, \`cleared_at\` datetime null, \`cleared_by\` text null, \`clear_reason\` text null, \`work_order_id\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`alerts_device_id_foreign\` foreign key(\`device_id\`) references \`devices\`(\`id\`) on delete cascade on update cascade, constraint \`alerts_community_id_foreign\` foreign key(\`community_id\`) references \`org_units\`(\`id\`) on delete restrict on update cascade, constraint \`alerts_compound_id_foreign\` foreign key(\`compound_id\`) references \`compounds\`(\`id\`) on delete set null on update cascade, constraint \`alerts_grid_id_foreign\` foreign key(\`grid_id\`) references \`org_units\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`alerts_open_key_unique\` on \`alerts\` (\`open_key\`);`);
    this.addSql(`create index \`alerts_device_id_index\` on \`alerts\` (\`device_id\`);`);
    this.addSql(`create index \`alerts_community_id_index\` on \`alerts\` (\`community_id\`);`);
    this.addSql(`create index \`alerts_compound_id_index\` on \`alerts\` (\`compound_id\`);`);
    this.addSql(`create index \`alerts_grid_id_index\` on \`alerts\` (\`grid_id\`);`);
    this.addSql(`create index \`alerts_device_idx\` on \`alerts\` (\`device_id\`, \`raised_at\`);`);
    this.addSql(`create index \`alerts_community_status_idx\` on \`alerts\` (\`community_id\`, \`status\`);`);

    this.addSql(`create table \`routing_policies\` (\`id\` text not null, \`scope_key\` text not null, \`categories\` json not null, \`critical_to_both\` integer not null default true, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`routing_policies_scope_unique\` on \`routing_policies\` (\`scope_key\`);`);

    this.addSql(`create table \`alert_rule_states\` (\`device_id\` text not null, \`alert_type\` text not null, \`state\` json not null, \`updated_at\` datetime not null, primary key (\`device_id\`, \`alert_type\`));`);

    this.addSql(`create table \`sla_policies\` (\`id\` text not null, \`category\` text not null, \`severity_key\` text not null, \`accept_seconds\` integer not null, \`resolve_seconds\` integer not null, \`remind_seconds\` integer null, \`level_factor\` real not null default 1, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`sla_policies_key_unique\` on \`sla_policies\` (\`category\`, \`severity_key\`);`);

    this.addSql(`create table \`work_orders\` (\`id\` text not null, \`number\` text not null, \`open_key\` text null, \`source\` text not null, \`category\` text not null, \`type\` text not null, \`severity\` text not null, \`title\` text not null, \`description\` text null, \`status\` text not null default 'reported', \`closing_reason\` text null, \`duplicate_of_id\` text null, \`referred_to_id\` text null, \`referred_to_name\` text null, \`community_id\` text not null, \`community_path\` text not null, \`compound_id\` text null, \`grid_id\` text null, \`device_id\` text null, \`alert_id\` text null, \`alert_count\` integer not null default 0, \`assigned_grid_worker_id\` text null, \`assigned_company_id\` text null, \`assigned_desk\` integer not null default false, \`assignee_id\` text null, \`owner_id\` text null, \`reporter_id\` text null, \`documents_complete\` integer null, \`resident_ref\` text null, \`scheduled_at\` datetime null, \`meeting_decision_id\` text null, \`owner_party_id\` text null, \`progress\` integer null, \`level\` text not null default 'community', \`level_unit_id\` text not null, \`escalations\` integer not null default 0, \`accept_due_at\` datetime null, \`resolve_due_at\` datetime null, \`sla_breached\` integer not null default false, \`reminders\` integer not null default 0, \`reopen_count\` integer not null default 0, \`resolved_level\` text null, \`reported_at\` datetime not null, \`dispatched_at\` datetime null, \`accepted_at\` datetime null, \`resolved_at\` datetime null, \`verified_at\` datetime null, \`closed_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`work_orders_community_id_foreign\` foreign key(\`community_id\`) references \`org_units\`(\`id\`) on delete restrict on update cascade, constraint \`work_orders_compound_id_foreign\` foreign key(\`compound_id\`) references \`compounds\`(\`id\`) on delete set null on update cascade, constraint \`work_orders_grid_id_foreign\` foreign key(\`grid_id\`) references \`org_units\`(\`id\`) on delete set null on update cascade, constraint \`work_orders_device_id_foreign\` foreign key(\`device_id\`) references \`devices\`(\`id\`) on delete set null on update cascade, constraint \`work_orders_assigned_grid_worker_id_foreign\` foreign key(\`assigned_grid_worker_id\`) references \`grid_workers\`(\`id\`) on delete set null on update cascade, constraint \`work_orders_assigned_company_id_foreign\` foreign key(\`assigned_company_id\`) references \`property_companies\`(\`id\`) on delete set null on update cascade, constraint \`work_orders_assignee_id_foreign\` foreign key(\`assignee_id\`) references \`accounts\`(\`id\`) on delete set null on update cascade, constraint \`work_orders_owner_id_foreign\` foreign key(\`owner_id\`) references \`accounts\`(\`id\`) on delete set null on update cascade, constraint \`work_orders_reporter_id_foreign\` foreign key(\`reporter_id\`) references \`accounts\`(\`id\`) on delete set null on update cascade, constraint \`work_orders_level_unit_id_foreign\` foreign key(\`level_unit_id\`) references \`org_units\`(\`id\`) on delete restrict on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`work_orders_number_unique\` on \`work_orders\` (\`number\`);`);
    this.addSql(`create unique index \`work_orders_open_key_unique\` on \`work_orders\` (\`open_key\`);`);
    this.addSql(`create index \`work_orders_community_id_index\` on \`work_orders\` (\`community_id\`);`);
    this.addSql(`create index \`work_orders_community_path_idx\` on \`work_orders\` (\`community_path\`);`);
    this.addSql(`create index \`work_orders_compound_id_index\` on \`work_orders\` (\`compound_id\`);`);
    this.addSql(`create index \`work_orders_grid_id_index\` on \`work_orders\` (\`grid_id\`);`);
    this.addSql(`create index \`work_orders_device_id_index\` on \`work_orders\` (\`device_id\`);`);
    this.addSql(`create index \`work_orders_assigned_grid_worker_id_index\` on \`work_orders\` (\`assigned_grid_worker_id\`);`);
    this.addSql(`create index \`work_orders_assigned_company_id_index\` on \`work_orders\` (\`assigned_company_id\`);`);
    this.addSql(`create index \`work_orders_assignee_id_index\` on \`work_orders\` (\`assignee_id\`);`);
    this.addSql(`create index \`work_orders_owner_id_index\` on \`work_orders\` (\`owner_id\`);`);
    this.addSql(`create index \`work_orders_reporter_id_index\` on \`work_orders\` (\`reporter_id\`);`);
    this.addSql(`create index \`work_orders_meeting_decision_idx\` on \`work_orders\` (\`meeting_decision_id\`);`);
    this.addSql(`create index \`work_orders_level_unit_id_index\` on \`work_orders\` (\`level_unit_id\`);`);
    this.addSql(`create index \`work_orders_reported_idx\` on \`work_orders\` (\`reported_at\`);`);
    this.addSql(`create index \`work_orders_grid_worker_idx\` on \`work_orders\` (\`assigned_grid_worker_id\`, \`status\`);`);
    this.addSql(`create index \`work_orders_company_updated_idx\` on \`work_orders\` (\`assigned_company_id\`, \`updated_at\`, \`id\`);`);
    this.addSql(`create index \`work_orders_community_status_idx\` on \`work_orders\` (\`community_id\`, \`status\`);`);

  }

  override async down(): Promise<void> {
    for (const table of ['deliveries', 'delivery_targets', 'care_watch_devices', 'care_subjects', 'alert_rule_states', 'alerts', 'alert_rules', 'routing_policies', 'sla_policies', 'work_orders', 'outbox', 'audit_log']) {
      this.addSql(`drop table if exists \`${table}\`;`);
    }
  }

}
