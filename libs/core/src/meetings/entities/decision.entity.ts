import { Entity, ManyToOne, PrimaryKey, Property, Unique, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { Party } from '../../org/entities/party.entity';
import { DecisionRule, Outcome, PositionKind } from '../meeting-states';
import { AgendaItem } from './agenda-item.entity';
import { Meeting } from './meeting.entity';

/** The decision on one agenda item. Its action items are work orders with meetingDecisionId = id. */
@Entity({ tableName: 'meeting_decisions' })
@Unique({ name: 'meeting_decisions_item_unique', properties: ['item'] })
export class Decision {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne(() => Meeting, { deleteRule: 'cascade' })
  meeting!: Rel<Meeting>;

  @ManyToOne(() => AgendaItem, { deleteRule: 'cascade' })
  item!: Rel<AgendaItem>;

  @Property({ type: 'string', length: 16 })
  outcome!: Outcome;

  /** The rule in force when it was decided, and why it gave this outcome. */
  @Property({ type: 'string', length: 16 })
  rule!: DecisionRule;

  @Property({ type: 'string', length: 300 })
  reason!: string;

  @Property({ type: 'text', nullable: true })
  summary?: string;

  /** When the meeting looks at it again. */
  @Property({ type: 'datetime', nullable: true })
  reviewDate?: Date;

  @Property({ type: 'datetime' })
  decidedAt: Opt<Date> = new Date();

  @Property({ type: 'uuid', nullable: true })
  decidedByAccountId?: string;
}

/** A party's position on an agenda item (agree, object, abstain), one per party and item. */
@Entity({ tableName: 'meeting_positions' })
@Unique({ name: 'meeting_positions_unique', properties: ['item', 'party'] })
export class Position {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne(() => Meeting, { deleteRule: 'cascade' })
  meeting!: Rel<Meeting>;

  @ManyToOne(() => AgendaItem, { deleteRule: 'cascade' })
  item!: Rel<AgendaItem>;

  @ManyToOne(() => Party, { deleteRule: 'restrict' })
  party!: Rel<Party>;

  @Property({ type: 'string', length: 16 })
  position!: PositionKind;

  @Property({ type: 'text', nullable: true })
  statement?: string;

  @Property({ type: 'uuid', nullable: true })
  recordedByAccountId?: string;

  @Property({ type: 'string', length: 100, nullable: true })
  recordedByName?: string;

  /** Recorded by the convener for the party, not by one of its members. */
  @Property({ type: 'boolean' })
  onBehalf: Opt<boolean> = false;

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  recordedAt: Opt<Date> = new Date();
}
