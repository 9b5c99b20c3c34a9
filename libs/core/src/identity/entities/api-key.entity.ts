import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { PropertyCompany } from '../../org/entities/property-company.entity';
import { Role } from '../roles';
import { Account } from './account.entity';

/**
 * An API key for a property company's own system. The key is shown once; only its SHA-256
 * is kept. `keyId` (the part before the dot) finds the row without scanning hashes.
 */
@Entity({ tableName: 'api_keys' })
export class ApiKey {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 32 })
  @Unique()
  keyId!: string;

  @Property({ type: 'string', length: 64, hidden: true })
  secretHash!: string;

  @Property({ type: 'string', length: 100 })
  name!: string;

  @Enum({ items: () => Role })
  role: Opt<Role> = Role.CompanySystem;

  @ManyToOne(() => PropertyCompany, { deleteRule: 'cascade' })
  propertyCompany!: Rel<PropertyCompany>;

  @ManyToOne(() => Account, { nullable: true, deleteRule: 'set null' })
  createdBy?: Rel<Account>;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', nullable: true })
  lastUsedAt?: Date;

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date;
}
