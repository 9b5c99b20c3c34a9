import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { Principal } from '../identity/principal';
import { isUuid } from '../org/org-errors';
import { DomainError } from '../shared/domain-error';
import { Page, PageQuery, pageWindow } from '../shared/paging';
import { DELIVERY_STATUSES } from './delivery-labels';
import { targetScopeFilter, targetVisible } from './delivery-target-scope';
import { Delivery, DeliveryStatus } from './entities/delivery.entity';
import { DeliveryTarget } from './entities/delivery-target.entity';

export interface DeliveryListQuery extends PageQuery {
  subjectId?: string;
  status?: DeliveryStatus;
  targetId?: string;
}

/** A delivery with the target it went to (null when the target was deleted since). */
export interface DeliveryRow {
  delivery: Delivery;
  target: Pick<DeliveryTarget, 'id' | 'name' | 'channel' | 'ownerKind' | 'ownerId'> | null;
}

/** Reading deliveries: a delivery is visible to whoever sees its target (scoped through the target's owner). */
@Injectable()
export class DeliveriesService {
  constructor(private readonly em: EntityManager) {}

  async list(principal: Principal, query: DeliveryListQuery): Promise<Page<DeliveryRow>> {
    const { limit, offset } = pageWindow(query);
    if (query.subjectId !== undefined && !isUuid(query.subjectId)) throw DomainError.validation('subjectId must be a UUID', 'subjectId');
    if (query.targetId !== undefined && !isUuid(query.targetId)) throw DomainError.validation('targetId must be a UUID', 'targetId');
    if (query.status !== undefined && !DELIVERY_STATUSES.includes(query.status)) {
      throw DomainError.validation(`status must be one of ${DELIVERY_STATUSES.join(', ')}`, 'status');
    }
    const em = this.em.fork();
    if (query.targetId !== undefined) {
      // A target outside the caller's scope is not found, rather than an empty page.
      const target = await em.findOne(DeliveryTarget, { id: query.targetId });
      if (!target || !targetVisible(principal, target)) throw DomainError.notFound('delivery target', query.targetId, 'targetId');
    }
    const qb = em.createQueryBuilder(Delivery, 'd');
    if (!principal.scope.all) {
      const visibleTargets = em.createQueryBuilder(DeliveryTarget, 't').select('t.id').where(targetScopeFilter(principal));
      qb.where({ targetId: { $in: visibleTargets.getKnexQuery() } });
    }
    if (query.subjectId !== undefined) qb.andWhere({ subjectId: query.subjectId });
    if (query.targetId !== undefined) qb.andWhere({ targetId: query.targetId });
    if (query.status !== undefined) qb.andWhere({ status: query.status });
    qb.orderBy({ createdAt: 'desc', id: 'desc' }).limit(limit).offset(offset);
    const [deliveries, total] = await qb.getResultAndCount();
    const targetIds = [...new Set(deliveries.map((d) => d.targetId))];
    const targets = targetIds.length > 0 ? await em.find(DeliveryTarget, { id: { $in: targetIds } }) : [];
    const byId = new Map(targets.map((t) => [t.id, t]));
    return {
      items: deliveries.map((delivery) => {
        const target = byId.get(delivery.targetId);
        return {
          delivery,
          target: target ? { id: target.id, name: target.name, channel: target.channel, ownerKind: target.ownerKind, ownerId: target.ownerId } : null,
        };
      }),
      total,
      limit,
      offset,
    };
  }
}
