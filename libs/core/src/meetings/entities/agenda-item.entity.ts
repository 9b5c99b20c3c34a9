import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { AgendaSource, AgendaStatus } from '../meeting-states';
import { Meeting } from './meeting.entity';

/** One item of a meeting's agenda, proposed automatically or by a person, ordered by `position`. */
@Entity({ tableName: 'agenda_items' })
@Index({ name: 'agenda_items_meeting_idx', properties: ['meeting', 'position'] })
export class AgendaItem {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne(() => Meeting, { deleteRule: 'cascade' })
  meeting!: Rel<Meeting>;

  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'string', length: 24 })
  source!: AgendaSource;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'text', nullable: true })
  description?: string;

  @Property({ type: 'string', length: 16 })
  status: Opt<AgendaStatus> = 'proposed';

  @Property({ type: 'uuid', nullable: true })
  proposerAccountId?: string;

  @Property({ type: 'string', length: 100, nullable: true })
  proposerName?: string;

  @Property({ type: 'uuid', nullable: true })
  proposerPartyId?: string;

  /** carry_over: the earlier meeting's item (and decision, if one was taken) this continues. */
  @Property({ type: 'uuid', nullable: true })
  carriedFromItemId?: string;

  @Property({ type: 'uuid', nullable: true })
  carriedFromDecisionId?: string;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}

/**
 * A work order linked to an agenda item. Unique per meeting, so a work order is on one
 * meeting's agenda at most once, even when two refreshes race.
 */
@Entity({ tableName: 'agenda_item_orders' })
@Unique({ name: 'agenda_item_orders_unique', properties: ['meeting', 'workOrderId'] })
export class AgendaItemOrder {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne(() => Meeting, { deleteRule: 'cascade' })
  meeting!: Rel<Meeting>;

  @ManyToOne(() => AgendaItem, { deleteRule: 'cascade' })
  item!: Rel<AgendaItem>;

  @Property({ type: 'uuid' })
  @Index({ name: 'agenda_item_orders_order_idx' })
  workOrderId!: string;
}
