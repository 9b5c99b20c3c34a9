import { Entity, Index, PrimaryKey, Property, Opt } from '@mikro-orm/core';
import { newId } from '../../shared/ids';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/** Why a notification was sent. */
export type DeliveryEvent = 'created' | 'escalated' | 'reminder' | 'reassigned' | 'reopened' | 'meeting_notice' | 'meeting_reminder' | 'minutes';

/**
 * One notification to one target. `dedupKey` (subject, event, level or reminder number, target)
 * is unique, so deciding the same notification twice stores it once; its id is the
 * X-SC-Delivery header receivers de-duplicate on, the same on every retry.
 */
@Entity({ tableName: 'deliveries' })
@Index({ name: 'deliveries_subject_idx', properties: ['subjectId', 'createdAt'] })
@Index({ name: 'deliveries_status_idx', properties: ['status', 'createdAt'] })
export class Delivery {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 200, unique: 'deliveries_dedup_unique' })
  dedupKey!: string;

  @Property({ type: 'uuid' })
  targetId!: string;

  /** "work_order" or "meeting". */
  @Property({ type: 'string', length: 16 })
  subjectType!: string;

  @Property({ type: 'uuid' })
  subjectId!: string;

  @Property({ type: 'string', length: 24 })
  event!: DeliveryEvent;

  /** The message as sent (the JSON body of the webhook, before channel formatting). No personal data. */
  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'string', length: 16 })
  status: Opt<DeliveryStatus> = 'pending';

  @Property({ type: 'integer' })
  attempts: Opt<number> = 0;

  @Property({ type: 'string', length: 500, nullable: true })
  lastError?: string;

  /** HTTP status of the last attempt. */
  @Property({ type: 'integer', nullable: true })
  lastStatus?: number;

  @Property({ type: 'datetime', nullable: true })
  deliveredAt?: Date;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
