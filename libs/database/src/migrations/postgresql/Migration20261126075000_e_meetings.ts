import { Migration } from '@mikro-orm/migrations';

/**
 * Joint meetings (issue 5): meetings, invited parties, attendance, agenda items and their work
 * orders, decisions, positions and minutes. Written by hand from the schema generator's output
 * for these tables only.
 */
export class Migration20261126075000_e_meetings extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "meetings" ("id" uuid not null, "seq" int not null, "community_id" uuid not null, "community_path" varchar(400) not null, "compound_id" uuid null, "title" varchar(200) not null, "place" varchar(200) not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "status" varchar(16) not null default 'scheduled', "convener_party_id" uuid null, "convener_account_id" uuid null, "convener_name" varchar(100) null, "quorum" jsonb not null, "decision_rule" varchar(16) not null default 'consensus', "ical_sequence" int not null default 0, "started_at" timestamptz null, "closed_at" timestamptz null, "cancelled_at" timestamptz null, "cancel_reason" varchar(500) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "meetings_pkey" primary key ("id"));`);
    this.addSql(`create index "meetings_community_path_idx" on "meetings" ("community_path");`);
    this.addSql(`create index "meetings_community_status_idx" on "meetings" ("community_id", "status", "starts_at");`);
    this.addSql(`alter table "meetings" add constraint "meetings_community_seq_unique" unique ("community_id", "seq");`);

    this.addSql(`create table "meeting_parties" ("id" uuid not null, "meeting_id" uuid not null, "party_id" uuid not null, "kind" text check ("kind" in ('party_organisation', 'residents_committee', 'owners_committee', 'property_company')) not null, "name" varchar(200) not null, constraint "meeting_parties_pkey" primary key ("id"));`);
    this.addSql(`create index "meeting_parties_party_idx" on "meeting_parties" ("party_id");`);
    this.addSql(`alter table "meeting_parties" add constraint "meeting_parties_unique" unique ("meeting_id", "party_id");`);

    this.addSql(`create table "meeting_attendances" ("id" uuid not null, "meeting_id" uuid not null, "party_id" uuid not null, "attendee_key" varchar(48) not null, "account_id" uuid null, "member_id" uuid null, "name" varchar(100) not null, "present" boolean not null default true, "arrived_at" timestamptz null, "left_at" timestamptz null, "recorded_by" varchar(100) null, "updated_at" timestamptz not null, constraint "meeting_attendances_pkey" primary key ("id"));`);
    this.addSql(`alter table "meeting_attendances" add constraint "meeting_attendances_unique" unique ("meeting_id", "party_id", "attendee_key");`);

    this.addSql(`create table "agenda_items" ("id" uuid not null, "meeting_id" uuid not null, "position" int not null, "source" varchar(24) not null, "title" varchar(200) not null, "description" text null, "status" varchar(16) not null default 'proposed', "proposer_account_id" uuid null, "proposer_name" varchar(100) null, "proposer_party_id" uuid null, "carried_from_item_id" uuid null, "carried_from_decision_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "agenda_items_pkey" primary key ("id"));`);
    this.addSql(`create index "agenda_items_meeting_idx" on "agenda_items" ("meeting_id", "position");`);

    this.addSql(`create table "agenda_item_orders" ("id" uuid not null, "meeting_id" uuid not null, "item_id" uuid not null, "work_order_id" uuid not null, constraint "agenda_item_orders_pkey" primary key ("id"));`);
    this.addSql(`create index "agenda_item_orders_order_idx" on "agenda_item_orders" ("work_order_id");`);
    this.addSql(`alter table "agenda_item_orders" add constraint "agenda_item_orders_unique" unique ("meeting_id", "work_order_id");`);

    this.addSql(`create table "meeting_decisions" ("id" uuid not null, "meeting_id" uuid not null, "item_id" uuid not null, "outcome" varchar(16) not null, "rule" varchar(16) not null, "reason" varchar(300) not null, "summary" text null, "review_date" timestamptz null, "decided_at" timestamptz not null, "decided_by_account_id" uuid null, constraint "meeting_decisions_pkey" primary key ("id"));`);
    this.addSql(`alter table "meeting_decisions" add constraint "meeting_decisions_item_unique" unique ("item_id");`);

    this.addSql(`create table "meeting_positions" ("id" uuid not null, "meeting_id" uuid not null, "item_id" uuid not null, "party_id" uuid not null, "position" varchar(16) not null, "statement" text null, "recorded_by_account_id" uuid null, "recorded_by_name" varchar(100) null, "on_behalf" boolean not null default false, "recorded_at" timestamptz not null, constraint "meeting_positions_pkey" primary key ("id"));`);
    this.addSql(`alter table "meeting_positions" add constraint "meeting_positions_unique" unique ("item_id", "party_id");`);

    this.addSql(`create table "meeting_minutes" ("id" uuid not null, "meeting_id" uuid not null, "version" int not null, "status" varchar(16) not null default 'published', "content" jsonb not null, "text" text not null, "reason" varchar(1000) null, "published_at" timestamptz null, "author_name" varchar(100) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "meeting_minutes_pkey" primary key ("id"));`);
    this.addSql(`alter table "meeting_minutes" add constraint "meeting_minutes_version_unique" unique ("meeting_id", "version");`);

    this.addSql(`alter table "meetings" add constraint "meetings_community_id_foreign" foreign key ("community_id") references "org_units" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "meetings" add constraint "meetings_compound_id_foreign" foreign key ("compound_id") references "compounds" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "meetings" add constraint "meetings_convener_party_id_foreign" foreign key ("convener_party_id") references "parties" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "meeting_parties" add constraint "meeting_parties_meeting_id_foreign" foreign key ("meeting_id") references "meetings" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "meeting_parties" add constraint "meeting_parties_party_id_foreign" foreign key ("party_id") references "parties" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "meeting_attendances" add constraint "meeting_attendances_meeting_id_foreign" foreign key ("meeting_id") references "meetings" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "meeting_attendances" add constraint "meeting_attendances_party_id_foreign" foreign key ("party_id") references "parties" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "agenda_items" add constraint "agenda_items_meeting_id_foreign" foreign key ("meeting_id") references "meetings" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "agenda_item_orders" add constraint "agenda_item_orders_meeting_id_foreign" foreign key ("meeting_id") references "meetings" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "agenda_item_orders" add constraint "agenda_item_orders_item_id_foreign" foreign key ("item_id") references "agenda_items" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "meeting_decisions" add constraint "meeting_decisions_meeting_id_foreign" foreign key ("meeting_id") references "meetings" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "meeting_decisions" add constraint "meeting_decisions_item_id_foreign" foreign key ("item_id") references "agenda_items" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "meeting_positions" add constraint "meeting_positions_meeting_id_foreign" foreign key ("meeting_id") references "meetings" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "meeting_positions" add constraint "meeting_positions_item_id_foreign" foreign key ("item_id") references "agenda_items" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "meeting_positions" add constraint "meeting_positions_party_id_foreign" foreign key ("party_id") references "parties" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "meeting_minutes" add constraint "meeting_minutes_meeting_id_foreign" foreign key ("meeting_id") references "meetings" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "meeting_minutes" cascade;`);
    this.addSql(`drop table if exists "meeting_positions" cascade;`);
    this.addSql(`drop table if exists "meeting_decisions" cascade;`);
    this.addSql(`drop table if exists "agenda_item_orders" cascade;`);
    this.addSql(`drop table if exists "agenda_items" cascade;`);
    this.addSql(`drop table if exists "meeting_attendances" cascade;`);
    this.addSql(`drop table if exists "meeting_parties" cascade;`);
    this.addSql(`drop table if exists "meetings" cascade;`);
  }

}
