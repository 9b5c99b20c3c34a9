import { Entity, Index, PrimaryKey, Property, Opt } from '@mikro-orm/core';
import { newId } from '../../shared/ids';

/** What an audit entry is about (DESIGN.md section 7: every state change of these is audited). */
export type AuditSubject = 'alert' | 'alert_rule' | 'work_order' | 'delivery' | 'meeting' | 'routing_policy' | 'sla_policy' | 'delivery_target';

/** Who acted: a person, a company system, a device (through the ingest) or the service itself. */
export type AuditActorKind = 'account' | 'api_key' | 'device' | 'system';

/**
 * One state change, append-only. A work order's history (notes, evidence, transitions,
 * routing decisions, escalations, deliveries) is its audit entries in order.
 */
@Entity({ tableName: 'audit_log' })
@Index({ name: 'audit_log_subject_idx', properties: ['subjectType', 'subjectId', 'at'] })
export class AuditEntry {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'datetime' })
  at: Opt<Date> = new Date();

  @Property({ type: 'string', length: 32 })
  subjectType!: AuditSubject;

  @Property({ type: 'uuid' })
  subjectId!: string;

  /** e.g. "raised", "repeated", "acknowledged", "cleared", "routed", "accepted", "note", "escalated". */
  @Property({ type: 'string', length: 48 })
  action!: string;

  @Property({ type: 'string', length: 16 })
  actorKind!: AuditActorKind;

  /** Account id, API key id or device id; empty for the system. */
  @Property({ type: 'string', length: 64, nullable: true })
  actorId?: string;

  /** Display name at the time (accounts can be renamed). */
  @Property({ type: 'string', length: 100, nullable: true })
  actorName?: string;

  /** State before and after, for transitions. */
  @Property({ type: 'string', length: 32, nullable: true })
  fromState?: string;

  @Property({ type: 'string', length: 32, nullable: true })
  toState?: string;

  /** Free text (a note, a reason). */
  @Property({ type: 'text', nullable: true })
  text?: string;

  /** Structured detail: routing reason and targets, evidence URLs, counts. No personal data. */
  @Property({ type: 'json', nullable: true })
  details?: Record<string, unknown>;
}
