import { Entity, Index, Enum, ManyToOne, PrimaryKey, Property, Unique, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { Compound } from '../../org/entities/compound.entity';
import { OrgUnit } from '../../org/entities/org-unit.entity';
import { PropertyCompany } from '../../org/entities/property-company.entity';
import { Role } from '../roles';
import { Account } from './account.entity';

/** A role held in one anchor: an org unit, a compound or a property company (see ROLE_ANCHORS). */
@Entity({ tableName: 'role_assignments' })
@Unique({ name: 'role_assignments_grant_unique', properties: ['account', 'role', 'anchorKey'] })
export class RoleAssignment {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  @Index({ name: 'role_assignments_account_idx' })
  account!: Rel<Account>;

  @Enum({ items: () => Role })
  role!: Role;

  @ManyToOne(() => OrgUnit, { nullable: true, deleteRule: 'cascade' })
  orgUnit?: Rel<OrgUnit>;

  @ManyToOne(() => Compound, { nullable: true, deleteRule: 'cascade' })
  compound?: Rel<Compound>;

  @ManyToOne(() => PropertyCompany, { nullable: true, deleteRule: 'cascade' })
  propertyCompany?: Rel<PropertyCompany>;

  /**
   * The anchor as one non-null value ("unit:<id>", "compound:<id>", "company:<id>", "system"),
   * so the database refuses a duplicate grant: a unique index over the nullable anchor
   * columns would not, since NULLs never collide.
   */
  @Property({ type: 'string', length: 80, onCreate: (r: RoleAssignment) => anchorKeyOf(r) })
  anchorKey!: Opt<string>;

  /** Who granted it; empty for the bootstrap administrator. */
  @ManyToOne(() => Account, { nullable: true, deleteRule: 'set null' })
  grantedBy?: Rel<Account>;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}

export function anchorKeyOf(anchor: { orgUnit?: { id: string }; compound?: { id: string }; propertyCompany?: { id: string } }): string {
  if (anchor.orgUnit) return `unit:${anchor.orgUnit.id}`;
  if (anchor.compound) return `compound:${anchor.compound.id}`;
  if (anchor.propertyCompany) return `company:${anchor.propertyCompany.id}`;
  return 'system';
}
