import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { OrgLevel, Settlement } from '../org-level';

/**
 * A node of the org tree: city → district → street → community → grid. `path` is the
 * materialised chain of ids ("/cityId/districtId/.../thisId/"), so a subtree is a prefix match.
 */
@Entity({ tableName: 'org_units' })
export class OrgUnit {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 64 })
  @Unique()
  code!: string;

  /** Official (zh-CN) name. */
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  nameEn?: string;

  @Enum({ items: () => OrgLevel })
  level!: OrgLevel;

  @Enum({ items: () => Settlement, nullable: true })
  settlement?: Settlement;

  @ManyToOne(() => OrgUnit, { nullable: true, deleteRule: 'restrict' })
  @Index({ name: 'org_units_parent_idx' })
  parent?: Rel<OrgUnit>;

  @Property({ type: 'string', length: 400 })
  @Index()
  path!: string;

  /** Smart-community pilot (智慧社区试点). */
  @Property({ type: 'boolean' })
  pilot: Opt<boolean> = false;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
