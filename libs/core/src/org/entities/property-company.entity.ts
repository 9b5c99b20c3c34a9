import { Entity, PrimaryKey, Property, Unique, Opt } from '@mikro-orm/core';
import { newId } from '../../shared/ids';

/** Property-service company (物业服务企业); manages compounds through Compound.propertyCompany. */
@Entity({ tableName: 'property_companies' })
export class PropertyCompany {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 64 })
  @Unique()
  code!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Unified social credit code (统一社会信用代码), when known. */
  @Property({ type: 'string', length: 32, nullable: true })
  creditCode?: string;

  /** Service desk phone of the company (a business number, not personal data). */
  @Property({ type: 'string', length: 32, nullable: true })
  servicePhone?: string;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
