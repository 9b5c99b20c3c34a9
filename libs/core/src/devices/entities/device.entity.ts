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
// The presence sweeper looks for online devices of one type whose last message is too old.
// last_seen_at stays out of the index: it changes all the time, and unindexed it is updated in place (HOT).
@Index({ name: 'devices_presence_idx', properties: ['type', 'online'] })
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

  // Presence, written by the ingest pipeline and its sweeper (never by the API).

  /** Server time of the last accepted message (telemetry, event, heartbeat or status online). */
  @Property({ type: 'datetime', nullable: true })
  lastSeenAt?: Date;

  /** Null: provisioned but never spoke (and not yet past the never-seen grace period). */
  @Property({ type: 'boolean', nullable: true })
  online?: boolean | null;

  /** When `online` last changed. */
  @Property({ type: 'datetime', nullable: true })
  presenceChangedAt?: Date;

  /** Last battery level reported in a heartbeat, in percent. */
  @Property({ type: 'smallint', nullable: true })
  battery?: number;

  /** Last signal strength reported in a heartbeat, in dBm. */
  @Property({ type: 'smallint', nullable: true })
  rssi?: number;

  /** Firmware version reported in a heartbeat. */
  @Property({ type: 'string', length: 32, nullable: true })
  firmware?: string;
}
