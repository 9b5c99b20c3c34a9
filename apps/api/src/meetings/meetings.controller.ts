import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MeetingsService } from '@sc/core/meetings/meetings.service';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { toPageView } from '../http/common.dto';
import { CancelMeetingDto, CreateMeetingDto, ListMeetingsQuery, UpdateMeetingDto } from './dto/meeting.dto';
import { MeetingDetailView, MeetingPage, toMeetingDetailView, toMeetingView } from './dto/meeting.view';
import { AuditEntryList } from './dto/work-order-brief.view';
import { toAuditEntryView } from '../http/audit-entry.view';

const date = (value: string | undefined): Date | undefined => (value === undefined ? undefined : new Date(value));

@ApiTags('joint meetings 联席会议')
@ApiNotFoundResponse({ type: ErrorBody, description: 'No such meeting in your scope' })
@Controller('meetings')
export class MeetingsController {
  constructor(private readonly meetings: MeetingsService) {}

  @Post()
  @RequirePermission(Permission.MeetingsConvene)
  @ApiOperation({
    summary: 'Schedule a joint meeting (召集联席会议)',
    description:
      'Invites the parties (default: all of the community, and of the compound), sends notices to their representatives, arms reminders, ' +
      'and proposes agenda items from overdue, escalated and disputed work orders for the next meeting of the community, with carry-overs.',
  })
  @ApiCreatedResponse({ type: MeetingDetailView })
  @ApiBadRequestResponse({ type: ErrorBody, description: 'Bad times, no parties, a quorum that cannot be met (the field is named)' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateMeetingDto): Promise<MeetingDetailView> {
    const record = await this.meetings.create(principal, { ...body, startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt) });
    return toMeetingDetailView(record);
  }

  @Get()
  @RequirePermission(Permission.MeetingsRead)
  @ApiOperation({ summary: 'Meetings you see, latest first' })
  @ApiOkResponse({ type: MeetingPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListMeetingsQuery): Promise<MeetingPage> {
    return toPageView(await this.meetings.list(principal, { ...query, from: date(query.from), to: date(query.to) }), toMeetingView);
  }

  @Get(':id')
  @RequirePermission(Permission.MeetingsRead)
  @ApiOperation({ summary: 'A meeting with its parties, attendance, quorum, agenda, positions, decisions and action items' })
  @ApiOkResponse({ type: MeetingDetailView })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingDetailView> {
    return toMeetingDetailView(await this.meetings.get(principal, id));
  }

  @Patch(':id')
  @RequirePermission(Permission.MeetingsConvene)
  @ApiOperation({ summary: 'Reschedule, move or rename a scheduled meeting: the parties are told, reminders re-armed' })
  @ApiOkResponse({ type: MeetingDetailView })
  @ApiConflictResponse({ type: ErrorBody, description: 'The meeting is no longer scheduled' })
  async update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateMeetingDto): Promise<MeetingDetailView> {
    const record = await this.meetings.update(principal, id, { ...body, startsAt: date(body.startsAt), endsAt: date(body.endsAt) });
    return toMeetingDetailView(record);
  }

  @Post(':id/start')
  @HttpCode(200)
  @RequirePermission(Permission.MeetingsConvene)
  @ApiOperation({ summary: 'Open the session (scheduled → in session)' })
  @ApiOkResponse({ type: MeetingDetailView })
  @ApiConflictResponse({ type: ErrorBody })
  async start(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingDetailView> {
    return toMeetingDetailView(await this.meetings.start(principal, id));
  }

  @Post(':id/close')
  @HttpCode(200)
  @RequirePermission(Permission.MeetingsConvene)
  @ApiOperation({
    summary: 'Close the session (in session → closed)',
    description: 'Generates and publishes minutes v1; unfinished action items and undecided items carry over to the next scheduled meeting.',
  })
  @ApiOkResponse({ type: MeetingDetailView })
  @ApiConflictResponse({ type: ErrorBody })
  async close(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingDetailView> {
    return toMeetingDetailView(await this.meetings.close(principal, id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequirePermission(Permission.MeetingsConvene)
  @ApiOperation({ summary: 'Cancel a scheduled meeting, with the reason; the parties are told' })
  @ApiOkResponse({ type: MeetingDetailView })
  @ApiConflictResponse({ type: ErrorBody })
  async cancel(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CancelMeetingDto): Promise<MeetingDetailView> {
    return toMeetingDetailView(await this.meetings.cancel(principal, id, body.reason));
  }

  @Get(':id/history')
  @RequirePermission(Permission.MeetingsRead)
  @ApiOperation({ summary: "The meeting's audit trail, oldest first" })
  @ApiOkResponse({ type: AuditEntryList })
  async history(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AuditEntryList> {
    return { items: (await this.meetings.history(principal, id)).map(toAuditEntryView) };
  }
}
