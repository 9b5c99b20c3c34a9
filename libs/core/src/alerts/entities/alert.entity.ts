import { Entity, Index, ManyToOne, PrimaryKey, Property, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { Device } from '../../devices/entities/device.entity';
import { OrgUnit } from '../../org/entities/org-unit.entity';
import { Compound } from '../../org/entities/compound.entity';
import { AlertCategory, AlertSeverity } from '../../devices/device-type';
import { AlertStatus, ClearedBy, RuleKind } from '../alert-kinds';

/**
 * An alarm on one device. At most one is open (active or acknowledged) per (device, alert
 * type): `openKey` holds "<deviceId>/<alertType>" while open and NULL once cleared, under a
 * unique index, so the database itself refuses a second open alert under any concurrency
 * (NULLs never collide, so cleared alerts pile up freely). A repeat raises `count` and
 * `lastSeenAt` on the open one.
 */
@Entity({ tableName: 'alerts' })
@Index({ name: 'alerts_community_status_idx', properties: ['community', 'status'] })
@Index({ name: 'alerts_device_idx', properties: ['device', 'raisedAt'] })
export class Alert {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 120, nullable: true, unique: 'alerts_open_key_unique' })
  openKey?: string | null;

  @ManyToOne(() => Device, { deleteRule: 'cascade' })
  device!: Rel<Device>;

  /** e.g. "smoke.alarm", "gas.high", "device.offline", "care.no_activity". */
  @Property({ type: 'string', length: 64 })
  alertType!: string;

  @Property({ type: 'string', length: 16 })
  ruleKind!: RuleKind;

  /** The rule that raised it (a stored override), or empty for a catalogue default. */
  @Property({ type: 'uuid', nullable: true })
  ruleId?: string;

  @Property({ type: 'string', length: 200 })
  nameZh!: string;

  @Property({ type: 'string', length: 200 })
  nameEn!: string;

  @Property({ type: 'string', length: 16 })
  severity!: AlertSeverity;

  @Property({ type: 'string', length: 16 })
  category!: AlertCategory;

  @Property({ type: 'string', length: 16 })
  status: Opt<AlertStatus> = 'active';

  /** Where: copied from the device when raised, so scope filters need no join and a moved device keeps its history. */
  @ManyToOne(() => OrgUnit, { deleteRule: 'restrict' })
  community!: Rel<OrgUnit>;

  /** Materialised path of the community, for subtree scope filters. */
  @Property({ type: 'string', length: 400 })
  communityPath!: string;

  @ManyToOne(() => Compound, { nullable: true, deleteRule: 'set null' })
  compound?: Rel<Compound>;

  @ManyToOne(() => OrgUnit, { nullable: true, deleteRule: 'set null' })
  grid?: Rel<OrgUnit>;

  @Property({ type: 'integer' })
  count: Opt<number> = 1;

  /** Device time of the first and the latest occurrence. */
  @Property({ type: 'datetime' })
  raisedAt!: Date;

  @Property({ type: 'datetime' })
  lastSeenAt!: Date;

  /** Message id of the first occurrence (msgId of the device event), for tracing. */
  @Property({ type: 'string', length: 64, nullable: true })
  sourceMsgId?: string;

  /** What triggered it: the event data (personal subjects already pseudonymised) or the measured value. */
  @Property({ type: 'json', nullable: true })
  data?: Record<string, unknown>;

  @Property({ type: 'datetime', nullable: true })
  acknowledgedAt?: Date;

  @Property({ type: 'string', length: 64, nullable: true })
  acknowledgedBy?: string;

  @Property({ type: 'datetime', nullable: true })
  clearedAt?: Date;

  @Property({ type: 'string', length: 16, nullable: true })
  clearedBy?: ClearedBy;

  @Property({ type: 'string', length: 300, nullable: true })
  clearReason?: string;

  /** The work order it became or attached to (set by the routing job). */
  @Property({ type: 'uuid', nullable: true })
  workOrderId?: string;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
