import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { BuildingsService } from '@sc/core/org/buildings.service';
import { CompoundsService } from '@sc/core/org/compounds.service';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { BuildingListQueryDto, BuildingPage, BuildingView, CreateBuildingDto, toBuildingView } from './dto/building.dto';
import { toPageView } from '../http/common.dto';
import { CompoundListQueryDto, CompoundPage, CompoundView, CreateCompoundDto, toCompoundView, UpdateCompoundDto } from './dto/compound.dto';

@ApiTags('compounds 小区')
@Controller('compounds')
export class CompoundsController {
  constructor(
    private readonly compounds: CompoundsService,
    private readonly buildings: BuildingsService,
  ) {}

  @Post()
  @RequirePermission(Permission.OrgWrite)
  @ApiOperation({ summary: 'Create a compound in a community of your scope' })
  @ApiCreatedResponse({ type: CompoundView })
  @ApiBadRequestResponse({ type: ErrorBody })
  @ApiNotFoundResponse({ type: ErrorBody, description: 'Unknown community or company (the details name the field)' })
  @ApiConflictResponse({ type: ErrorBody, description: 'The code is taken' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateCompoundDto): Promise<CompoundView> {
    return toCompoundView(await this.compounds.create(principal.scope, body));
  }

  @Get()
  @RequirePermission(Permission.OrgRead)
  @ApiOperation({ summary: 'List the compounds you see (your subtree, your committee seat, your company)' })
  @ApiOkResponse({ type: CompoundPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: CompoundListQueryDto): Promise<CompoundPage> {
    return toPageView(await this.compounds.list(principal.scope, query), toCompoundView);
  }

  @Get(':id')
  @RequirePermission(Permission.OrgRead)
  @ApiOperation({ summary: 'Get one compound' })
  @ApiOkResponse({ type: CompoundView })
  @ApiNotFoundResponse({ type: ErrorBody })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<CompoundView> {
    return toCompoundView(await this.compounds.get(principal.scope, id));
  }

  @Patch(':id')
  @RequirePermission(Permission.OrgWrite)
  @ApiOperation({ summary: 'Rename a compound, or change its managing company' })
  @ApiOkResponse({ type: CompoundView })
  @ApiNotFoundResponse({ type: ErrorBody })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateCompoundDto,
  ): Promise<CompoundView> {
    return toCompoundView(await this.compounds.update(principal.scope, id, body));
  }

  @Post(':id/buildings')
  @RequirePermission(Permission.OrgWrite)
  @ApiOperation({ summary: "Add a building (楼栋) to a compound; its grid must be in the compound's community" })
  @ApiCreatedResponse({ type: BuildingView })
  @ApiBadRequestResponse({ type: ErrorBody, description: 'Invalid body, or a grid of another community (names gridId)' })
  @ApiConflictResponse({ type: ErrorBody, description: 'The compound already has a building with this code' })
  async createBuilding(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CreateBuildingDto,
  ): Promise<BuildingView> {
    return toBuildingView(await this.buildings.create(principal.scope, { ...body, compoundId: id }));
  }

  @Get(':id/buildings')
  @RequirePermission(Permission.OrgRead)
  @ApiOperation({ summary: 'List the buildings of a compound' })
  @ApiOkResponse({ type: BuildingPage })
  @ApiNotFoundResponse({ type: ErrorBody })
  async listBuildings(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: BuildingListQueryDto,
  ): Promise<BuildingPage> {
    return toPageView(await this.buildings.listForCompound(principal.scope, id, query), toBuildingView);
  }
}
