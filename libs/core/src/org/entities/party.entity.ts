import { Entity, Index, Enum, ManyToOne, PrimaryKey, Property, Unique, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { PartyKind } from '../org-level';
import { Compound } from './compound.entity';
import { OrgUnit } from './org-unit.entity';
import { PropertyCompany } from './property-company.entity';

/**
 * One of the four joint-meeting parties of a community, or of one compound of it
 * (owners' committees and property companies are usually per compound).
 */
@Entity({ tableName: 'parties' })
@Unique({ properties: ['community', 'compound', 'kind', 'name'] })
export class Party {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Enum({ items: () => PartyKind })
  kind!: PartyKind;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @ManyToOne(() => OrgUnit, { deleteRule: 'restrict' })
  @Index({ name: 'parties_community_idx' })
  community!: Rel<OrgUnit>;

  @ManyToOne(() => Compound, { nullable: true, deleteRule: 'restrict' })
  compound?: Rel<Compound>;

  /** Set for a party of kind property_company. */
  @ManyToOne(() => PropertyCompany, { nullable: true, deleteRule: 'restrict' })
  propertyCompany?: Rel<PropertyCompany>;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
