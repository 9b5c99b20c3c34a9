import { Module } from '@nestjs/common';

/** HTTP: work orders, one-window intake, SLA and routing policies, statistics, the pull feed. */
@Module({})
export class WorkOrdersApiModule {}
