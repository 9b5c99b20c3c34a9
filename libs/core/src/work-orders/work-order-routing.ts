import { Inject, Injectable } from '@nestjs/common';
import { DATABASE_SETTINGS, DatabaseSettings, driverOf } from '@sc/database';
import { EntityManager } from '@mikro-orm/knex';
import { LoadStrategy, LockMode } from '@mikro-orm/core';
import { Alert } from '../alerts/entities/alert.entity';
import { deviceActor } from '../audit/actor';
import { DirectDeliveries } from '../delivery/direct-deliveries';
import { Outbox } from '../outbox/outbox';
import { BatchResults } from '../shared/coalescer';
import { PlannedWrites } from '../shared/planned-writes';
import { Binding, Dialect, placeholders, Statement } from '../telemetry/sql';
import { OpenRequest, WorkOrdersService } from './work-orders.service';

/** Turns committed alerts into work orders, or attaches them to the open ones (the worker's alert.route jobs). */
@Injectable()
export class WorkOrderRouting {
  private readonly dialect: Dialect;

  constructor(
    private readonly em: EntityManager,
    private readonly workOrders: WorkOrdersService,
    private readonly outbox: Outbox,
    @Inject(DATABASE_SETTINGS) settings: DatabaseSettings,
  ) {
    this.dialect = driverOf(settings);
  }

  /** One alert; see routeAlerts. */
  async routeAlert(alertId: string): Promise<string | undefined> {
    const result = (await this.routeAlerts([alertId])).get(alertId);
    if (result instanceof Error) throw result;
    return result;
  }

  /**
   * Idempotent: an alert already routed keeps its order. One fork and one transaction for the
   * batch; the alerts' rows are locked first (in id order, so two batches never deadlock), which
   * makes a concurrent run of the same job wait and then find them routed. Maps each alert to the
   * work order it became or joined, or to undefined when the alert is unknown. `direct`: the
   * caller sends the new orders' deliveries itself once this returns (DirectDeliveries).
   */
  async routeAlerts(alertIds: readonly string[], options: { direct?: DirectDeliveries } = {}): Promise<BatchResults<string, string | undefined>> {
    const ids = [...new Set(alertIds)].sort();
    const results: BatchResults<string, string | undefined> = new Map(ids.map((id) => [id, undefined]));
    let wrote = false;
    await this.em.fork().transactional(async (tx) => {
      // With their devices in the same query; only the alerts' rows are locked (the ingest updates devices' presence meanwhile).
      const alerts = await tx.find(
        Alert,
        { id: { $in: ids } },
        { populate: ['device'], strategy: LoadStrategy.JOINED, lockMode: LockMode.PESSIMISTIC_WRITE, lockTableAliases: ['a0'], orderBy: { id: 'asc' } },
      );
      const unrouted: Alert[] = [];
      for (const alert of alerts) {
        if (alert.workOrderId) results.set(alert.id, alert.workOrderId);
        else unrouted.push(alert);
      }
      if (unrouted.length === 0) return;
      const requests: OpenRequest[] = unrouted.map((alert) => {
        const device = alert.device;
        const where = device.location ?? device.name ?? device.code;
        return {
          input: {
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
          actor: deviceActor(device.id, device.code),
        };
      });
      // The orders' deliveries, jobs and history and the alerts' claim go as one statement.
      const writes = new PlannedWrites();
      const outcomes = await this.workOrders.openMany(tx, requests, { direct: options.direct, writes });
      let claimed = 0;
      writes.add(claimStatement(this.dialect, unrouted.map((alert, i) => [alert.id, outcomes[i].workOrderId]), new Date()), (rows) => (claimed = rows.length));
      await writes.run(tx, this.dialect);
      if (claimed !== unrouted.length) throw new Error(`claimed ${claimed} of ${unrouted.length} alerts: another run routed them concurrently`);
      unrouted.forEach((alert, i) => results.set(alert.id, outcomes[i].workOrderId));
      wrote = true;
    });
    if (wrote) this.outbox.committed();
    return results;
  }
}

/**
 * Each alert's work order, set on the alerts still unrouted; answers the ids it set (a concurrent
 * run that got there first leaves fewer).
 */
function claimStatement(dialect: Dialect, claims: readonly (readonly [alertId: string, workOrderId: string])[], now: Date): Statement {
  if (dialect === 'postgresql') {
    return {
      // The ids again as an array: read by primary key whatever the planner guesses of the document (see PresenceWriter).
      sql: `update alerts set work_order_id = v.work_order_id, updated_at = ? from jsonb_to_recordset(?::jsonb) as v(id uuid, work_order_id uuid)
             where alerts.id = v.id and alerts.id = any(?::uuid[]) and alerts.work_order_id is null returning alerts.id`,
      bindings: [now, JSON.stringify(claims.map(([id, workOrderId]) => ({ id, work_order_id: workOrderId }))), claims.map(([id]) => id)],
      returning: true,
    };
  }
  const cases = claims.map(() => 'when ? then ?').join(' ');
  return {
    sql: `update alerts set work_order_id = case id ${cases} end, updated_at = ? where id in (${placeholders(claims.length)}) and work_order_id is null returning id`,
    bindings: [...claims.flatMap(([id, workOrderId]): Binding[] => [id, workOrderId]), now, ...claims.map(([id]) => id)],
    returning: true,
  };
}
