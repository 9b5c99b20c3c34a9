import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { OrgUnit } from '../../org/entities/org-unit.entity';
import { Compound } from '../../org/entities/compound.entity';
import { Party } from '../../org/entities/party.entity';
import { DecisionRule, MeetingStatus, QuorumRule } from '../meeting-states';

/**
 * A joint meeting (联席会议) of a community, or of one compound of it, convened by a party
 * (usually the community Party organisation). `seq` numbers the meetings of a community
 * (第N次联席会议); `icalSequence` is the iCalendar SEQUENCE, raised on every change a
 * subscribed calendar must pick up (reschedule, cancellation).
 */
@Entity({ tableName: 'meetings' })
@Unique({ name: 'meetings_community_seq_unique', properties: ['community', 'seq'] })
@Index({ name: 'meetings_community_status_idx', properties: ['community', 'status', 'startsAt'] })
export class Meeting {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'integer' })
  seq!: number;

  @ManyToOne(() => OrgUnit, { deleteRule: 'restrict' })
  community!: Rel<OrgUnit>;

  /** Materialised path of the community (scope filters). */
  @Property({ type: 'string', length: 400 })
  @Index({ name: 'meetings_community_path_idx' })
  communityPath!: string;

  @ManyToOne(() => Compound, { nullable: true, deleteRule: 'restrict' })
  compound?: Rel<Compound>;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'string', length: 200 })
  place!: string;

  @Property({ type: 'datetime' })
  startsAt!: Date;

  @Property({ type: 'datetime' })
  endsAt!: Date;

  @Property({ type: 'string', length: 16 })
  status: Opt<MeetingStatus> = 'scheduled';

  @ManyToOne(() => Party, { nullable: true, deleteRule: 'set null' })
  convenerParty?: Rel<Party>;

  /** The account that convened it (its name is kept for the minutes). */
  @Property({ type: 'uuid', nullable: true })
  convenerAccountId?: string;

  @Property({ type: 'string', length: 100, nullable: true })
  convenerName?: string;

  @Property({ type: 'json' })
  quorum!: QuorumRule;

  @Property({ type: 'string', length: 16 })
  decisionRule: Opt<DecisionRule> = 'consensus';

  @Property({ type: 'integer' })
  icalSequence: Opt<number> = 0;

  @Property({ type: 'datetime', nullable: true })
  startedAt?: Date;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date;

  @Property({ type: 'datetime', nullable: true })
  cancelledAt?: Date;

  @Property({ type: 'string', length: 500, nullable: true })
  cancelReason?: string;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
