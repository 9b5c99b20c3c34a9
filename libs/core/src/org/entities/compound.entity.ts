import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { OrgUnit } from './org-unit.entity';
import { PropertyCompany } from './property-company.entity';

/** Residential compound (小区) inside one community, managed by at most one property company. */
@Entity({ tableName: 'compounds' })
export class Compound {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 64 })
  @Unique()
  code!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @ManyToOne(() => OrgUnit, { deleteRule: 'restrict' })
  @Index({ name: 'compounds_community_idx' })
  community!: Rel<OrgUnit>;

  @ManyToOne(() => PropertyCompany, { nullable: true, deleteRule: 'set null' })
  @Index({ name: 'compounds_property_company_idx' })
  propertyCompany?: Rel<PropertyCompany>;

  @Property({ type: 'string', length: 300, nullable: true })
  address?: string;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
