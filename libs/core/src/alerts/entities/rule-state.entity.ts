import { Entity, PrimaryKey, Property, Opt } from '@mikro-orm/core';

/**
 * The memory of a duration ("for N minutes") or repetition ("N times in M minutes") rule for one
 * device, written in the ingest's transaction so it survives a restart and stays consistent
 * with the events that changed it.
 */
@Entity({ tableName: 'alert_rule_states' })
export class RuleState {
  @PrimaryKey({ type: 'uuid' })
  deviceId!: string;

  @PrimaryKey({ type: 'string', length: 64 })
  alertType!: string;

  /** duration: {since: ISO time the condition started}; repetition: {times: ISO times inside the window}. */
  @Property({ type: 'json' })
  state!: Record<string, unknown>;

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
