import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AttendanceService } from '@sc/core/meetings/attendance.service';
import { DecisionsService } from '@sc/core/meetings/decisions.service';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { AttendanceDto, ProgressDto } from './dto/decision.dto';
import { ActionItemList, toActionItemView } from './dto/agenda.view';
import { AttendanceView, toAttendanceView } from './dto/meeting.view';
import { toWorkOrderBriefView, WorkOrderBriefView } from './dto/work-order-brief.view';

@ApiTags('joint meetings 联席会议')
@ApiNotFoundResponse({ type: ErrorBody, description: 'No such meeting in your scope' })
@Controller('meetings/:id')
export class AttendanceController {
  constructor(
    private readonly attendance: AttendanceService,
    private readonly decisions: DecisionsService,
  ) {}

  @Get('attendance')
  @RequirePermission(Permission.MeetingsRead)
  @ApiOperation({ summary: 'Attendance per party and person, and whether the quorum is met (and why not)' })
  @ApiOkResponse({ type: AttendanceView })
  async list(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AttendanceView> {
    const state = await this.attendance.list(principal, id);
    return toAttendanceView(state.meeting.id, state.parties, state.quorum);
  }

  @Post('attendance')
  @HttpCode(200)
  @RequirePermission(Permission.MeetingsParticipate)
  @ApiOperation({ summary: 'Record a person attending (or leaving) for a party they belong to; yourself, or anyone as the convener' })
  @ApiOkResponse({ type: AttendanceView })
  @ApiForbiddenResponse({ type: ErrorBody, description: 'The person does not belong to the party, or you may not record others' })
  @ApiConflictResponse({ type: ErrorBody, description: 'The meeting is closed or cancelled' })
  async record(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AttendanceDto): Promise<AttendanceView> {
    const state = await this.attendance.record(principal, id, body);
    return toAttendanceView(state.meeting.id, state.parties, state.quorum);
  }

  @Get('action-items')
  @RequirePermission(Permission.MeetingsRead)
  @ApiOperation({ summary: "The action items of the meeting's decisions (work orders), with owners, due dates, status and progress" })
  @ApiOkResponse({ type: ActionItemList })
  async actionItems(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ActionItemList> {
    return { items: (await this.decisions.actionItems(principal, id)).map(toActionItemView) };
  }

  @Post('action-items/:orderId/progress')
  @HttpCode(200)
  @RequirePermission(Permission.MeetingsParticipate)
  @ApiOperation({ summary: 'Report the progress of an action item: its owner, a member of its owner party, or the convener' })
  @ApiOkResponse({ type: WorkOrderBriefView })
  async progress(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('orderId', ParseUUIDPipe) orderId: string,
    @Body() body: ProgressDto,
  ): Promise<WorkOrderBriefView> {
    return toWorkOrderBriefView(await this.decisions.setProgress(principal, id, orderId, body.percent));
  }
}
