import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CareSubjectsService } from '@sc/core/alerts/care/care-subjects.service';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { CreateCareSubjectDto, ListCareSubjectsQuery, UpdateCareSubjectDto } from './dto/care-subject.dto';
import { CareSubjectPage, CareSubjectView, toCareSubjectView } from './dto/care-subject.view';

@ApiTags('care watch 关爱看护')
@ApiNotFoundResponse({ type: ErrorBody, description: 'No such registration in your scope' })
@Controller('care-subjects')
export class CareSubjectsController {
  constructor(private readonly subjects: CareSubjectsService) {}

  @Post()
  @RequirePermission(Permission.RulesWrite)
  @ApiOperation({ summary: 'Register a household for care watch (独居老人等): its door contacts and water meters must show activity within the quiet hours' })
  @ApiCreatedResponse({ type: CareSubjectView })
  @ApiBadRequestResponse({ type: ErrorBody, description: 'Devices of another community or type, quiet hours outside 1-168' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateCareSubjectDto): Promise<CareSubjectView> {
    return toCareSubjectView(await this.subjects.create(principal.scope, body));
  }

  @Get()
  @RequirePermission(Permission.AlertsRead)
  @ApiOkResponse({ type: CareSubjectPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListCareSubjectsQuery): Promise<CareSubjectPage> {
    const page = await this.subjects.list(principal.scope, query);
    return { ...page, items: page.items.map(toCareSubjectView) };
  }

  @Get(':id')
  @RequirePermission(Permission.AlertsRead)
  @ApiOkResponse({ type: CareSubjectView })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<CareSubjectView> {
    return toCareSubjectView(await this.subjects.get(principal.scope, id));
  }

  @Patch(':id')
  @RequirePermission(Permission.RulesWrite)
  @ApiOkResponse({ type: CareSubjectView })
  @ApiBadRequestResponse({ type: ErrorBody })
  async update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateCareSubjectDto): Promise<CareSubjectView> {
    return toCareSubjectView(await this.subjects.update(principal.scope, id, body));
  }

  @Delete(':id')
  @RequirePermission(Permission.RulesWrite)
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.subjects.remove(principal.scope, id);
  }
}
