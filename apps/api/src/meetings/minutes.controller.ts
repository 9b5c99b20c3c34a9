import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Patch, Post, Put } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MinutesService } from '@sc/core/meetings/minutes.service';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { CorrectionDto, EditMinutesDto, MinutesListView, MinutesView, toMinutesListView, toMinutesView } from './dto/minutes.dto';

@ApiTags('joint meetings 联席会议')
@ApiNotFoundResponse({ type: ErrorBody, description: 'No such meeting or version in your scope' })
@Controller('meetings/:id/minutes')
export class MinutesController {
  constructor(private readonly minutes: MinutesService) {}

  @Get()
  @RequirePermission(Permission.MeetingsRead)
  @ApiOperation({ summary: 'The minutes: the latest published version and every version' })
  @ApiOkResponse({ type: MinutesListView })
  async list(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<MinutesListView> {
    return toMinutesListView(await this.minutes.list(principal, id));
  }

  @Get(':version')
  @RequirePermission(Permission.MeetingsRead)
  @ApiOkResponse({ type: MinutesView })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('version', ParseIntPipe) version: number): Promise<MinutesView> {
    return toMinutesView(await this.minutes.get(principal, id, version));
  }

  @Post('corrections')
  @RequirePermission(Permission.MeetingsConvene)
  @ApiOperation({ summary: 'Correct the minutes: a new version with its reason (published at once, or a draft)' })
  @ApiCreatedResponse({ type: MinutesView })
  @ApiConflictResponse({ type: ErrorBody, description: 'The meeting is not closed, or a draft correction exists' })
  async correct(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CorrectionDto): Promise<MinutesView> {
    return toMinutesView(await this.minutes.correct(principal, id, body));
  }

  @Put(':version')
  @RequirePermission(Permission.MeetingsConvene)
  @ApiOperation({ summary: 'Edit a draft correction; a published version is immutable (409)' })
  @ApiOkResponse({ type: MinutesView })
  @ApiConflictResponse({ type: ErrorBody, description: 'closed minutes are immutable' })
  async replace(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
    @Body() body: EditMinutesDto,
  ): Promise<MinutesView> {
    return toMinutesView(await this.minutes.edit(principal, id, version, body));
  }

  @Patch(':version')
  @RequirePermission(Permission.MeetingsConvene)
  @ApiOperation({ summary: 'Edit a draft correction; a published version is immutable (409)' })
  @ApiOkResponse({ type: MinutesView })
  @ApiConflictResponse({ type: ErrorBody, description: 'closed minutes are immutable' })
  async edit(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
    @Body() body: EditMinutesDto,
  ): Promise<MinutesView> {
    return toMinutesView(await this.minutes.edit(principal, id, version, body));
  }

  @Post(':version/publish')
  @HttpCode(200)
  @RequirePermission(Permission.MeetingsConvene)
  @ApiOperation({ summary: 'Publish a draft correction to the parties; it is immutable from then on' })
  @ApiOkResponse({ type: MinutesView })
  async publish(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('version', ParseIntPipe) version: number): Promise<MinutesView> {
    return toMinutesView(await this.minutes.publish(principal, id, version));
  }
}
