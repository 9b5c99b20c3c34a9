import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { PropertyCompaniesService } from '@sc/core/org/property-companies.service';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { toPageView } from '../http/common.dto';
import {
  CreatePropertyCompanyDto,
  PropertyCompanyListQueryDto,
  PropertyCompanyPage,
  PropertyCompanyView,
  toPropertyCompanyView,
  UpdatePropertyCompanyDto,
} from './dto/property-company.dto';

@ApiTags('property companies 物业服务企业')
@Controller('property-companies')
export class PropertyCompaniesController {
  constructor(private readonly companies: PropertyCompaniesService) {}

  @Post()
  @RequirePermission(Permission.OrgWrite)
  @ApiOperation({ summary: 'Register a property company (administrators, city and district officers)' })
  @ApiCreatedResponse({ type: PropertyCompanyView })
  @ApiConflictResponse({ type: ErrorBody, description: 'The code is taken' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreatePropertyCompanyDto): Promise<PropertyCompanyView> {
    return toPropertyCompanyView(await this.companies.create(principal.scope, body));
  }

  @Get()
  @RequirePermission(Permission.OrgRead)
  @ApiOperation({ summary: 'List the companies you see: your own, or those managing compounds in your scope' })
  @ApiOkResponse({ type: PropertyCompanyPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: PropertyCompanyListQueryDto): Promise<PropertyCompanyPage> {
    return toPageView(await this.companies.list(principal.scope, query), toPropertyCompanyView);
  }

  @Get(':id')
  @RequirePermission(Permission.OrgRead)
  @ApiOperation({ summary: 'Get one property company' })
  @ApiOkResponse({ type: PropertyCompanyView })
  @ApiNotFoundResponse({ type: ErrorBody })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<PropertyCompanyView> {
    return toPropertyCompanyView(await this.companies.get(principal.scope, id));
  }

  @Patch(':id')
  @RequirePermission(Permission.OrgWrite)
  @ApiOperation({ summary: 'Update a property company managing compounds in your scope' })
  @ApiOkResponse({ type: PropertyCompanyView })
  @ApiNotFoundResponse({ type: ErrorBody })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdatePropertyCompanyDto,
  ): Promise<PropertyCompanyView> {
    return toPropertyCompanyView(await this.companies.update(principal.scope, id, body));
  }
}
