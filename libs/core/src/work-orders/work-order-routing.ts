import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { Alert } from '../alerts/entities/alert.entity';
import { deviceActor } from '../audit/actor';
import { Outbox } from '../outbox/outbox';
import { WorkOrdersService } from './work-orders.service';

/** Thrown inside the transaction to roll it back when a concurrent run routed the alert first. */
class AlreadyRouted extends Error {}

/** Turns a committed alert into a work order, or attaches it to the open one (the worker's alert.route job). */
@Injectable()
export class WorkOrderRouting {
  constructor(
    private readonly em: EntityManager,
    private readonly workOrders: WorkOrdersService,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Idempotent: an alert already routed is a no-op. Own fork and transaction. Returns the work
   * order the alert became or joined, or undefined when the alert is unknown.
   */
  async routeAlert(alertId: string): Promise<string | undefined> {
    const em = this.em.fork();
    let routed: string | undefined;
    try {
      routed = await em.transactional(async (tx) => {
        const alert = await tx.findOne(Alert, { id: alertId }, { populate: ['device'] });
        if (!alert) return undefined;
        if (alert.workOrderId) return alert.workOrderId;
        const device = alert.device;
        const where = device.location ?? device.name ?? device.code;
        const result = await this.workOrders.open(
          tx,
          {
            source: 'alert',
            category: alert.category,
            type: alert.alertType,
            severity: alert.severity,
            title: `${alert.nameZh} · ${where}`,
            communityId: alert.community.id,
            compoundId: alert.compound?.id,
            gridId: alert.grid?.id,
            deviceId: device.id,
            alertId: alert.id,
            openKey: `${device.id}/${alert.alertType}`,
            route: 'auto',
          },
          deviceActor(device.id, device.code),
        );
        // Claims the alert: a concurrent run of the same job waits on the row, then finds it taken and rolls back.
        const claimed = await tx.nativeUpdate(Alert, { id: alert.id, workOrderId: null }, { workOrderId: result.workOrderId, updatedAt: new Date() });
        if (claimed === 0) throw new AlreadyRouted();
        return result.workOrderId;
      });
    } catch (error: unknown) {
      if (error instanceof AlreadyRouted) return (await this.em.fork().findOne(Alert, { id: alertId }))?.workOrderId ?? undefined;
      throw error;
    }
    this.outbox.committed();
    return routed;
  }
}
