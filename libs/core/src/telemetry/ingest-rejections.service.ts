import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery } from '@mikro-orm/core';
import { RejectionReason } from '@sc/messaging/mqtt/rejection';
import { findVisibleDevice } from '../devices/device-access';
import { deviceScopeFilter } from '../devices/device-scope';
import { Scope } from '../org/scope';
import { Page, PageQuery, pageWindow } from '../shared/paging';
import { IngestRejection } from './entities/ingest-rejection.entity';

export interface RejectionQuery extends PageQuery {
  reason?: RejectionReason;
  deviceId?: string;
  /** Received at or after. */
  from?: Date;
}

/**
 * The quarantine as operators read it, newest first. A row linked to a registered device is
 * visible to whoever sees the device; a row no device can be tied to (an unknown device id, an
 * unreadable topic) only to administrators, since nothing places it in anyone's scope.
 */
@Injectable()
export class IngestRejectionsService {
  constructor(private readonly em: EntityManager) {}

  async list(scope: Scope, query: RejectionQuery): Promise<Page<IngestRejection>> {
    const em = this.em.fork();
    const { limit, offset } = pageWindow(query);
    const and: FilterQuery<IngestRejection>[] = [];
    if (query.deviceId !== undefined) {
      const device = await findVisibleDevice(em, scope, query.deviceId);
      and.push({ device: device.id });
    } else if (!scope.all) {
      and.push({ device: deviceScopeFilter(scope) } as FilterQuery<IngestRejection>);
    }
    if (query.reason !== undefined) and.push({ reason: query.reason });
    if (query.from !== undefined) and.push({ receivedAt: { $gte: query.from } });
    const [items, total] = await em.findAndCount(IngestRejection, and.length > 0 ? { $and: and } : {}, {
      orderBy: { receivedAt: 'desc', id: 'desc' },
      limit,
      offset,
    });
    return { items, total, limit, offset };
  }
}
