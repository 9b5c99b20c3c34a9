import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { WorkOrderStats, WorkOrderStatsService } from '@sc/core/work-orders/work-order-stats.service';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { StatsQueryDto } from './dto/work-order-policies.dto';

class WorkOrderStatsView {
  @ApiProperty({ type: Object })
  unit!: WorkOrderStats['unit'];
  @ApiProperty({ type: String, nullable: true })
  from!: string | null;
  @ApiProperty({ type: String, nullable: true })
  to!: string | null;
  @ApiProperty()
  total!: number;
  @ApiProperty()
  open!: number;
  @ApiProperty({ description: 'Resolved, not yet verified or closed' })
  fixed!: number;
  @ApiProperty()
  closed!: number;
  @ApiProperty({ description: 'Open and past a deadline now' })
  overdue!: number;
  @ApiProperty({ description: 'A deadline passed at some point' })
  breached!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Share of resolved or closed orders that never breached' })
  slaCompliance!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  medianAcceptMinutes!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  medianResolveMinutes!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '小事不出社区: share of resolved orders resolved at the community' })
  solvedInCommunityRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '大事不出街道: share resolved at the community or the street' })
  solvedInStreetRate!: number | null;
  @ApiProperty({ example: { community: 10, street: 2, district: 0, city: 0 } })
  byLevel!: WorkOrderStats['byLevel'];
}

@ApiTags('statistics 统计')
@ApiNotFoundResponse({ type: ErrorBody, description: 'No such unit in your scope' })
@Controller('stats')
export class WorkOrderStatsController {
  constructor(private readonly stats: WorkOrderStatsService) {}

  @Get('work-orders')
  @RequirePermission(Permission.StatsRead)
  @ApiOperation({ summary: 'SLA statistics of the orders reported in a period in a unit\'s communities' })
  @ApiOkResponse({ type: WorkOrderStatsView })
  async forUnit(@CurrentPrincipal() principal: Principal, @Query() query: StatsQueryDto): Promise<WorkOrderStatsView> {
    return this.stats.forUnit(principal, query);
  }
}
