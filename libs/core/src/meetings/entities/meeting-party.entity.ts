import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { Party } from '../../org/entities/party.entity';
import { PartyKind } from '../../org/org-level';
import { Meeting } from './meeting.entity';

/** A party invited to a meeting; its kind and name are kept as they were for the minutes. */
@Entity({ tableName: 'meeting_parties' })
@Unique({ name: 'meeting_parties_unique', properties: ['meeting', 'party'] })
export class MeetingParty {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne(() => Meeting, { deleteRule: 'cascade' })
  meeting!: Rel<Meeting>;

  @ManyToOne(() => Party, { deleteRule: 'restrict' })
  @Index({ name: 'meeting_parties_party_idx' })
  party!: Rel<Party>;

  @Enum({ items: () => PartyKind })
  kind!: PartyKind;

  @Property({ type: 'string', length: 200 })
  name!: string;
}
