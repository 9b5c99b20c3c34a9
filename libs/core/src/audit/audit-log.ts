import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { DATABASE_SETTINGS, DatabaseSettings, driverOf } from '@sc/database';
import { entityInsertStatements } from '../shared/insert-rows';
import { newId } from '../shared/ids';
import { Dialect, runTogether, Statement } from '../telemetry/sql';
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
    await runTogether(em, this.dialect, this.statements(em, records));
  }

  /**
   * insert() as statements to send with the transaction's other writes (PlannedWrites).
   * `onlySubjectsIn`: PostgreSQL only, the name of an earlier statement of the same runTogether
   * (s0, …) answering `id`s: only the entries of those subjects are written.
   */
  statements(em: EntityManager, records: readonly AuditRecord[], options: { onlySubjectsIn?: string } = {}): Statement[] {
    const { onlySubjectsIn } = options;
    const now = new Date();
    return entityInsertStatements(
      em,
      this.dialect,
      AuditEntry,
      records.map((r) => ({
        id: newId(),
        at: r.at ?? now,
        subjectType: r.subjectType,
        subjectId: r.subjectId,
        action: r.action,
        actorKind: r.actor.kind,
        actorId: r.actor.id ?? null,
        actorName: r.actor.name ?? null,
        fromState: r.fromState ?? null,
        toState: r.toState ?? null,
        text: r.text ?? null,
        details: r.details ?? null,
      })),
      { join: onlySubjectsIn ? (value) => `join ${onlySubjectsIn} on ${onlySubjectsIn}.id = ${value('subject_id')}` : undefined },
    );
  }

  /** A subject's history, oldest first. */
  async history(em: EntityManager, subjectType: AuditSubject, subjectId: string): Promise<AuditEntry[]> {
    return em.find(AuditEntry, { subjectType, subjectId }, { orderBy: { at: 'asc', id: 'asc' } });
  }
}
