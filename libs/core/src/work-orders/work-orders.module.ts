import { Module } from '@nestjs/common';

/** Work orders: routing, state machine, SLA and escalation, one-window intake, statistics. */
@Module({})
export class WorkOrdersModule {}
