import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { OrgUnitsService } from '@sc/core/org/org-units.service';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { toPageView } from '../http/common.dto';
import { CreateOrgUnitDto, OrgUnitListQueryDto, OrgUnitPage, OrgUnitView, toOrgUnitView, UpdateOrgUnitDto } from './dto/org-unit.dto';

@ApiTags('org units 组织架构')
@Controller('org/units')
export class OrgUnitsController {
  constructor(private readonly units: OrgUnitsService) {}

  @Post()
  @RequirePermission(Permission.OrgWrite)
  @ApiOperation({ summary: 'Create an org unit under a parent in your scope (a city: administrators only)' })
  @ApiCreatedResponse({ type: OrgUnitView })
  @ApiBadRequestResponse({ type: ErrorBody, description: 'Invalid body, or the level does not fit under the parent' })
  @ApiNotFoundResponse({ type: ErrorBody, description: 'Unknown parent (the details name parentId or parentCode)' })
  @ApiConflictResponse({ type: ErrorBody, description: 'The code is taken' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateOrgUnitDto): Promise<OrgUnitView> {
    return toOrgUnitView(await this.units.create(principal.scope, body));
  }

  @Get()
  @RequirePermission(Permission.OrgRead)
  @ApiOperation({ summary: 'List the units in your scope (and, as context, the ancestors of your units)' })
  @ApiOkResponse({ type: OrgUnitPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: OrgUnitListQueryDto): Promise<OrgUnitPage> {
    return toPageView(await this.units.list(principal.scope, query), toOrgUnitView);
  }

  @Get(':id')
  @RequirePermission(Permission.OrgRead)
  @ApiOperation({ summary: 'Get one org unit' })
  @ApiOkResponse({ type: OrgUnitView })
  @ApiNotFoundResponse({ type: ErrorBody })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<OrgUnitView> {
    return toOrgUnitView(await this.units.get(principal.scope, id));
  }

  @Patch(':id')
  @RequirePermission(Permission.OrgWrite)
  @ApiOperation({ summary: 'Rename, mark as pilot, or move under another parent of the same level (moves the whole subtree)' })
  @ApiOkResponse({ type: OrgUnitView })
  @ApiBadRequestResponse({ type: ErrorBody })
  @ApiNotFoundResponse({ type: ErrorBody })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateOrgUnitDto,
  ): Promise<OrgUnitView> {
    return toOrgUnitView(await this.units.update(principal.scope, id, body));
  }
}
