import { Module } from '@nestjs/common';
import { DeliveryCoreModule } from '../delivery/delivery-core.module';
import { RoutingPolicies } from './routing-policies.service';
import { SlaPolicies } from './sla-policies.service';
import { SlaTimers } from './sla-timers';
import { WorkOrderActions } from './work-order-actions.service';
import { WorkOrderChanges } from './work-order-change';
import { WorkOrderDispatch } from './work-order-dispatch.service';
import { WorkOrderFeed } from './work-order-feed.service';
import { WorkOrderIntake } from './work-order-intake.service';
import { WorkOrderNotices } from './work-order-notices';
import { WorkOrderQueries } from './work-order-queries.service';
import { WorkOrderRouter } from './work-order-router';
import { WorkOrderRouting } from './work-order-routing';
import { WorkOrderStatsService } from './work-order-stats.service';
import { WorkOrdersService } from './work-orders.service';
import { JobReconciler } from './job-reconciler';

const EXPORTED = [
  WorkOrdersService,
  WorkOrderRouting,
  SlaTimers,
  RoutingPolicies,
  SlaPolicies,
  WorkOrderActions,
  WorkOrderDispatch,
  WorkOrderQueries,
  WorkOrderIntake,
  WorkOrderStatsService,
  WorkOrderFeed,
  JobReconciler,
];

/** Work orders: routing, state machine, SLA and escalation, one-window intake, statistics, the pull feed. */
@Module({
  imports: [DeliveryCoreModule],
  providers: [...EXPORTED, WorkOrderRouter, WorkOrderNotices, WorkOrderChanges],
  exports: EXPORTED,
})
export class WorkOrdersModule {}
