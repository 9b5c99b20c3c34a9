import { Module } from '@nestjs/common';
import { WorkOrdersModule } from '@sc/core/work-orders/work-orders.module';
import { DeskController } from './desk.controller';
import { RoutingPoliciesController, SlaPoliciesController } from './policies.controller';
import { WorkOrderActionsController } from './work-order-actions.controller';
import { WorkOrderStatsController } from './work-order-stats.controller';
import { WorkOrdersController } from './work-orders.controller';

/** HTTP: work orders, one-window intake, SLA and routing policies, statistics, the pull feed. */
@Module({
  imports: [WorkOrdersModule],
  controllers: [WorkOrdersController, WorkOrderActionsController, DeskController, RoutingPoliciesController, SlaPoliciesController, WorkOrderStatsController],
})
export class WorkOrdersApiModule {}
