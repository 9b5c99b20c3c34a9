import { randomBytes } from 'node:crypto';
import type { JobIntent } from '@sc/messaging';
import { Alert } from '@sc/core/alerts/entities/alert.entity';
import { AuditEntry } from '@sc/core/audit/entities/audit-entry.entity';
import { SYSTEM_ACTOR } from '@sc/core/audit/actor';
import { Delivery } from '@sc/core/delivery/entities/delivery.entity';
import { DeliveryOwnerKind, DeliveryTarget } from '@sc/core/delivery/entities/delivery-target.entity';
import { Device } from '@sc/core/devices/entities/device.entity';
import { AlertCategory, AlertSeverity } from '@sc/core/devices/device-type';
import { Account } from '@sc/core/identity/entities/account.entity';
import { Role } from '@sc/core/identity/roles';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { GridWorker } from '@sc/core/org/entities/grid-worker.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { OutboxEntry } from '@sc/core/outbox/entities/outbox-entry.entity';
import { hashToken, generateSecret } from '@sc/core/shared/secret-hash';
import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import { OpenWorkOrderInput } from '@sc/core/work-orders/open-work-order';
import { WorkOrderRouting } from '@sc/core/work-orders/work-order-routing';
import { WorkOrdersService } from '@sc/core/work-orders/work-orders.service';
import { Outbox } from '@sc/core/outbox/outbox';
import { OrgChain } from '@sc/testing';
import type { TestApp } from '../support/test-app';

export function suffix(): string {
  return randomBytes(4).toString('hex');
}

/** Rows for work-order tests, written straight through the ORM; the work-order code under test goes through the API or its services. */
export class WorkOrderWorld {
  constructor(readonly t: TestApp) {}

  async gridWorker(grid: OrgUnit, fields: Partial<Pick<GridWorker, 'code' | 'name' | 'fullTime' | 'active'>> = {}): Promise<GridWorker> {
    const em = this.t.em();
    const worker = em.create(GridWorker, {
      code: fields.code ?? `G-${suffix()}`,
      name: fields.name ?? `网格员${suffix()}`,
      grid: em.getReference(OrgUnit, grid.id),
      fullTime: fields.fullTime ?? true,
      active: fields.active ?? true,
    });
    await em.flush();
    return worker;
  }

  /** An account on the roster of a grid: the grid worker role anchored at the grid, linked to the roster entry. */
  async gridWorkerAccount(chain: OrgChain, worker: GridWorker): Promise<{ account: Account; header: string }> {
    const { account, username, password } = await this.t.factories.newAccount(Role.GridWorker, { orgUnit: chain.grid });
    const em = this.t.em();
    await em.nativeUpdate(Account, { id: account.id }, { gridWorker: worker.id });
    return { account, header: await this.t.login(username, password) };
  }

  async login(role: Role, anchor: Parameters<TestApp['factories']['newAccount']>[1]): Promise<{ account: Account; header: string }> {
    const { account, username, password } = await this.t.factories.newAccount(role, anchor);
    return { account, header: await this.t.login(username, password) };
  }

  async device(chain: OrgChain, type: string, fields: { inCompound?: boolean; location?: string } = {}): Promise<Device> {
    const em = this.t.em();
    const inCompound = fields.inCompound ?? true;
    const device = em.create(Device, {
      code: `dev-${suffix()}`,
      type,
      community: em.getReference(OrgUnit, chain.community.id),
      compound: inCompound ? em.getReference(Compound, chain.compound.id) : undefined,
      grid: em.getReference(OrgUnit, chain.grid.id),
      location: fields.location ?? '2单元3楼楼道',
      credentialHash: hashToken(generateSecret('scd')),
    });
    await em.flush();
    return device;
  }

  /** An alert as the rule engine would have committed it. */
  async alert(
    device: Device,
    fields: { alertType: string; severity: AlertSeverity; category: AlertCategory; nameZh?: string; sourceMsgId?: string; open?: boolean },
  ): Promise<Alert> {
    const em = this.t.em();
    const loaded = await em.findOneOrFail(Device, { id: device.id }, { populate: ['community'] });
    const now = new Date();
    const alert = em.create(Alert, {
      openKey: fields.open === false ? null : `${device.id}/${fields.alertType}`,
      device: loaded,
      alertType: fields.alertType,
      ruleKind: 'event',
      nameZh: fields.nameZh ?? '告警',
      nameEn: 'Alert',
      severity: fields.severity,
      category: fields.category,
      community: loaded.community,
      communityPath: loaded.community.path,
      compound: loaded.compound,
      grid: loaded.grid,
      raisedAt: now,
      lastSeenAt: now,
      sourceMsgId: fields.sourceMsgId ?? `msg-${suffix()}`,
    });
    await em.flush();
    return alert;
  }

  async target(ownerKind: DeliveryOwnerKind, ownerId: string): Promise<DeliveryTarget> {
    const em = this.t.em();
    const target = em.create(DeliveryTarget, { ownerKind, ownerId, channel: 'webhook', name: `${ownerKind} hook`, url: `http://127.0.0.1:9/${ownerKind}/${ownerId}` });
    await em.flush();
    return target;
  }

  async route(alertId: string): Promise<WorkOrder> {
    const id = await this.t.app.get(WorkOrderRouting).routeAlert(alertId);
    if (!id) throw new Error(`alert ${alertId} was not routed`);
    return this.order(id);
  }

  /** Opens an order through the service, as the other features do, in its own transaction. */
  async open(input: OpenWorkOrderInput): Promise<WorkOrder> {
    const service = this.t.app.get(WorkOrdersService);
    const result = await this.t.em().transactional((em) => service.open(em, input, SYSTEM_ACTOR));
    this.t.app.get(Outbox).committed();
    return this.order(result.workOrderId);
  }

  async order(id: string): Promise<WorkOrder> {
    return this.t.em().findOneOrFail(WorkOrder, { id }, { populate: ['assignedGridWorker', 'assignedCompany', 'assignee', 'owner', 'levelUnit'] });
  }

  async history(orderId: string): Promise<AuditEntry[]> {
    return this.t.em().find(AuditEntry, { subjectType: 'work_order', subjectId: orderId }, { orderBy: { at: 'asc', id: 'asc' } });
  }

  async deliveries(orderId: string): Promise<Delivery[]> {
    return this.t.em().find(Delivery, { subjectId: orderId }, { orderBy: { createdAt: 'asc' } });
  }

  /** Outbox intents about one order (its timers), oldest first. */
  async timers(orderId: string): Promise<JobIntent[]> {
    const rows = await this.t.em().find(OutboxEntry, {}, { orderBy: { seq: 'asc' } });
    return rows.map((r) => r.intent).filter((i) => i.name !== 'delivery.send' && i.jobId.includes(orderId));
  }
}
