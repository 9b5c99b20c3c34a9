import { Injectable } from '@nestjs/common';
import { AuditEntry } from '../audit/entities/audit-entry.entity';
import { Account } from '../identity/entities/account.entity';
import { isAdmin } from '../identity/principal';
import { Permission } from '../identity/roles';
import { Outbox } from '../outbox/outbox';
import { DomainError } from '../shared/domain-error';
import { WorkOrder } from './entities/work-order.entity';
import { isOwnersCommitteeOf, isPerson, supervises, worksOn } from './work-order-access';
import { ChangeContext, WorkOrderChanges } from './work-order-change';
import { armOnAcceptance, disarmAll } from './sla-clock';
import { RoutingPolicies } from './routing-policies.service';
import { assertEvidenceUrls, assertText } from './work-order-input';
import { WorkOrderAction, transition } from './work-order-transitions';
import { WorkOrdersService } from './work-orders.service';

/**
 * The worker's side of the state machine: accept, start, hold, resume, resolve; notes, evidence
 * and progress; and verification (督查). Every change writes its history entry with the states
 * before and after, in the change's transaction.
 */
@Injectable()
export class WorkOrderActions {
  constructor(
    private readonly changes: WorkOrderChanges,
    private readonly outbox: Outbox,
    private readonly policies: RoutingPolicies,
    private readonly workOrders: WorkOrdersService,
  ) {}

  accept(principal: ChangeContext['principal'], id: string): Promise<WorkOrder> {
    return this.changes.run(principal, id, Permission.WorkOrdersWork, async (ctx) => {
      const { order, now } = ctx;
      assertWorker(ctx, 'accept');
      const to = transition('accept', order);
      await this.outbox.enqueue(ctx.em, armOnAcceptance(order));
      const from = order.status;
      order.status = to;
      order.acceptedAt ??= now;
      if (principal.kind === 'account') order.assignee = ctx.em.getReference(Account, principal.id);
      ctx.history.add(order, { action: 'accepted', actor: ctx.actor, from, to, details: { level: order.level, acceptDueAt: order.acceptDueAt?.toISOString() ?? null } });
    });
  }

  start(principal: ChangeContext['principal'], id: string): Promise<WorkOrder> {
    return this.move(principal, id, 'start', 'started');
  }

  hold(principal: ChangeContext['principal'], id: string, reason?: string): Promise<WorkOrder> {
    return this.move(principal, id, 'hold', 'held', reason);
  }

  resume(principal: ChangeContext['principal'], id: string): Promise<WorkOrder> {
    return this.move(principal, id, 'resume', 'resumed');
  }

  resolve(principal: ChangeContext['principal'], id: string, note?: string): Promise<WorkOrder> {
    return this.changes.run(principal, id, Permission.WorkOrdersWork, async (ctx) => {
      const { order, now } = ctx;
      assertWorker(ctx, 'resolve');
      const to = transition('resolve', order);
      await this.outbox.enqueue(ctx.em, disarmAll(order));
      const from = order.status;
      order.status = to;
      order.resolvedAt = now;
      order.resolvedLevel = order.level;
      ctx.history.add(order, {
        action: 'resolved',
        actor: ctx.actor,
        from,
        to,
        text: optionalText(note, 'note'),
        details: { level: order.level, withinSla: !order.resolveDueAt || now <= order.resolveDueAt },
      });
    });
  }

  /**
   * 督查: the reporter, a supervisor (dispatch in scope) or the compound's owners' committee
   * verifies a resolved order; never whoever resolved it, unless the community's policy allows.
   */
  verify(principal: ChangeContext['principal'], id: string, note?: string): Promise<WorkOrder> {
    return this.changes.run(principal, id, Permission.WorkOrdersVerify, async (ctx) => {
      const { order, em, now } = ctx;
      const allowed = isAdmin(principal) || isPerson(principal, order.reporter) || supervises(principal, order) || isOwnersCommitteeOf(principal, order.compound?.id);
      if (!allowed) {
        throw DomainError.forbidden(`work order ${order.number} is verified by its reporter, a supervisor of its community or the owners' committee of its compound`);
      }
      const to = transition('verify', order);
      const resolved = await em.findOne(
        AuditEntry,
        { subjectType: 'work_order', subjectId: order.id, action: 'resolved' },
        { orderBy: { at: 'desc' }, fields: ['actorId', 'actorKind'] },
      );
      if (resolved?.actorId === principal.id) {
        const rules = await this.policies.effective(em, order.community.id);
        if (!rules.allowSelfVerify) {
          throw DomainError.forbidden(`work order ${order.number} was resolved by you: someone else must verify it (督查); the policy of this community does not allow self-verification`);
        }
      }
      const from = order.status;
      order.status = to;
      order.verifiedAt = now;
      order.openKey = null;
      ctx.history.add(order, { action: 'verified', actor: ctx.actor, from, to, text: optionalText(note, 'note'), details: { resolvedBy: resolved?.actorId ?? null } });
    });
  }

  note(principal: ChangeContext['principal'], id: string, text: string): Promise<WorkOrder> {
    return this.changes.run(principal, id, Permission.WorkOrdersWork, async (ctx) => {
      ctx.history.add(ctx.order, { action: 'note', actor: ctx.actor, text: assertText(text, 'text', 4000), details: { status: ctx.order.status } });
      ctx.order.updatedAt = ctx.now;
    });
  }

  evidence(principal: ChangeContext['principal'], id: string, urls: readonly string[], caption?: string): Promise<WorkOrder> {
    return this.changes.run(principal, id, Permission.WorkOrdersWork, async (ctx) => {
      if (!worksOn(ctx.viewer, ctx.order) && !supervises(principal, ctx.order)) {
        throw DomainError.forbidden(`evidence for work order ${ctx.order.number} comes from whoever works on it or supervises it`);
      }
      const checked = assertEvidenceUrls(urls);
      ctx.history.add(ctx.order, { action: 'evidence', actor: ctx.actor, text: optionalText(caption, 'caption'), details: { urls: checked, status: ctx.order.status } });
      ctx.order.updatedAt = ctx.now;
    });
  }

  progress(principal: ChangeContext['principal'], id: string, percent: number): Promise<WorkOrder> {
    return this.changes.run(principal, id, Permission.WorkOrdersWork, async (ctx) => {
      if (!worksOn(ctx.viewer, ctx.order) && !supervises(principal, ctx.order)) {
        throw DomainError.forbidden(`progress of work order ${ctx.order.number} is reported by whoever works on it or supervises it`);
      }
      await this.workOrders.setProgress(ctx.em, ctx.order.id, percent, ctx.actor);
    });
  }

  /** start, hold, resume: a status change by whoever works on the order. */
  private move(principal: ChangeContext['principal'], id: string, action: WorkOrderAction, recorded: string, reason?: string): Promise<WorkOrder> {
    return this.changes.run(principal, id, Permission.WorkOrdersWork, async (ctx) => {
      assertWorker(ctx, action);
      const to = transition(action, ctx.order);
      const from = ctx.order.status;
      ctx.order.status = to;
      ctx.history.add(ctx.order, { action: recorded, actor: ctx.actor, from, to, text: optionalText(reason, 'reason') });
    });
  }
}

function assertWorker(ctx: ChangeContext, action: string): void {
  if (worksOn(ctx.viewer, ctx.order)) return;
  throw DomainError.forbidden(
    `only the routed grid worker, the routed company's staff or system, the desk's community workers or the assignee may ${action} work order ${ctx.order.number}`,
  );
}

function optionalText(value: string | undefined, field: string): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return assertText(value, field, 4000);
}
