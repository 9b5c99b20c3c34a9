import { Entity, Index, ManyToOne, PrimaryKey, Property, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { Party } from './party.entity';

/** A representative of a party; linked to a login account by the identity feature. */
@Entity({ tableName: 'party_members' })
export class PartyMember {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne(() => Party, { deleteRule: 'cascade' })
  @Index({ name: 'party_members_party_idx' })
  party!: Rel<Party>;

  @Property({ type: 'string', length: 100 })
  name!: string;

  /** Role in the party, e.g. 书记, 主任, 业委会主任, 项目经理. */
  @Property({ type: 'string', length: 100, nullable: true })
  title?: string;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}
