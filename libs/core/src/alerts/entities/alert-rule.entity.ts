import { Entity, Index, PrimaryKey, Property, Unique, Opt } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { AlertCategory, AlertSeverity } from '../../devices/device-type';
import { RuleKind } from '../alert-kinds';

/**
 * A stored rule: an override of a catalogue default, or a rule of its own. Defaults per device
 * type come from the catalogue (DEVICE_TYPES) and are not stored; an override with the same
 * (device type, alert type) at a narrower scope wins: compound over community over global.
 * `scopeKey` is "global", "unit:<communityId>" or "compound:<compoundId>" (one non-null value,
 * so the unique index holds).
 */
@Entity({ tableName: 'alert_rules' })
@Unique({ name: 'alert_rules_scope_unique', properties: ['scopeKey', 'deviceType', 'alertType'] })
@Index({ name: 'alert_rules_device_type_idx', properties: ['deviceType'] })
export class AlertRule {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 80 })
  scopeKey!: string;

  /** Community (scope unit:…) or the compound's community (scope compound:…); empty for global. */
  @Property({ type: 'uuid', nullable: true })
  communityId?: string;

  @Property({ type: 'uuid', nullable: true })
  compoundId?: string;

  @Property({ type: 'string', length: 48 })
  deviceType!: string;

  @Property({ type: 'string', length: 64 })
  alertType!: string;

  @Property({ type: 'string', length: 16 })
  kind!: RuleKind;

  /**
   * Kind-specific parameters, validated per kind by the rules service:
   * event {eventType}; threshold {field, op, limit}; duration {field, op, limit, forMinutes};
   * repetition {eventType, times, withinMinutes}; offline {}; care_watch {quietHours}.
   */
  @Property({ type: 'json' })
  params!: Record<string, unknown>;

  @Property({ type: 'string', length: 16 })
  severity!: AlertSeverity;

  @Property({ type: 'string', length: 16 })
  category!: AlertCategory;

  @Property({ type: 'string', length: 200 })
  nameZh!: string;

  @Property({ type: 'string', length: 200 })
  nameEn!: string;

  /** A disabled override switches the default off in its scope. */
  @Property({ type: 'boolean' })
  enabled: Opt<boolean> = true;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
