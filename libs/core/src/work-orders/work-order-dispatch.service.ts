import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { Recipient } from '../delivery/notifier';
import { Account } from '../identity/entities/account.entity';
import { RoleAssignment } from '../identity/entities/role-assignment.entity';
import { anchorOfGrant, anchorVisible, companyTouchesScope } from '../identity/anchor-scope';
import { Principal } from '../identity/principal';
import { Permission } from '../identity/roles';
import { GridWorker } from '../org/entities/grid-worker.entity';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { PropertyCompany } from '../org/entities/property-company.entity';
import { OrgLevel } from '../org/org-level';
import { unitInScope } from '../org/scope';
import { Outbox } from '../outbox/outbox';
import { DomainError } from '../shared/domain-error';
import { WorkOrder } from './entities/work-order.entity';
import { armTimers, disarmAll, reminderTimer } from './sla-clock';
import { SlaPolicies } from './sla-policies.service';
import { addSeconds, atLevel } from './sla-terms';
import { supervises, workOrderVisible } from './work-order-access';
import { ChangeContext, WorkOrderChanges } from './work-order-change';
import { assertId, assertText } from './work-order-input';
import { routedRecipients, WorkOrderNotices } from './work-order-notices';
import { RoutedTarget } from './work-order-router';
import { CLOSING_REASONS, ClosingReason } from './work-order-states';
import { transition } from './work-order-transitions';
import { WorkOrdersService } from './work-orders.service';

/** Exactly one of: a person, a grid worker, a company, the community desk. */
export interface AssignInput {
  accountId?: string;
  gridWorkerId?: string;
  companyId?: string;
  desk?: boolean;
  reason?: string;
}

/** not_responsible: who is responsible instead; a linked order is opened for them. */
export interface ReferralInput {
  companyId?: string;
  gridWorkerId?: string;
  /** A community whose desk takes it over. */
  unitId?: string;
  name: string;
}

export interface CloseInput {
  reason: ClosingReason;
  duplicateOfId?: string;
  referTo?: ReferralInput;
  note?: string;
}

/**
 * The supervisor's side (WorkOrdersDispatch over the order's community): assign and reassign,
 * close with a reason (duplicate, false alarm, not responsible → a linked order for whoever is,
 * no further action), reopen. The owner (首问负责) of a desk order never changes.
 */
@Injectable()
export class WorkOrderDispatch {
  constructor(
    private readonly changes: WorkOrderChanges,
    private readonly outbox: Outbox,
    private readonly sla: SlaPolicies,
    private readonly notices: WorkOrderNotices,
    private readonly workOrders: WorkOrdersService,
  ) {}

  assign(principal: Principal, id: string, input: AssignInput): Promise<WorkOrder> {
    return this.changes.run(principal, id, Permission.WorkOrdersDispatch, async (ctx) => {
      const { order, em, now } = ctx;
      assertSupervisor(ctx, 'assign');
      transition('assign', order);
      const chosen = [input.accountId, input.gridWorkerId, input.companyId, input.desk ? true : undefined].filter((v) => v !== undefined);
      if (chosen.length !== 1) throw DomainError.validation('give exactly one of accountId, gridWorkerId, companyId or desk: true', 'accountId');
      const before = targetsOf(order);
      let recipient: Recipient;
      let to: RoutedTarget;
      if (input.accountId !== undefined) {
        const account = await assignableAccount(em, principal, input.accountId);
        order.assignee = account;
        recipient = { kind: 'account', id: account.id };
        to = { kind: 'account', id: account.id, name: account.displayName };
      } else {
        if (input.gridWorkerId !== undefined) {
          const worker = await em.findOne(GridWorker, { id: assertId(input.gridWorkerId, 'gridWorkerId') }, { populate: ['grid'] });
          if (!worker || !worker.active) throw DomainError.validation(`unknown or inactive grid worker ${input.gridWorkerId}`, 'gridWorkerId');
          if (!unitInScope(principal.scope, worker.grid)) throw DomainError.forbidden(`grid worker ${worker.code} works outside your scope`);
          Object.assign(order, { assignedGridWorker: worker, assignedCompany: null, assignedDesk: false });
          recipient = { kind: 'grid_worker', id: worker.id };
          to = { kind: 'grid_worker', id: worker.id, name: worker.name, code: worker.code };
        } else if (input.companyId !== undefined) {
          const company = await em.findOne(PropertyCompany, { id: assertId(input.companyId, 'companyId') });
          if (!company) throw DomainError.validation(`unknown property company ${input.companyId}`, 'companyId');
          if (!(await companyTouchesScope(em, principal.scope, company.id))) throw DomainError.forbidden(`property company ${company.code} works outside your scope`);
          Object.assign(order, { assignedGridWorker: null, assignedCompany: company, assignedDesk: false });
          recipient = { kind: 'company', id: company.id };
          to = { kind: 'company', id: company.id, name: company.name, code: company.code };
        } else {
          const community = await em.findOneOrFail(OrgUnit, { id: order.community.id });
          Object.assign(order, { assignedGridWorker: null, assignedCompany: null, assignedDesk: true });
          recipient = { kind: 'unit', id: community.id };
          to = { kind: 'unit', id: community.id, name: community.name, code: community.code };
        }
        // A new party takes it over: whoever worked on it for the old one no longer does (the desk owner stays).
        Object.assign(order, { assignee: null });
      }
      const from = order.status;
      if (order.status === 'reported') {
        order.status = transition('dispatch', order);
        order.dispatchedAt = now;
        const terms = await this.sla.termsFor(em, order.category, order.severity, order.documentsComplete);
        await this.outbox.enqueue(em, [reminderTimer(order, terms, now)]);
      }
      const notified = await this.notices.send(em, order, 'reassigned', [recipient], { discriminator: `a${now.getTime()}` });
      ctx.history.add(order, {
        action: 'assigned',
        actor: ctx.actor,
        from,
        to: order.status,
        text: optionalText(input.reason, 'reason'),
        details: { before, to, notified },
      });
    });
  }

  close(principal: Principal, id: string, input: CloseInput): Promise<WorkOrder> {
    return this.changes.run(principal, id, Permission.WorkOrdersDispatch, async (ctx) => {
      const { order, em, now } = ctx;
      assertSupervisor(ctx, 'close');
      if (!(CLOSING_REASONS as readonly string[]).includes(input.reason)) {
        throw DomainError.validation(`reason must be one of ${CLOSING_REASONS.join(', ')}`, 'reason');
      }
      const to = transition('close', order);
      const details: Record<string, unknown> = { reason: input.reason };
      if (input.reason === 'duplicate') {
        if (!input.duplicateOfId) throw DomainError.validation('a duplicate names the order it duplicates: duplicateOfId', 'duplicateOfId');
        if (input.duplicateOfId === order.id) throw DomainError.validation('an order cannot duplicate itself', 'duplicateOfId');
        const original = await em.findOne(WorkOrder, { id: assertId(input.duplicateOfId, 'duplicateOfId') });
        if (!original || !workOrderVisible(ctx.viewer, original)) throw DomainError.validation(`unknown work order ${input.duplicateOfId}`, 'duplicateOfId');
        order.duplicateOfId = original.id;
        details.duplicateOf = { id: original.id, number: original.number };
      } else if (input.duplicateOfId !== undefined) {
        throw DomainError.validation('duplicateOfId goes with reason duplicate', 'duplicateOfId');
      }
      if (input.reason !== 'not_responsible' && input.referTo !== undefined) throw DomainError.validation('referTo goes with reason not_responsible', 'referTo');
      if (input.reason === 'not_responsible' && input.referTo === undefined) {
        throw DomainError.validation('not_responsible names who is responsible: referTo {companyId | gridWorkerId | unitId, name}', 'referTo');
      }
      await this.outbox.enqueue(em, disarmAll(order));
      const from = order.status;
      const openKey = order.openKey ?? undefined;
      order.status = to;
      order.closingReason = input.reason;
      order.closedAt = now;
      order.openKey = null;
      if (input.referTo !== undefined) {
        const referral = await this.refer(ctx, input.referTo, openKey);
        order.referredToId = referral.id;
        order.referredToName = referral.name;
        details.referredTo = referral;
      }
      ctx.history.add(order, { action: 'closed', actor: ctx.actor, from, to, text: optionalText(input.note, 'note'), details });
    });
  }

  reopen(principal: Principal, id: string, reason?: string): Promise<WorkOrder> {
    return this.changes.run(principal, id, Permission.WorkOrdersDispatch, async (ctx) => {
      const { order, em, now } = ctx;
      assertSupervisor(ctx, 'reopen');
      const to = transition('reopen', order);
      const from = order.status;
      const terms = await this.sla.termsFor(em, order.category, order.severity, order.documentsComplete);
      const deadlines = atLevel(terms, order.level);
      Object.assign(order, {
        status: to,
        reopenCount: order.reopenCount + 1,
        dispatchedAt: now,
        acceptDueAt: addSeconds(now, deadlines.acceptSeconds),
        resolveDueAt: addSeconds(now, deadlines.resolveSeconds),
        resolvedAt: null,
        resolvedLevel: null,
        verifiedAt: null,
        closedAt: null,
        closingReason: null,
        duplicateOfId: null,
      });
      // A reopened device order takes its subject back, so later alerts attach to it again (unless another order holds it now).
      if (order.device && order.source === 'alert' && !order.openKey) {
        const key = `${order.device.id}/${order.type}`;
        if ((await em.count(WorkOrder, { openKey: key })) === 0) order.openKey = key;
      }
      const notified = await this.notices.send(em, order, 'reopened', routedRecipients(order), { discriminator: `r${order.reopenCount}` });
      ctx.history.add(order, {
        action: 'reopened',
        actor: ctx.actor,
        from,
        to,
        text: optionalText(reason, 'reason'),
        details: { reopenCount: order.reopenCount, level: order.level, acceptDueAt: order.acceptDueAt?.toISOString(), resolveDueAt: order.resolveDueAt?.toISOString(), notified },
      });
      await this.outbox.enqueue(em, armTimers(order, terms, now));
    });
  }

  /** The linked order for whoever is responsible, opened in the same transaction. */
  private async refer(ctx: ChangeContext, referTo: ReferralInput, openKey: string | undefined): Promise<{ id: string; number: string; name: string }> {
    const { order, em } = ctx;
    const name = assertText(referTo.name ?? '', 'referTo.name', 300);
    const given = [referTo.companyId, referTo.gridWorkerId, referTo.unitId].filter((v) => v !== undefined);
    if (given.length !== 1) throw DomainError.validation('referTo names exactly one of companyId, gridWorkerId or unitId', 'referTo');
    let communityId = order.community.id;
    let compoundId = order.compound?.id;
    let gridId = order.grid?.id;
    if (referTo.unitId !== undefined) {
      const unit = await em.findOne(OrgUnit, { id: assertId(referTo.unitId, 'referTo.unitId') });
      if (!unit || unit.level !== OrgLevel.Community) throw DomainError.validation(`referTo.unitId must be a community (its desk takes the order over)`, 'referTo.unitId');
      if (unit.id !== communityId) {
        communityId = unit.id;
        compoundId = undefined;
        gridId = undefined;
      }
    }
    const reason = `referred by ${ctx.actor.name ?? 'a supervisor'} from work order ${order.number}: not the responsibility of its previous handler → ${name}`;
    const result = await this.workOrders.open(
      em,
      {
        source: order.source,
        category: order.category,
        type: order.type,
        severity: order.severity,
        title: order.title,
        description: order.description,
        communityId,
        compoundId,
        gridId,
        deviceId: order.device?.id,
        openKey: communityId === order.community.id ? openKey : undefined,
        route: { gridWorkerId: referTo.gridWorkerId, companyId: referTo.companyId, desk: referTo.unitId !== undefined, reason },
        reporterAccountId: order.reporter?.id,
        residentRef: order.residentRef,
      },
      ctx.actor,
    );
    const linked = await em.findOneOrFail(WorkOrder, { id: result.workOrderId });
    return { id: linked.id, number: linked.number, name };
  }
}

function assertSupervisor(ctx: ChangeContext, action: string): void {
  if (supervises(ctx.principal, ctx.order)) return;
  throw DomainError.forbidden(`only a supervisor of its community (${Permission.WorkOrdersDispatch} over it) may ${action} work order ${ctx.order.number}`);
}

function targetsOf(order: WorkOrder): Record<string, string | boolean | null> {
  return {
    gridWorkerId: order.assignedGridWorker?.id ?? null,
    companyId: order.assignedCompany?.id ?? null,
    desk: order.assignedDesk,
    assigneeId: order.assignee?.id ?? null,
  };
}

/** A person in the supervisor's scope: a grid worker on a grid inside it, or someone whose role anchor is inside it. */
async function assignableAccount(em: EntityManager, principal: Principal, id: string): Promise<Account> {
  const account = await em.findOne(Account, { id: assertId(id, 'accountId') }, { populate: ['gridWorker.grid'] });
  if (!account || !account.active) throw DomainError.validation(`unknown or inactive account ${id}`, 'accountId');
  if (account.gridWorker && unitInScope(principal.scope, account.gridWorker.grid)) return account;
  const grants = await em.find(RoleAssignment, { account: account.id }, { populate: ['orgUnit', 'compound.community', 'propertyCompany'] });
  for (const grant of grants) {
    if (await anchorVisible(em, principal.scope, anchorOfGrant(grant))) return account;
  }
  throw DomainError.forbidden(`account ${account.username} works outside your scope`);
}

function optionalText(value: string | undefined, field: string): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return assertText(value, field, 4000);
}
