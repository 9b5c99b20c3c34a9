import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { Building } from '../../org/entities/building.entity';
import { Compound } from '../../org/entities/compound.entity';
import { OrgUnit } from '../../org/entities/org-unit.entity';

/**
 * A provisioned device. `code` is its MQTT client id and username, `community.code` is the
 * `siteId` of its topics (sc/v1/{siteId}/{deviceId}/{channel}). The MQTT credential is
 * kept as a SHA-256 of a 256-bit random secret that is shown once.
 */
@Entity({ tableName: 'devices' })
export class Device {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 64 })
  @Unique()
  code!: string;

  /** Key into the device-type catalogue (DEVICE_TYPES). */
  @Property({ type: 'string', length: 48 })
  @Index()
  type!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  name?: string;

  @ManyToOne(() => OrgUnit, { deleteRule: 'restrict' })
  @Index({ name: 'devices_community_idx' })
  community!: Rel<OrgUnit>;

  @ManyToOne(() => Compound, { nullable: true, deleteRule: 'restrict' })
  @Index({ name: 'devices_compound_idx' })
  compound?: Rel<Compound>;

  @ManyToOne(() => Building, { nullable: true, deleteRule: 'restrict' })
  building?: Rel<Building>;

  @ManyToOne(() => OrgUnit, { nullable: true, deleteRule: 'restrict' })
  @Index({ name: 'devices_grid_idx' })
  grid?: Rel<OrgUnit>;

  /** Where exactly, e.g. "2单元3楼楼道". */
  @Property({ type: 'string', length: 300, nullable: true })
  location?: string;

  @Property({ type: 'string', length: 100, nullable: true })
  vendor?: string;

  @Property({ type: 'string', length: 100, nullable: true })
  model?: string;

  @Property({ type: 'string', length: 100, nullable: true })
  serialNumber?: string;

  @Property({ type: 'boolean' })
  enabled: Opt<boolean> = true;

  @Property({ type: 'string', length: 64, hidden: true })
  credentialHash!: string;

  @Property({ type: 'datetime' })
  credentialIssuedAt: Opt<Date> = new Date();

  @Property({ type: 'datetime' })
  provisionedAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
