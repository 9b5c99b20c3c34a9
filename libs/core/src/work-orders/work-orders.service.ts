import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { raw, RequiredEntityData, UniqueConstraintViolationException } from '@mikro-orm/core';
import { AuditLog } from '../audit/audit-log';
import { Actor, SYSTEM_ACTOR } from '../audit/actor';
import { Device } from '../devices/entities/device.entity';
import { Account } from '../identity/entities/account.entity';
import { Compound } from '../org/entities/compound.entity';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { OrgLevel } from '../org/org-level';
import { Outbox } from '../outbox/outbox';
import { DomainError } from '../shared/domain-error';
import { WorkOrder } from './entities/work-order.entity';
import { OpenWorkOrderInput, OpenWorkOrderResult } from './open-work-order';
import { armTimers } from './sla-clock';
import { SlaPolicies } from './sla-policies.service';
import { addSeconds, atLevel } from './sla-terms';
import { OrderHistory } from './work-order-history';
import { assertCategory, assertId, assertPercent, assertSeverity, assertSource, assertType, fitTitle } from './work-order-input';
import { routedRecipients, WorkOrderNotices } from './work-order-notices';
import { RoutingDecision, WorkOrderRouter } from './work-order-router';
import { WorkOrderStatus } from './work-order-states';
import { transition } from './work-order-transitions';

/** Where an order is: the community, and within it optionally a compound, a grid and a device. */
interface Place {
  community: OrgUnit;
  compound?: Compound;
  grid?: OrgUnit;
  device?: Device;
}

/** The human number: GD + the China-time date + 8 hex digits ("GD20261126-0001a2b3"). */
export function workOrderNumber(at: Date): string {
  const china = new Date(at.getTime() + 8 * 3600 * 1000);
  const day = china.toISOString().slice(0, 10).replace(/-/g, '');
  return `GD${day}-${randomBytes(4).toString('hex')}`;
}

const NUMBER_ATTEMPTS = 3;

/**
 * Opening work orders, the one way every source creates them (device alerts through routing,
 * desk requests, patrol reports, visits, joint-meeting action items), and action-item progress.
 * Both run inside the caller's entity manager and transaction and flush it; the caller calls
 * `Outbox.committed()` after its commit.
 */
@Injectable()
export class WorkOrdersService {
  constructor(
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
    private readonly router: WorkOrderRouter,
    private readonly sla: SlaPolicies,
    private readonly notices: WorkOrderNotices,
  ) {}

  async open(em: EntityManager, input: OpenWorkOrderInput, actor: Actor): Promise<OpenWorkOrderResult> {
    const source = assertSource(input.source);
    const category = assertCategory(input.category);
    const type = assertType(input.type);
    const severity = assertSeverity(input.severity);
    const title = fitTitle(input.title);
    const openKey = input.openKey?.trim() || undefined;
    if (openKey !== undefined && openKey.length > 160) throw DomainError.validation('openKey is longer than 160 characters', 'openKey');
    await em.flush();

    if (openKey !== undefined) {
      const holder = await em.findOne(WorkOrder, { openKey });
      if (holder) return this.attach(em, holder, input, actor);
    }

    const place = await resolvePlace(em, input);
    const now = new Date();
    const decision =
      input.route === 'auto'
        ? await this.router.decide(em, { source, category, severity, community: place.community, compound: place.compound, grid: place.grid })
        : await this.router.explicit(em, input.route, place.community);
    const terms = await this.sla.termsFor(em, category, severity, input.documentsComplete);
    const accounts = await loadAccounts(em, input);
    // 首问负责: a desk request is taken at once by the worker who was asked, and stays theirs.
    const takenAtDesk = source === 'desk' && (accounts.owner ?? accounts.assignee) !== undefined;
    // A person named as assignee (an action item's owner) counts as dispatched even when no routing target applies.
    const status: WorkOrderStatus = takenAtDesk ? 'accepted' : decision.targets.length > 0 || accounts.assignee !== undefined ? 'dispatched' : 'reported';
    const deadlines = atLevel(terms, 'community');
    const resolveFrom = input.scheduledAt ?? now;

    const data: RequiredEntityData<WorkOrder> = {
      number: workOrderNumber(now),
      openKey: openKey ?? null,
      source,
      category,
      type,
      severity,
      title,
      description: input.description?.trim() || undefined,
      status,
      community: place.community,
      communityPath: place.community.path,
      compound: place.compound,
      grid: place.grid,
      device: place.device,
      alertId: input.alertId,
      alertCount: input.alertId ? 1 : 0,
      assignedGridWorker: decision.gridWorker,
      assignedCompany: decision.company,
      assignedDesk: decision.desk,
      assignee: takenAtDesk ? (accounts.assignee ?? accounts.owner) : accounts.assignee,
      owner: takenAtDesk ? (accounts.owner ?? accounts.assignee) : accounts.owner,
      reporter: accounts.reporter,
      documentsComplete: input.documentsComplete,
      residentRef: input.residentRef,
      scheduledAt: input.scheduledAt,
      meetingDecisionId: input.meetingDecisionId,
      ownerPartyId: input.ownerPartyId,
      level: 'community',
      levelUnit: place.community,
      acceptDueAt: takenAtDesk ? now : addSeconds(now, deadlines.acceptSeconds),
      resolveDueAt: input.resolveDueAt ?? addSeconds(resolveFrom, deadlines.resolveSeconds),
      reportedAt: now,
      dispatchedAt: status === 'reported' ? undefined : now,
      acceptedAt: takenAtDesk ? now : undefined,
      createdAt: now,
      updatedAt: now,
    };
    const order = await this.insert(em, data);
    if (!order) {
      // Another transaction opened an order under the same key first: this report joins it.
      const holder = openKey !== undefined ? await em.findOne(WorkOrder, { openKey }) : null;
      if (!holder) throw DomainError.conflict('could not give the work order a unique number; try again');
      return this.attach(em, holder, input, actor);
    }

    const history = new OrderHistory(this.audit, em);
    history.add(order, {
      action: 'created',
      actor,
      to: 'reported',
      text: title,
      details: {
        number: order.number,
        source,
        category,
        type,
        severity,
        alertId: input.alertId ?? null,
        deviceId: place.device?.id ?? null,
        meetingDecisionId: input.meetingDecisionId ?? null,
        sla: { terms: terms.source, acceptDueAt: order.acceptDueAt?.toISOString() ?? null, resolveDueAt: order.resolveDueAt?.toISOString() ?? null },
      },
    });
    const notified = await this.notices.send(em, order, 'created', routedRecipients(order));
    history.add(order, {
      action: 'routed',
      actor: input.route === 'auto' ? SYSTEM_ACTOR : actor,
      from: 'reported',
      to: status,
      text: routedText(decision, order),
      details: { targets: decision.targets, reason: decision.reason, rule: decision.rule ?? null, notified },
    });
    await this.outbox.enqueue(em, armTimers(order, terms, now));
    await em.flush();
    return { workOrderId: order.id, attached: false };
  }

  /** An action item's progress in percent (0-100), recorded in its history. */
  async setProgress(em: EntityManager, orderId: string, percent: number, actor: Actor): Promise<void> {
    const value = assertPercent(percent);
    const order = await em.findOne(WorkOrder, { id: assertId(orderId, 'orderId') });
    if (!order) throw DomainError.notFound('work order', orderId);
    transition('progress', order);
    const before = order.progress ?? null;
    if (before === value) return;
    order.progress = value;
    new OrderHistory(this.audit, em).add(order, { action: 'progress', actor, text: `${before ?? 0}% → ${value}%`, details: { from: before, to: value } });
    await em.flush();
  }

  /** A later alert or report about what an open (or fixed, not yet closed) order already covers. */
  private async attach(em: EntityManager, holder: WorkOrder, input: OpenWorkOrderInput, actor: Actor): Promise<OpenWorkOrderResult> {
    const now = new Date();
    // Atomic: concurrent alerts each count.
    await em
      .createQueryBuilder(WorkOrder)
      .update({ ...(input.alertId ? { alertCount: raw('alert_count + 1') } : {}), updatedAt: now })
      .where({ id: holder.id })
      .execute();
    new OrderHistory(this.audit, em).add(holder, {
      action: 'attached',
      actor,
      text: fitTitle(input.title),
      details: {
        source: input.source,
        type: input.type,
        alertId: input.alertId ?? null,
        reporterAccountId: input.reporterAccountId ?? null,
        meetingDecisionId: input.meetingDecisionId ?? null,
        status: holder.status,
      },
    });
    await em.flush();
    return { workOrderId: holder.id, attached: true };
  }

  /**
   * Inserts inside a savepoint: a unique violation (another open order holds the key) rolls back
   * only the insert, and the caller's transaction goes on to attach. Undefined: the key is taken.
   */
  private async insert(em: EntityManager, data: RequiredEntityData<WorkOrder>): Promise<WorkOrder | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await em.transactional(async (tx) => {
          const order = tx.create(WorkOrder, data);
          await tx.flush();
          return order;
        });
      } catch (error: unknown) {
        if (!(error instanceof UniqueConstraintViolationException)) throw error;
        if (data.openKey && (await em.count(WorkOrder, { openKey: data.openKey })) > 0) return undefined;
        if (attempt >= NUMBER_ATTEMPTS) throw new DomainError('conflict', 'could not give the work order a unique number; try again', [], { cause: error });
        data.number = workOrderNumber(new Date());
      }
    }
  }
}

function routedText(decision: RoutingDecision, order: WorkOrder): string {
  if (order.status === 'accepted' && order.source === 'desk') return decision.reason;
  return decision.targets.length === 0 ? `nobody routed: ${decision.reason}` : decision.reason;
}

async function resolvePlace(em: EntityManager, input: OpenWorkOrderInput): Promise<Place> {
  const community = await em.findOne(OrgUnit, { id: assertId(input.communityId, 'communityId') });
  if (!community) throw DomainError.validation(`unknown community ${input.communityId}`, 'communityId');
  if (community.level !== OrgLevel.Community) throw DomainError.validation(`unit ${community.code} is a ${community.level}, not a community`, 'communityId');
  const place: Place = { community };
  if (input.compoundId) {
    const compound = await em.findOne(Compound, { id: assertId(input.compoundId, 'compoundId') }, { populate: ['propertyCompany'] });
    if (!compound) throw DomainError.validation(`unknown compound ${input.compoundId}`, 'compoundId');
    if (compound.community.id !== community.id) throw DomainError.validation(`compound ${compound.code} is not in community ${community.code}`, 'compoundId');
    place.compound = compound;
  }
  if (input.gridId) {
    const grid = await em.findOne(OrgUnit, { id: assertId(input.gridId, 'gridId') });
    if (!grid) throw DomainError.validation(`unknown grid ${input.gridId}`, 'gridId');
    if (grid.level !== OrgLevel.Grid || grid.parent?.id !== community.id) throw DomainError.validation(`unit ${grid.code} is not a grid of community ${community.code}`, 'gridId');
    place.grid = grid;
  }
  if (input.deviceId) {
    const device = await em.findOne(Device, { id: assertId(input.deviceId, 'deviceId') });
    if (!device) throw DomainError.validation(`unknown device ${input.deviceId}`, 'deviceId');
    place.device = device;
  }
  return place;
}

async function loadAccounts(em: EntityManager, input: OpenWorkOrderInput): Promise<{ assignee?: Account; owner?: Account; reporter?: Account }> {
  const wanted = { assignee: input.assigneeAccountId, owner: input.ownerAccountId, reporter: input.reporterAccountId };
  const ids = [...new Set(Object.values(wanted).filter((id): id is string => id !== undefined))];
  if (ids.length === 0) return {};
  ids.forEach((id) => assertId(id, 'accountId'));
  const accounts = await em.find(Account, { id: { $in: ids } });
  const pick = (id: string | undefined, field: string): Account | undefined => {
    if (id === undefined) return undefined;
    const account = accounts.find((a) => a.id === id);
    if (!account) throw DomainError.validation(`unknown account ${id}`, field);
    return account;
  };
  return {
    assignee: pick(wanted.assignee, 'assigneeAccountId'),
    owner: pick(wanted.owner, 'ownerAccountId'),
    reporter: pick(wanted.reporter, 'reporterAccountId'),
  };
}
