import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { WorkOrderFeed } from '@sc/core/work-orders/work-order-feed.service';
import { WorkOrderIntake } from '@sc/core/work-orders/work-order-intake.service';
import { workOrderSummary } from '@sc/core/work-orders/work-order-notices';
import { WorkOrderQueries } from '@sc/core/work-orders/work-order-queries.service';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { FeedQueryDto } from './dto/work-order-policies.dto';
import { ListWorkOrdersQuery, ReportWorkOrderDto } from './dto/work-order-requests.dto';
import {
  OpenedWorkOrderView,
  toWorkOrderView,
  WorkOrderDetailView,
  WorkOrderHistoryView,
  WorkOrderPage,
} from './dto/work-order.view';
import { toAuditEntryView } from '../http/audit-entry.view';

export class FeedPageView {
  @ApiProperty({ type: [Object], description: 'Orders routed to the company, in the order they changed (the webhook payload\'s workOrder, plus updatedAt)' })
  items!: Record<string, unknown>[];
  @ApiProperty({ type: String, nullable: true, description: 'Opaque; pass it back as cursor' })
  nextCursor!: string | null;
}

@ApiTags('work orders 工单')
@ApiNotFoundResponse({ type: ErrorBody, description: 'No such work order in your scope' })
@Controller('work-orders')
export class WorkOrdersController {
  constructor(
    private readonly queries: WorkOrderQueries,
    private readonly intake: WorkOrderIntake,
    private readonly feed: WorkOrderFeed,
  ) {}

  @Get()
  @RequirePermission(Permission.WorkOrdersRead)
  @ApiOperation({ summary: 'Work orders in your scope, newest first, filtered and paged' })
  @ApiOkResponse({ type: WorkOrderPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListWorkOrdersQuery): Promise<WorkOrderPage> {
    const page = await this.queries.list(principal, query);
    return { ...page, items: page.items.map(toWorkOrderView) };
  }

  /** Declared before :id so "feed" is not taken for an id. */
  @Get('feed')
  @RequirePermission(Permission.WorkOrdersRead)
  @ApiOperation({
    summary: "Pull feed for property companies' own systems: orders routed to the company after the cursor, by (updatedAt, id)",
    description: 'Rows changed in the last 2 seconds wait for the next call, so a slow transaction committing late is never skipped.',
  })
  @ApiOkResponse({ type: FeedPageView })
  async pull(@CurrentPrincipal() principal: Principal, @Query() query: FeedQueryDto): Promise<FeedPageView> {
    const page = await this.feed.page(principal, query);
    return { items: page.items.map((o) => ({ ...workOrderSummary(o), updatedAt: o.updatedAt.toISOString() })), nextCursor: page.nextCursor };
  }

  @Post()
  @RequirePermission(Permission.WorkOrdersReport)
  @ApiOperation({ summary: 'Report an issue from a patrol (巡查上报); an open report of the same subject takes it instead' })
  @ApiCreatedResponse({ type: OpenedWorkOrderView })
  @ApiBadRequestResponse({ type: ErrorBody })
  async report(@CurrentPrincipal() principal: Principal, @Body() body: ReportWorkOrderDto): Promise<OpenedWorkOrderView> {
    const result = await this.intake.report(principal, body);
    return { ...toWorkOrderView(result.order), attached: result.attached };
  }

  @Get(':id')
  @RequirePermission(Permission.WorkOrdersRead)
  @ApiOkResponse({ type: WorkOrderDetailView })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<WorkOrderDetailView> {
    const detail = await this.queries.get(principal, id);
    return { ...toWorkOrderView(detail.order), alerts: detail.alerts };
  }

  @Get(':id/history')
  @RequirePermission(Permission.WorkOrdersRead)
  @ApiOperation({ summary: 'The issue from first report to verification: routing, transitions, escalations, notes, evidence' })
  @ApiOkResponse({ type: WorkOrderHistoryView })
  async history(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<WorkOrderHistoryView> {
    const { order, entries } = await this.queries.history(principal, id);
    return { workOrderId: order.id, number: order.number, entries: entries.map(toAuditEntryView) };
  }
}
