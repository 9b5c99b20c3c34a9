import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { RoutingPolicies, RoutingPolicyView } from '@sc/core/work-orders/routing-policies.service';
import { SlaPolicies } from '@sc/core/work-orders/sla-policies.service';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { PutRoutingPolicyDto, PutSlaPolicyDto, RoutingPolicyQuery, SlaPoliciesView, SlaRowView } from './dto/work-order-policies.dto';

class RoutingRulesView {
  @ApiProperty({ example: { safety: 'grid_worker', facility: 'property_company' } })
  categories!: Record<string, string>;
  @ApiProperty()
  criticalToBoth!: boolean;
  @ApiProperty()
  allowSelfVerify!: boolean;
}

class RoutingPolicyResponse {
  @ApiProperty({ type: String, nullable: true })
  communityId!: string | null;
  @ApiProperty({ type: RoutingRulesView, description: 'What applies: defaults, then the global policy, then the community\'s' })
  effective!: RoutingRulesView;
  @ApiProperty({ type: RoutingRulesView })
  defaults!: RoutingRulesView;
  @ApiProperty({ type: Object, nullable: true })
  global!: RoutingPolicyView['global'];
  @ApiProperty({ type: Object, nullable: true })
  community!: RoutingPolicyView['community'];
}

@ApiTags('policies 规则')
@ApiBadRequestResponse({ type: ErrorBody })
@Controller('routing-policies')
export class RoutingPoliciesController {
  constructor(private readonly policies: RoutingPolicies) {}

  @Get()
  @RequirePermission(Permission.WorkOrdersRead)
  @ApiOperation({ summary: 'The routing policy: global, or a community\'s over the global one' })
  @ApiOkResponse({ type: RoutingPolicyResponse })
  async get(@CurrentPrincipal() principal: Principal, @Query() query: RoutingPolicyQuery): Promise<RoutingPolicyResponse> {
    return this.policies.view(principal, query.communityId);
  }

  @Put()
  @RequirePermission(Permission.RulesWrite)
  @ApiOperation({ summary: 'Set the global policy (administrators, city) or a community\'s (rule writers in scope)' })
  @ApiOkResponse({ type: RoutingPolicyResponse })
  async put(@CurrentPrincipal() principal: Principal, @Body() body: PutRoutingPolicyDto): Promise<RoutingPolicyResponse> {
    return this.policies.put(principal, body);
  }
}

@ApiTags('policies 规则')
@ApiBadRequestResponse({ type: ErrorBody })
@Controller('sla-policies')
export class SlaPoliciesController {
  constructor(private readonly sla: SlaPolicies) {}

  @Get()
  @RequirePermission(Permission.WorkOrdersRead)
  @ApiOperation({ summary: 'SLA deadlines: the defaults and the overrides per category and severity' })
  @ApiOkResponse({ type: SlaPoliciesView })
  async list(): Promise<SlaPoliciesView> {
    return this.sla.list();
  }

  @Put()
  @RequirePermission(Permission.RulesWrite)
  @ApiOperation({ summary: 'Override the SLA of a category (and severity): administrators, city and district officers' })
  @ApiOkResponse({ type: SlaRowView })
  async put(@CurrentPrincipal() principal: Principal, @Body() body: PutSlaPolicyDto): Promise<SlaRowView> {
    return this.sla.put(principal, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission(Permission.RulesWrite)
  @ApiOperation({ summary: 'Remove an override: the default applies again' })
  @ApiNoContentResponse()
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.sla.remove(principal, id);
  }
}
