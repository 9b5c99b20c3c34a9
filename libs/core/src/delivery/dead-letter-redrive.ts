import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { DeadLetterJob, JOB_QUEUES, JobIntent, JobName, jobIds, JOBS } from '@sc/messaging';
import { AuditLog } from '../audit/audit-log';
import { actorOf } from '../audit/actor';
import { AuditSubject } from '../audit/entities/audit-entry.entity';
import { assertPermission, Principal } from '../identity/principal';
import { Permission } from '../identity/roles';
import { Outbox } from '../outbox/outbox';
import { DomainError } from '../shared/domain-error';
import { Delivery } from './entities/delivery.entity';

/** Which row a job is about, for the audit entry of its redrive. */
const SUBJECT_OF: Record<Exclude<JobName, 'dead-letter'>, { type: AuditSubject; field: string }> = {
  [JOBS.routeAlert]: { type: 'alert', field: 'alertId' },
  [JOBS.escalate]: { type: 'work_order', field: 'workOrderId' },
  [JOBS.remind]: { type: 'work_order', field: 'workOrderId' },
  [JOBS.deliver]: { type: 'delivery', field: 'deliveryId' },
  [JOBS.meetingRemind]: { type: 'meeting', field: 'meetingId' },
};

export interface RedriveResult {
  /** The id the job runs under again: the original id with a redrive suffix (".r1", ".r2" ...). */
  jobId: string;
  name: JobName;
  subjectType: AuditSubject;
  subjectId: string;
}

/**
 * Redrive of a dead-letter entry: the job goes back to its queue through the outbox (so it
 * cannot be lost between the decision and BullMQ), a dead delivery becomes pending again, and
 * the redrive is audited on the job's subject. The caller removes the dead-letter entry after.
 */
@Injectable()
export class DeadLetterRedrive {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
  ) {}

  async redrive(principal: Principal, entryId: string, entry: DeadLetterJob): Promise<RedriveResult> {
    assertPermission(principal, Permission.QueuesAdmin);
    const name = entry.name;
    if (name === JOBS.deadLetter || !(name in SUBJECT_OF) || JOB_QUEUES[name] !== entry.queue) {
      throw new DomainError('state', `dead-letter entry ${entryId} names no job that can run again (${String(entry.queue)}/${String(name)})`);
    }
    const subject = SUBJECT_OF[name];
    const subjectId = stringField(entry.data, subject.field);
    if (subjectId === undefined) throw new DomainError('state', `dead-letter entry ${entryId} has no ${subject.field}`);
    const jobId = nextRedriveId(entry.jobId);
    const intent = { op: 'add', name, jobId, data: entry.data } as JobIntent;

    await this.em.fork().transactional(async (em) => {
      let fromState: string | undefined;
      if (name === JOBS.deliver) {
        const delivery = await em.findOne(Delivery, { id: subjectId });
        if (!delivery) throw DomainError.notFound('delivery', subjectId);
        if (delivery.status === 'delivered') throw new DomainError('state', `delivery ${subjectId} was delivered already`);
        fromState = delivery.status;
        delivery.status = 'pending';
      }
      this.audit.record(em, {
        subjectType: subject.type,
        subjectId,
        action: 'redriven',
        actor: actorOf(principal),
        fromState,
        toState: fromState !== undefined ? 'pending' : undefined,
        details: { deadLetterId: entryId, jobId, failedReason: entry.failedReason.slice(0, 300), attemptsMade: entry.attemptsMade },
      });
      await em.flush();
      await this.outbox.enqueue(em, [intent]);
    });
    this.outbox.committed();
    return { jobId, name, subjectType: subject.type, subjectId };
  }
}

/** deliver.X → deliver.X.r1 → deliver.X.r2: each redrive is a new job, the first one's history stays. */
export function nextRedriveId(jobId: string): string {
  const previous = /^(.*)\.r(\d+)$/.exec(jobId);
  return previous ? jobIds.redrive(previous[1], Number(previous[2]) + 1) : jobIds.redrive(jobId, 1);
}

function stringField(data: unknown, field: string): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const value = (data as Record<string, unknown>)[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
