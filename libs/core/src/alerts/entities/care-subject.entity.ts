import { Entity, Index, ManyToOne, PrimaryKey, Property, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { OrgUnit } from '../../org/entities/org-unit.entity';
import { Compound } from '../../org/entities/compound.entity';

/**
 * A registered resident under care watch (三社联动: elderly living alone, disabled residents).
 * No name is stored: `alias` is what the grid worker wrote to recognise the household
 * ("3栋 独居老人 A"), `residentRef` a pseudonym of an identifier (PIPL). When none of the
 * watched devices (door contact, water meter) shows activity for `quietHours`, a care-watch
 * alert sends the grid worker on a visit.
 */
@Entity({ tableName: 'care_subjects' })
export class CareSubject {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne(() => OrgUnit, { deleteRule: 'restrict' })
  @Index({ name: 'care_subjects_community_idx' })
  community!: Rel<OrgUnit>;

  @ManyToOne(() => Compound, { nullable: true, deleteRule: 'set null' })
  compound?: Rel<Compound>;

  @ManyToOne(() => OrgUnit, { nullable: true, deleteRule: 'set null' })
  grid?: Rel<OrgUnit>;

  @Property({ type: 'string', length: 100 })
  alias!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  residentRef?: string;

  @Property({ type: 'float' })
  quietHours: Opt<number> = 24;

  /** Latest activity of any watched device (server time). */
  @Property({ type: 'datetime' })
  lastActivityAt: Opt<Date> = new Date();

  @Property({ type: 'boolean' })
  active: Opt<boolean> = true;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}

/** A device watched for a care subject's activity. */
@Entity({ tableName: 'care_watch_devices' })
export class CareWatchDevice {
  @PrimaryKey({ type: 'uuid' })
  careSubjectId!: string;

  @PrimaryKey({ type: 'uuid' })
  @Index({ name: 'care_watch_devices_device_idx' })
  deviceId!: string;
}
