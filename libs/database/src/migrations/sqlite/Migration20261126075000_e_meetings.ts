import { Migration } from '@mikro-orm/migrations';

/**
 * Joint meetings (issue 5): meetings, invited parties, attendance, agenda items and their work
 * orders, decisions, positions and minutes. New tables only (no rebuilds), written by hand from
 * the schema generator's output for these tables.
 */
export class Migration20261126075000_e_meetings extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`meetings\` (\`id\` text not null, \`seq\` integer not null, \`community_id\` text not null, \`community_path\` text not null, \`compound_id\` text null, \`title\` text not null, \`place\` text not null, \`starts_at\` datetime not null, \`ends_at\` datetime not null, \`status\` text not null default 'scheduled', \`convener_party_id\` text null, \`convener_account_id\` text null, \`convener_name\` text null, \`quorum\` json not null, \`decision_rule\` text not null default 'consensus', \`ical_sequence\` integer not null default 0, \`started_at\` datetime null, \`closed_at\` datetime null, \`cancelled_at\` datetime null, \`cancel_reason\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`meetings_community_id_foreign\` foreign key(\`community_id\`) references \`org_units\`(\`id\`) on delete restrict on update cascade, constraint \`meetings_compound_id_foreign\` foreign key(\`compound_id\`) references \`compounds\`(\`id\`) on delete restrict on update cascade, constraint \`meetings_convener_party_id_foreign\` foreign key(\`convener_party_id\`) references \`parties\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`meetings_community_id_index\` on \`meetings\` (\`community_id\`);`);
    this.addSql(`create index \`meetings_community_path_idx\` on \`meetings\` (\`community_path\`);`);
    this.addSql(`create index \`meetings_compound_id_index\` on \`meetings\` (\`compound_id\`);`);
    this.addSql(`create index \`meetings_convener_party_id_index\` on \`meetings\` (\`convener_party_id\`);`);
    this.addSql(`create index \`meetings_community_status_idx\` on \`meetings\` (\`community_id\`, \`status\`, \`starts_at\`);`);
    this.addSql(`create unique index \`meetings_community_seq_unique\` on \`meetings\` (\`community_id\`, \`seq\`);`);

    this.addSql(`create table \`meeting_parties\` (\`id\` text not null, \`meeting_id\` text not null, \`party_id\` text not null, \`kind\` text check (\`kind\` in ('party_organisation', 'residents_committee', 'owners_committee', 'property_company')) not null, \`name\` text not null, constraint \`meeting_parties_meeting_id_foreign\` foreign key(\`meeting_id\`) references \`meetings\`(\`id\`) on delete cascade on update cascade, constraint \`meeting_parties_party_id_foreign\` foreign key(\`party_id\`) references \`parties\`(\`id\`) on delete restrict on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`meeting_parties_meeting_id_index\` on \`meeting_parties\` (\`meeting_id\`);`);
    this.addSql(`create index \`meeting_parties_party_id_index\` on \`meeting_parties\` (\`party_id\`);`);
    this.addSql(`create index \`meeting_parties_party_idx\` on \`meeting_parties\` (\`party_id\`);`);
    this.addSql(`create unique index \`meeting_parties_unique\` on \`meeting_parties\` (\`meeting_id\`, \`party_id\`);`);

    this.addSql(`create table \`meeting_attendances\` (\`id\` text not null, \`meeting_id\` text not null, \`party_id\` text not null, \`attendee_key\` text not null, \`account_id\` text null, \`member_id\` text null, \`name\` text not null, \`present\` integer not null default true, \`arrived_at\` datetime null, \`left_at\` datetime null, \`recorded_by\` text null, \`updated_at\` datetime not null, constraint \`meeting_attendances_meeting_id_foreign\` foreign key(\`meeting_id\`) references \`meetings\`(\`id\`) on delete cascade on update cascade, constraint \`meeting_attendances_party_id_foreign\` foreign key(\`party_id\`) references \`parties\`(\`id\`) on delete restrict on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`meeting_attendances_meeting_id_index\` on \`meeting_attendances\` (\`meeting_id\`);`);
    this.addSql(`create index \`meeting_attendances_party_id_index\` on \`meeting_attendances\` (\`party_id\`);`);
    this.addSql(`create unique index \`meeting_attendances_unique\` on \`meeting_attendances\` (\`meeting_id\`, \`party_id\`, \`attendee_key\`);`);

    this.addSql(`create table \`agenda_items\` (\`id\` text not null, \`meeting_id\` text not null, \`position\` integer not null, \`source\` text not null, \`title\` text not null, \`description\` text null, \`status\` text not null default 'proposed', \`proposer_account_id\` text null, \`proposer_name\` text null, \`proposer_party_id\` text null, \`carried_from_item_id\` text null, \`carried_from_decision_id\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`agenda_items_meeting_id_foreign\` foreign key(\`meeting_id\`) references \`meetings\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`agenda_items_meeting_id_index\` on \`agenda_items\` (\`meeting_id\`);`);
    this.addSql(`create index \`agenda_items_meeting_idx\` on \`agenda_items\` (\`meeting_id\`, \`position\`);`);

    this.addSql(`create table \`agenda_item_orders\` (\`id\` text not null, \`meeting_id\` text not null, \`item_id\` text not null, \`work_order_id\` text not null, constraint \`agenda_item_orders_meeting_id_foreign\` foreign key(\`meeting_id\`) references \`meetings\`(\`id\`) on delete cascade on update cascade, constraint \`agenda_item_orders_item_id_foreign\` foreign key(\`item_id\`) references \`agenda_items\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`agenda_item_orders_meeting_id_index\` on \`agenda_item_orders\` (\`meeting_id\`);`);
    this.addSql(`create index \`agenda_item_orders_item_id_index\` on \`agenda_item_orders\` (\`item_id\`);`);
    this.addSql(`create index \`agenda_item_orders_order_idx\` on \`agenda_item_orders\` (\`work_order_id\`);`);
    this.addSql(`create unique index \`agenda_item_orders_unique\` on \`agenda_item_orders\` (\`meeting_id\`, \`work_order_id\`);`);

    this.addSql(`create table \`meeting_decisions\` (\`id\` text not null, \`meeting_id\` text not null, \`item_id\` text not null, \`outcome\` text not null, \`rule\` text not null, \`reason\` text not null, \`summary\` text null, \`review_date\` datetime null, \`decided_at\` datetime not null, \`decided_by_account_id\` text null, constraint \`meeting_decisions_meeting_id_foreign\` foreign key(\`meeting_id\`) references \`meetings\`(\`id\`) on delete cascade on update cascade, constraint \`meeting_decisions_item_id_foreign\` foreign key(\`item_id\`) references \`agenda_items\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`meeting_decisions_meeting_id_index\` on \`meeting_decisions\` (\`meeting_id\`);`);
    this.addSql(`create index \`meeting_decisions_item_id_index\` on \`meeting_decisions\` (\`item_id\`);`);
    this.addSql(`create unique index \`meeting_decisions_item_unique\` on \`meeting_decisions\` (\`item_id\`);`);

    this.addSql(`create table \`meeting_positions\` (\`id\` text not null, \`meeting_id\` text not null, \`item_id\` text not null, \`party_id\` text not null, \`position\` text not null, \`statement\` text null, \`recorded_by_account_id\` text null, \`recorded_by_name\` text null, \`on_behalf\` integer not null default false, \`recorded_at\` datetime not null, constraint \`meeting_positions_meeting_id_foreign\` foreign key(\`meeting_id\`) references \`meetings\`(\`id\`) on delete cascade on update cascade, constraint \`meeting_positions_item_id_foreign\` foreign key(\`item_id\`) references \`agenda_items\`(\`id\`) on delete cascade on update cascade, constraint \`meeting_positions_party_id_foreign\` foreign key(\`party_id\`) references \`parties\`(\`id\`) on delete restrict on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`meeting_positions_meeting_id_index\` on \`meeting_positions\` (\`meeting_id\`);`);
    this.addSql(`create index \`meeting_positions_item_id_index\` on \`meeting_positions\` (\`item_id\`);`);
    this.addSql(`create index \`meeting_positions_party_id_index\` on \`meeting_positions\` (\`party_id\`);`);
    this.addSql(`create unique index \`meeting_positions_unique\` on \`meeting_positions\` (\`item_id\`, \`party_id\`);`);

    this.addSql(`create table \`meeting_minutes\` (\`id\` text not null, \`meeting_id\` text not null, \`version\` integer not null, \`status\` text not null default 'published', \`content\` json not null, \`text\` text not null, \`reason\` text null, \`published_at\` datetime null, \`author_name\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`meeting_minutes_meeting_id_foreign\` foreign key(\`meeting_id\`) references \`meetings\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`meeting_minutes_meeting_id_index\` on \`meeting_minutes\` (\`meeting_id\`);`);
    this.addSql(`create unique index \`meeting_minutes_version_unique\` on \`meeting_minutes\` (\`meeting_id\`, \`version\`);`);
  }

  override async down(): Promise<void> {
    for (const table of ['meeting_minutes', 'meeting_positions', 'meeting_decisions', 'agenda_item_orders', 'agenda_items', 'meeting_attendances', 'meeting_parties', 'meetings']) {
      this.addSql(`drop table if exists \`${table}\`;`);
    }
  }

}
