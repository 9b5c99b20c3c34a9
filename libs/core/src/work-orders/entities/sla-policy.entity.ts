import { Entity, PrimaryKey, Property, Unique, Opt } from '@mikro-orm/core';
import { newId } from '../../shared/ids';

/**
 * An override of the default SLA (DESIGN.md section 5) for one category, optionally one
 * severity. Deadlines are in seconds (the API speaks minutes, fractions allowed). An
 * escalated order gets the deadlines of its new level: `levelFactor` scales them per level
 * step (1 = the same deadline again at each level).
 */
@Entity({ tableName: 'sla_policies' })
@Unique({ name: 'sla_policies_key_unique', properties: ['category', 'severityKey'] })
export class SlaPolicy {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 48 })
  category!: string;

  /** A severity, or "*" for every severity of the category. */
  @Property({ type: 'string', length: 16 })
  severityKey!: string;

  @Property({ type: 'integer' })
  acceptSeconds!: number;

  @Property({ type: 'integer' })
  resolveSeconds!: number;

  /** Seconds between reminders until acceptance; empty: half the accept deadline. */
  @Property({ type: 'integer', nullable: true })
  remindSeconds?: number;

  @Property({ type: 'float' })
  levelFactor: Opt<number> = 1;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
