import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AlertRulesService } from '@sc/core/alerts/rules/alert-rules.service';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { CreateAlertRuleDto, DefaultRulesQuery, EffectiveRulesQuery, ListAlertRulesQuery, UpdateAlertRuleDto } from './dto/alert-rule.dto';
import { AlertRulePage, AlertRuleView, EffectiveRuleView, toAlertRuleView, toEffectiveRuleView } from './dto/alert-rule.view';

@ApiTags('alert rules 告警规则')
@Controller('alert-rules')
export class AlertRulesController {
  constructor(private readonly rules: AlertRulesService) {}

  @Get('defaults')
  @RequirePermission(Permission.AlertsRead)
  @ApiOperation({ summary: 'The catalogue defaults of a device type (or of all types)' })
  @ApiOkResponse({ type: [EffectiveRuleView] })
  @ApiBadRequestResponse({ type: ErrorBody, description: 'Unknown device type' })
  defaults(@Query() query: DefaultRulesQuery): EffectiveRuleView[] {
    return this.rules.defaults(query.deviceType).map(toEffectiveRuleView);
  }

  @Get('effective')
  @RequirePermission(Permission.AlertsRead)
  @ApiOperation({ summary: 'The rules in force for a device type in a compound or community (or globally): defaults overlaid by overrides' })
  @ApiOkResponse({ type: [EffectiveRuleView] })
  @ApiNotFoundResponse({ type: ErrorBody })
  async effective(@CurrentPrincipal() principal: Principal, @Query() query: EffectiveRulesQuery): Promise<EffectiveRuleView[]> {
    return (await this.rules.effective(principal.scope, query)).map(toEffectiveRuleView);
  }

  @Get()
  @RequirePermission(Permission.AlertsRead)
  @ApiOperation({ summary: 'Stored overrides in your scope (global ones are visible to all)' })
  @ApiOkResponse({ type: AlertRulePage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListAlertRulesQuery): Promise<AlertRulePage> {
    const page = await this.rules.list(principal.scope, query);
    return { ...page, items: page.items.map(toAlertRuleView) };
  }

  @Post()
  @RequirePermission(Permission.RulesWrite)
  @ApiOperation({ summary: 'Override a default (or add a rule) for a device type, globally, in a community or in a compound' })
  @ApiCreatedResponse({ type: AlertRuleView })
  @ApiBadRequestResponse({ type: ErrorBody, description: 'Unknown kind or device type, parameters that do not fit the type (the field is named)' })
  @ApiConflictResponse({ type: ErrorBody, description: 'An override of this alert type exists in this scope' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateAlertRuleDto): Promise<AlertRuleView> {
    return toAlertRuleView(await this.rules.create(principal, body));
  }

  @Patch(':id')
  @RequirePermission(Permission.RulesWrite)
  @ApiOperation({ summary: 'Change an override: kind and parameters, severity, category, names, enabled' })
  @ApiOkResponse({ type: AlertRuleView })
  @ApiBadRequestResponse({ type: ErrorBody })
  @ApiNotFoundResponse({ type: ErrorBody })
  async update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateAlertRuleDto): Promise<AlertRuleView> {
    return toAlertRuleView(await this.rules.update(principal, id, body));
  }

  @Delete(':id')
  @RequirePermission(Permission.RulesWrite)
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an override: the wider scope\'s rule (or the default) applies again' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorBody })
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.rules.remove(principal, id);
  }
}
