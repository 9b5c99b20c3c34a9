import { Body, Controller, Get, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { BuildingsService } from '@sc/core/org/buildings.service';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { BuildingView, toBuildingView, UpdateBuildingDto } from './dto/building.dto';

@ApiTags('compounds 小区')
@Controller('buildings')
export class BuildingsController {
  constructor(private readonly buildings: BuildingsService) {}

  @Get(':id')
  @RequirePermission(Permission.OrgRead)
  @ApiOperation({ summary: 'Get one building' })
  @ApiOkResponse({ type: BuildingView })
  @ApiNotFoundResponse({ type: ErrorBody })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<BuildingView> {
    return toBuildingView(await this.buildings.get(principal.scope, id));
  }

  @Patch(':id')
  @RequirePermission(Permission.OrgWrite)
  @ApiOperation({ summary: 'Rename a building, change its floors or its grid' })
  @ApiOkResponse({ type: BuildingView })
  @ApiBadRequestResponse({ type: ErrorBody })
  @ApiNotFoundResponse({ type: ErrorBody })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateBuildingDto,
  ): Promise<BuildingView> {
    return toBuildingView(await this.buildings.update(principal.scope, id, body));
  }
}
