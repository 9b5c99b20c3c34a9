import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AlertsService } from '@sc/core/alerts/lifecycle/alerts.service';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { ClearAlertDto, ListAlertsQuery } from './dto/alert.dto';
import { AlertPage, AlertView, toAlertView } from './dto/alert.view';
import { AuditEntryView, toAuditEntryView } from '../http/audit-entry.view';

@ApiTags('alerts 告警')
@ApiNotFoundResponse({ type: ErrorBody, description: 'No such alert in your scope' })
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @RequirePermission(Permission.AlertsRead)
  @ApiOperation({ summary: 'Alerts in your scope, latest first, filtered and paged' })
  @ApiOkResponse({ type: AlertPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListAlertsQuery): Promise<AlertPage> {
    const page = await this.alerts.list(principal.scope, query);
    return { ...page, items: page.items.map(toAlertView) };
  }

  @Get(':id')
  @RequirePermission(Permission.AlertsRead)
  @ApiOkResponse({ type: AlertView })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AlertView> {
    return toAlertView(await this.alerts.get(principal.scope, id));
  }

  @Get(':id/history')
  @RequirePermission(Permission.AlertsRead)
  @ApiOperation({ summary: 'The alert\'s audit entries, oldest first: raised, repeated, acknowledged, cleared, routed' })
  @ApiOkResponse({ type: [AuditEntryView] })
  async history(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AuditEntryView[]> {
    return (await this.alerts.history(principal.scope, id)).map(toAuditEntryView);
  }

  @Post(':id/acknowledge')
  @RequirePermission(Permission.AlertsWrite)
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge an active alert (确认); separate from its work order' })
  @ApiOkResponse({ type: AlertView })
  @ApiConflictResponse({ type: ErrorBody, description: 'Already acknowledged or cleared' })
  async acknowledge(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AlertView> {
    return toAlertView(await this.alerts.acknowledge(principal, id));
  }

  @Post(':id/clear')
  @RequirePermission(Permission.AlertsWrite)
  @HttpCode(200)
  @ApiOperation({ summary: 'Clear an alert by hand with a reason (清除); the device may raise a new one later' })
  @ApiOkResponse({ type: AlertView })
  @ApiConflictResponse({ type: ErrorBody, description: 'Already cleared' })
  async clear(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ClearAlertDto): Promise<AlertView> {
    return toAlertView(await this.alerts.clear(principal, id, body.reason));
  }
}
