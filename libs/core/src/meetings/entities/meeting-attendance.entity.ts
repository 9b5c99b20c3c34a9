import { Entity, ManyToOne, PrimaryKey, Property, Unique, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { Party } from '../../org/entities/party.entity';
import { Meeting } from './meeting.entity';

/**
 * One person attending for one party: an account, or a representative on the party's roster
 * without an account (recorded by the convener). `attendeeKey` ("account:<id>" or
 * "member:<id>") makes the pair unique although either id may be empty.
 */
@Entity({ tableName: 'meeting_attendances' })
@Unique({ name: 'meeting_attendances_unique', properties: ['meeting', 'party', 'attendeeKey'] })
export class MeetingAttendance {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne(() => Meeting, { deleteRule: 'cascade' })
  meeting!: Rel<Meeting>;

  @ManyToOne(() => Party, { deleteRule: 'restrict' })
  party!: Rel<Party>;

  @Property({ type: 'string', length: 48 })
  attendeeKey!: string;

  @Property({ type: 'uuid', nullable: true })
  accountId?: string;

  @Property({ type: 'uuid', nullable: true })
  memberId?: string;

  /** The representative's name as shown in the minutes. */
  @Property({ type: 'string', length: 100 })
  name!: string;

  @Property({ type: 'boolean' })
  present: Opt<boolean> = true;

  @Property({ type: 'datetime', nullable: true })
  arrivedAt?: Date;

  @Property({ type: 'datetime', nullable: true })
  leftAt?: Date;

  @Property({ type: 'string', length: 100, nullable: true })
  recordedBy?: string;

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
