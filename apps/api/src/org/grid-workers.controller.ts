import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { GridWorkersService } from '@sc/core/org/grid-workers.service';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { toPageView } from '../http/common.dto';
import { CreateGridWorkerDto, GridWorkerListQueryDto, GridWorkerPage, GridWorkerView, toGridWorkerView, UpdateGridWorkerDto } from './dto/grid-worker.dto';

@ApiTags('grid workers 网格员')
@Controller('grid-workers')
export class GridWorkersController {
  constructor(private readonly workers: GridWorkersService) {}

  @Post()
  @RequirePermission(Permission.OrgWrite)
  @ApiOperation({ summary: 'Put a grid worker on the roster of a grid in your scope' })
  @ApiCreatedResponse({ type: GridWorkerView })
  @ApiBadRequestResponse({ type: ErrorBody, description: 'Invalid body, or the unit is not a grid' })
  @ApiConflictResponse({ type: ErrorBody, description: 'The staff number is taken' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateGridWorkerDto): Promise<GridWorkerView> {
    return toGridWorkerView(await this.workers.create(principal.scope, body));
  }

  @Get()
  @RequirePermission(Permission.OrgRead)
  @ApiOperation({ summary: 'List the grid workers of the grids in your scope' })
  @ApiOkResponse({ type: GridWorkerPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: GridWorkerListQueryDto): Promise<GridWorkerPage> {
    return toPageView(await this.workers.list(principal.scope, query), toGridWorkerView);
  }

  @Get(':id')
  @RequirePermission(Permission.OrgRead)
  @ApiOperation({ summary: 'Get one grid worker' })
  @ApiOkResponse({ type: GridWorkerView })
  @ApiNotFoundResponse({ type: ErrorBody })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<GridWorkerView> {
    return toGridWorkerView(await this.workers.get(principal.scope, id));
  }

  @Patch(':id')
  @RequirePermission(Permission.OrgWrite)
  @ApiOperation({ summary: 'Update a grid worker, or move them to another grid in your scope' })
  @ApiOkResponse({ type: GridWorkerView })
  @ApiNotFoundResponse({ type: ErrorBody })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateGridWorkerDto,
  ): Promise<GridWorkerView> {
    return toGridWorkerView(await this.workers.update(principal.scope, id, body));
  }
}
