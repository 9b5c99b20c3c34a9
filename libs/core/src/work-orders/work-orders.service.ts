import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { DATABASE_SETTINGS, DatabaseSettings, driverOf } from '@sc/database';
import { raw, RequiredEntityData } from '@mikro-orm/core';
import { AuditLog, AuditRecord } from '../audit/audit-log';
import { Actor, SYSTEM_ACTOR } from '../audit/actor';
import { AlertSeverity } from '../devices/device-type';
import { DirectDeliveries } from '../delivery/direct-deliveries';
import { Device } from '../devices/entities/device.entity';
import { Account } from '../identity/entities/account.entity';
import { Compound } from '../org/entities/compound.entity';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { OrgLevel } from '../org/org-level';
import { Outbox } from '../outbox/outbox';
import { DomainError } from '../shared/domain-error';
import { compareText } from '../shared/compare-text';
import { insertEntities } from '../shared/insert-rows';
import { PlannedWrites } from '../shared/planned-writes';
import { Dialect, inList, queryRows } from '../telemetry/sql';
import { loadedOrFind } from '../shared/loaded-or-find';
import { ReferenceCache } from '../shared/reference-cache';
import { WorkOrder } from './entities/work-order.entity';
import { OpenWorkOrderInput, OpenWorkOrderResult } from './open-work-order';
import { armTimers } from './sla-clock';
import { SlaPolicies } from './sla-policies.service';
import { addSeconds, atLevel, SlaTerms } from './sla-terms';
import { OrderHistory } from './work-order-history';
import { assertCategory, assertId, assertPercent, assertSeverity, assertSource, assertType, fitTitle } from './work-order-input';
import { routedRecipients, WorkOrderNotices } from './work-order-notices';
import { ExplicitRoute, RoutingDecision, WorkOrderRouter } from './work-order-router';
import { WorkOrderSource, WorkOrderStatus } from './work-order-states';
import { transition } from './work-order-transitions';

/** One order to open and who opens it. */
export interface OpenRequest {
  input: OpenWorkOrderInput;
  actor: Actor;
}

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
  private readonly dialect: Dialect;

  constructor(
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
    private readonly router: WorkOrderRouter,
    private readonly sla: SlaPolicies,
    private readonly notices: WorkOrderNotices,
    private readonly reference: ReferenceCache,
    @Inject(DATABASE_SETTINGS) settings: DatabaseSettings,
  ) {
    this.dialect = driverOf(settings);
  }

  async open(em: EntityManager, input: OpenWorkOrderInput, actor: Actor): Promise<OpenWorkOrderResult> {
    return (await this.openMany(em, [{ input, actor }]))[0];
  }

  /**
   * open() for a batch (the worker routes alerts in batches): places, routing, SLA terms and
   * accounts are read with one query each for the whole batch, the orders, their history,
   * deliveries and timers written with one multi-row insert each. Requests of the batch that
   * share an openKey make one order; the later ones attach to it. Any invalid request fails the
   * whole batch (the caller retries one by one). `direct`: the caller sends the new orders'
   * deliveries itself after its commit (Notifier.notifyMany). The orders' deliveries, outbox
   * jobs, timers and history go to the database together (PlannedWrites: one round trip on
   * PostgreSQL), here or, given `writes`, with the caller's own writes when it runs them.
   */
  async openMany(
    em: EntityManager,
    requests: readonly OpenRequest[],
    options: { direct?: DirectDeliveries; writes?: PlannedWrites } = {},
  ): Promise<OpenWorkOrderResult[]> {
    const writes = options.writes ?? new PlannedWrites();
    const checked = requests.map(checkRequest);
    await em.flush();
    const results: (OpenWorkOrderResult | undefined)[] = requests.map(() => undefined);

    const keys = [...new Set(checked.flatMap((c) => c.openKey ?? []))];
    const holders = new Map((keys.length > 0 ? await em.find(WorkOrder, { openKey: { $in: keys } }) : []).map((o) => [o.openKey!, o]));
    // The first request of a free key opens the order; the rest of the key join it below.
    const opening: number[] = [];
    const joining: number[] = [];
    const claimed = new Set<string>();
    checked.forEach((c, i) => {
      if (c.openKey === undefined) opening.push(i);
      else if (holders.has(c.openKey) || claimed.has(c.openKey)) joining.push(i);
      else {
        claimed.add(c.openKey);
        opening.push(i);
      }
    });

    const now = new Date();
    const openingInputs = opening.map((i) => checked[i]);
    const places = await resolvePlaces(em, this.reference, openingInputs.map((c) => c.input));
    const autoRouted = openingInputs.flatMap((c, k) => (c.input.route === 'auto' ? [k] : []));
    const autoDecisions = await this.router.decideMany(
      em,
      autoRouted.map((k) => ({ source: openingInputs[k].source, category: openingInputs[k].category, severity: openingInputs[k].severity, ...places[k] })),
    );
    const decisions: RoutingDecision[] = [];
    for (const [k, c] of openingInputs.entries()) {
      const auto = autoRouted.indexOf(k);
      decisions.push(auto >= 0 ? autoDecisions[auto] : await this.router.explicit(em, c.input.route as ExplicitRoute, places[k].community));
    }
    const terms = await this.sla.termsForMany(
      em,
      openingInputs.map((c) => ({ category: c.category, severity: c.severity, documentsComplete: c.input.documentsComplete })),
    );
    const accounts = await loadAccounts(em, openingInputs.map((c) => c.input));

    const inserted = await this.insert(
      em,
      openingInputs.map((c, k) => planOrder(c, places[k], decisions[k], terms[k], accounts[k], now)),
    );

    const history = new OrderHistory(this.audit, em);
    const entries: AuditRecord[] = [];
    const created: { k: number; order: WorkOrder }[] = [];
    inserted.forEach((order, k) => {
      const i = opening[k];
      if (!order) {
        // Another transaction opened an order under the same key first: this report joins it.
        joining.push(i);
        return;
      }
      results[i] = { workOrderId: order.id, attached: false };
      created.push({ k, order });
      const { input, source, category, type, severity, title } = openingInputs[k];
      entries.push(history.entry(order, {
        action: 'created',
        actor: requests[i].actor,
        to: 'reported',
        text: title,
        details: {
          number: order.number,
          source,
          category,
          type,
          severity,
          alertId: input.alertId ?? null,
          deviceId: places[k].device?.id ?? null,
          meetingDecisionId: input.meetingDecisionId ?? null,
          sla: { terms: terms[k].source, acceptDueAt: order.acceptDueAt?.toISOString() ?? null, resolveDueAt: order.resolveDueAt?.toISOString() ?? null },
        },
      }));
    });
    const notified = await this.notices.sendMany(
      em,
      created.map(({ order }) => ({ order, event: 'created' as const, recipients: routedRecipients(order) })),
      { newOrders: true, direct: options.direct, writes },
    );
    created.forEach(({ k, order }, n) => {
      const { input } = openingInputs[k];
      entries.push(
        history.entry(order, {
          action: 'routed',
          actor: input.route === 'auto' ? SYSTEM_ACTOR : requests[opening[k]].actor,
          from: 'reported',
          to: order.status,
          text: routedText(decisions[k], order),
          details: { targets: decisions[k].targets, reason: decisions[k].reason, rule: decisions[k].rule ?? null, notified: notified[n] },
        }),
      );
    });
    writes.add(this.audit.statements(em, entries));
    this.outbox.plan(em, writes, created.flatMap(({ k, order }) => armTimers(order, terms[k], now)));
    if (!options.writes) await writes.run(em, this.dialect);

    if (joining.length > 0) {
      const openedHere = new Map(created.flatMap(({ order }): [string, WorkOrder][] => (order.openKey ? [[order.openKey, order]] : [])));
      const missingKeys = joining.map((i) => checked[i].openKey!).filter((key) => !holders.has(key) && !openedHere.has(key));
      if (missingKeys.length > 0) for (const order of await em.find(WorkOrder, { openKey: { $in: [...new Set(missingKeys)] } })) holders.set(order.openKey!, order);
      for (const i of joining.sort((a, b) => a - b)) {
        const key = checked[i].openKey!;
        const holder = openedHere.get(key) ?? holders.get(key);
        if (!holder) throw DomainError.conflict('could not give the work order a unique number; try again');
        results[i] = await this.attach(em, holder, requests[i].input, requests[i].actor);
      }
    }
    return results.map((r) => r!);
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
   * One multi-row insert of detached entities (insertEntities: no unit-of-work bookkeeping,
   * values bound rather than formatted into the SQL). Keys held by open orders were sent to
   * attach before; a row refused now (ON CONFLICT DO NOTHING) lost its key to a concurrent
   * transaction just now, or its number collided: nothing else is disturbed (no savepoint, no
   * failed batch). The first joins the key's holder (undefined entry); the second gets a new
   * number and goes again.
   */
  private async insert(em: EntityManager, rows: RequiredEntityData<WorkOrder>[]): Promise<(WorkOrder | undefined)[]> {
    const orders = rows.map((data) => em.create(WorkOrder, data, { persist: false }));
    const inserted = new Set<string>();
    let pending = orders;
    for (let attempt = 1; pending.length > 0; attempt++) {
      // In key order: two batches waiting for each other's keys would deadlock otherwise.
      const byKey = [...pending].sort((a, b) => compareText(a.openKey ?? '', b.openKey ?? ''));
      const written = await insertEntities<WorkOrder, { id: string }>(em, this.dialect, WorkOrder, byKey, { onConflict: 'do nothing', returning: ['id'] });
      for (const row of written) inserted.add(row.id);
      const refused = pending.filter((order) => !inserted.has(order.id));
      if (refused.length === 0) break;
      const keys = refused.flatMap((order) => order.openKey ?? []);
      const held = new Set<string>();
      if (keys.length > 0) {
        const where = inList(this.dialect, 'open_key', keys, 'text');
        for (const row of await queryRows<{ open_key: string }>(em, `select open_key from work_orders where ${where.sql}`, where.bindings)) held.add(row.open_key);
      }
      pending = refused.filter((order) => !order.openKey || !held.has(order.openKey));
      if (pending.length > 0 && attempt >= NUMBER_ATTEMPTS) throw DomainError.conflict('could not give the work order a unique number; try again');
      for (const order of pending) order.number = workOrderNumber(new Date());
    }
    return orders.map((order) => (inserted.has(order.id) ? order : undefined));
  }
}

function routedText(decision: RoutingDecision, order: WorkOrder): string {
  if (order.status === 'accepted' && order.source === 'desk') return decision.reason;
  return decision.targets.length === 0 ? `nobody routed: ${decision.reason}` : decision.reason;
}

/** Each input's place, with at most one query per kind (units, compounds, devices) for the batch; units and compounds through the reference cache. */
async function resolvePlaces(em: EntityManager, reference: ReferenceCache, inputs: readonly OpenWorkOrderInput[]): Promise<Place[]> {
  if (inputs.length === 0) return [];
  const idsOf = (pick: (input: OpenWorkOrderInput) => string | undefined, field: string) =>
    [...new Set(inputs.flatMap((input) => {
      const id = pick(input);
      return id === undefined || id === '' ? [] : [assertId(id, field)];
    }))];
  const communityIds = idsOf((i) => i.communityId, 'communityId');
  const compoundIds = idsOf((i) => i.compoundId, 'compoundId');
  const gridIds = idsOf((i) => i.gridId, 'gridId');
  const deviceIds = idsOf((i) => i.deviceId, 'deviceId');
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
  const units = await reference.entities(em, OrgUnit, 'org_unit', [...communityIds, ...gridIds], async (ids) => byId(await em.find(OrgUnit, { id: { $in: ids } })));
  const compounds = await reference.entities(em, Compound, 'compound', compoundIds, async (ids) =>
    byId(await em.find(Compound, { id: { $in: ids } }, { populate: ['propertyCompany'] })),
  );
  const devices = await loadedOrFind(em, Device, deviceIds, (ids) => em.find(Device, { id: { $in: ids } }));

  return inputs.map((input) => {
    const community = units.get(assertId(input.communityId, 'communityId'));
    if (!community) throw DomainError.validation(`unknown community ${input.communityId}`, 'communityId');
    if (community.level !== OrgLevel.Community) throw DomainError.validation(`unit ${community.code} is a ${community.level}, not a community`, 'communityId');
    const place: Place = { community };
    if (input.compoundId) {
      const compound = compounds.get(input.compoundId);
      if (!compound) throw DomainError.validation(`unknown compound ${input.compoundId}`, 'compoundId');
      if (compound.community.id !== community.id) throw DomainError.validation(`compound ${compound.code} is not in community ${community.code}`, 'compoundId');
      place.compound = compound;
    }
    if (input.gridId) {
      const grid = units.get(input.gridId);
      if (!grid) throw DomainError.validation(`unknown grid ${input.gridId}`, 'gridId');
      if (grid.level !== OrgLevel.Grid || grid.parent?.id !== community.id) throw DomainError.validation(`unit ${grid.code} is not a grid of community ${community.code}`, 'gridId');
      place.grid = grid;
    }
    if (input.deviceId) {
      const device = devices.get(input.deviceId);
      if (!device) throw DomainError.validation(`unknown device ${input.deviceId}`, 'deviceId');
      place.device = device;
    }
    return place;
  });
}

interface OrderAccounts {
  assignee?: Account;
  owner?: Account;
  reporter?: Account;
}

/** Each input's named accounts, with one query for the batch. */
async function loadAccounts(em: EntityManager, inputs: readonly OpenWorkOrderInput[]): Promise<OrderAccounts[]> {
  const wantedOf = (input: OpenWorkOrderInput) => ({ assignee: input.assigneeAccountId, owner: input.ownerAccountId, reporter: input.reporterAccountId });
  const ids = [...new Set(inputs.flatMap((input) => Object.values(wantedOf(input)).filter((id): id is string => id !== undefined)))];
  ids.forEach((id) => assertId(id, 'accountId'));
  const accounts = ids.length > 0 ? await em.find(Account, { id: { $in: ids } }) : [];
  return inputs.map((input) => {
    const wanted = wantedOf(input);
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
  });
}

interface CheckedRequest {
  input: OpenWorkOrderInput;
  source: WorkOrderSource;
  category: string;
  type: string;
  severity: AlertSeverity;
  title: string;
  openKey?: string;
}

function checkRequest({ input }: OpenRequest): CheckedRequest {
  const openKey = input.openKey?.trim() || undefined;
  if (openKey !== undefined && openKey.length > 160) throw DomainError.validation('openKey is longer than 160 characters', 'openKey');
  return {
    input,
    source: assertSource(input.source),
    category: assertCategory(input.category),
    type: assertType(input.type),
    severity: assertSeverity(input.severity),
    title: fitTitle(input.title),
    openKey,
  };
}

/** The new order's row: status, assignment and deadlines from its routing, terms and accounts. */
function planOrder(c: CheckedRequest, place: Place, decision: RoutingDecision, terms: SlaTerms, accounts: OrderAccounts, now: Date): RequiredEntityData<WorkOrder> {
  const { input, source } = c;
  // 首问负责: a desk request is taken at once by the worker who was asked, and stays theirs.
  const takenAtDesk = source === 'desk' && (accounts.owner ?? accounts.assignee) !== undefined;
  // A person named as assignee (an action item's owner) counts as dispatched even when no routing target applies.
  const status: WorkOrderStatus = takenAtDesk ? 'accepted' : decision.targets.length > 0 || accounts.assignee !== undefined ? 'dispatched' : 'reported';
  const deadlines = atLevel(terms, 'community');
  const resolveFrom = input.scheduledAt ?? now;
  return {
    number: workOrderNumber(now),
    openKey: c.openKey ?? null,
    source,
    category: c.category,
    type: c.type,
    severity: c.severity,
    title: c.title,
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
}
