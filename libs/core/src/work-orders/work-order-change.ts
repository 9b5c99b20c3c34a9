import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { LockMode } from '@mikro-orm/core';
import { AuditLog } from '../audit/audit-log';
import { Actor, actorOf } from '../audit/actor';
import { assertPermission, Principal } from '../identity/principal';
import { Permission } from '../identity/roles';
import { Outbox } from '../outbox/outbox';
import { DomainError } from '../shared/domain-error';
import { WorkOrder } from './entities/work-order.entity';
import { viewerOf, WorkOrderViewer, workOrderVisible } from './work-order-access';
import { OrderHistory } from './work-order-history';
import { assertId } from './work-order-input';

/** Relations a work-order view shows. */
export const ORDER_VIEW_POPULATE = [
  'community',
  'compound',
  'grid',
  'device',
  'assignedGridWorker',
  'assignedCompany',
  'assignee',
  'owner',
  'reporter',
  'levelUnit',
] as const;

/** Everything a change needs: the locked order, who acts, and where its history goes. */
export interface ChangeContext {
  em: EntityManager;
  order: WorkOrder;
  principal: Principal;
  viewer: WorkOrderViewer;
  actor: Actor;
  history: OrderHistory;
  now: Date;
}

/**
 * Runs one person's change to one order: permission, own fork and transaction, the order row
 * locked, not visible → 404, then the change; the outbox relay is woken after the commit.
 */
@Injectable()
export class WorkOrderChanges {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
  ) {}

  async run(principal: Principal, id: string, permission: Permission, change: (ctx: ChangeContext) => Promise<void>): Promise<WorkOrder> {
    assertPermission(principal, permission);
    assertId(id, 'id');
    const order = await this.em.fork().transactional(async (em) => {
      const locked = await em.findOne(WorkOrder, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const viewer = await viewerOf(em, principal);
      if (!locked || !workOrderVisible(viewer, locked)) throw DomainError.notFound('work order', id);
      await change({ em, order: locked, principal, viewer, actor: actorOf(principal), history: new OrderHistory(this.audit, em), now: new Date() });
      await em.flush();
      await em.populate(locked, ORDER_VIEW_POPULATE);
      return locked;
    });
    this.outbox.committed();
    return order;
  }
}
