import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { DATABASE_SETTINGS, DatabaseSettings, driverOf } from '@sc/database';
import { Column, insertRows } from '../shared/insert-rows';
import { newId } from '../shared/ids';
import { Dialect } from '../telemetry/sql';
import { AuditEntry, AuditSubject } from './entities/audit-entry.entity';
import { Actor } from './actor';

export interface AuditRecord {
  subjectType: AuditSubject;
  subjectId: string;
  action: string;
  actor: Actor;
  fromState?: string;
  toState?: string;
  text?: string;
  details?: Record<string, unknown>;
  at?: Date;
}

const AUDIT_COLUMNS: readonly Column<AuditRecord & { at: Date }>[] = [
  { name: 'id', kind: 'uuid', value: () => newId() },
  { name: 'at', kind: 'timestamptz', value: (r) => r.at },
  { name: 'subject_type', kind: 'text', value: (r) => r.subjectType },
  { name: 'subject_id', kind: 'uuid', value: (r) => r.subjectId },
  { name: 'action', kind: 'text', value: (r) => r.action },
  { name: 'actor_kind', kind: 'text', value: (r) => r.actor.kind },
  { name: 'actor_id', kind: 'text', value: (r) => r.actor.id },
  { name: 'actor_name', kind: 'text', value: (r) => r.actor.name },
  { name: 'from_state', kind: 'text', value: (r) => r.fromState },
  { name: 'to_state', kind: 'text', value: (r) => r.toState },
  { name: 'text', kind: 'text', value: (r) => r.text },
  { name: 'details', kind: 'json', value: (r) => r.details },
];

/**
 * The audit log: written with the entity manager of the change it records, so the entry
 * commits or rolls back with it. Append-only.
 */
@Injectable()
export class AuditLog {
  private readonly dialect: Dialect;

  constructor(@Inject(DATABASE_SETTINGS) settings: DatabaseSettings) {
    this.dialect = driverOf(settings);
  }

  /** Persists the entries on `em` (flushed with the caller's transaction). */
  record(em: EntityManager, ...records: AuditRecord[]): AuditEntry[] {
    return records.map((r) =>
      em.create(AuditEntry, {
        at: r.at ?? new Date(),
        subjectType: r.subjectType,
        subjectId: r.subjectId,
        action: r.action,
        actorKind: r.actor.kind,
        actorId: r.actor.id,
        actorName: r.actor.name,
        fromState: r.fromState,
        toState: r.toState,
        text: r.text,
        details: r.details,
      }),
    );
  }

  /** Writes straight away with one multi-row insert (hot paths: the ingest's and the routing batch's transactions). */
  async insert(em: EntityManager, records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const now = new Date();
    await insertRows(em, this.dialect, 'audit_log', AUDIT_COLUMNS, records.map((r) => ({ ...r, at: r.at ?? now })));
  }

  /** A subject's history, oldest first. */
  async history(em: EntityManager, subjectType: AuditSubject, subjectId: string): Promise<AuditEntry[]> {
    return em.find(AuditEntry, { subjectType, subjectId }, { orderBy: { at: 'asc', id: 'asc' } });
  }
}
