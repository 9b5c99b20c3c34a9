import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { WorkOrderActions } from '@sc/core/work-orders/work-order-actions.service';
import { WorkOrderDispatch } from '@sc/core/work-orders/work-order-dispatch.service';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import {
  AssignWorkOrderDto,
  CloseWorkOrderDto,
  EvidenceDto,
  NoteDto,
  NoteOptionalDto,
  ProgressDto,
  ReasonDto,
} from './dto/work-order-requests.dto';
import { toWorkOrderView, WorkOrderView } from './dto/work-order.view';

/** The state machine over HTTP: each action answers the order as it is afterwards. */
@ApiTags('work orders 工单')
@ApiNotFoundResponse({ type: ErrorBody, description: 'No such work order in your scope' })
@ApiConflictResponse({ type: ErrorBody, description: 'Not allowed in the current status; the message says from where and why' })
@ApiBadRequestResponse({ type: ErrorBody })
@ApiOkResponse({ type: WorkOrderView })
@Controller('work-orders/:id')
export class WorkOrderActionsController {
  constructor(
    private readonly actions: WorkOrderActions,
    private readonly dispatch: WorkOrderDispatch,
  ) {}

  @Post('accept')
  @HttpCode(200)
  @RequirePermission(Permission.WorkOrdersWork)
  @ApiOperation({ summary: 'Accept (接单): the routed grid worker, company staff or system, the desk\'s community workers, or the assignee' })
  async accept(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<WorkOrderView> {
    return toWorkOrderView(await this.actions.accept(p, id));
  }

  @Post('start')
  @HttpCode(200)
  @RequirePermission(Permission.WorkOrdersWork)
  @ApiOperation({ summary: 'Start work (accepted → in progress)' })
  async start(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<WorkOrderView> {
    return toWorkOrderView(await this.actions.start(p, id));
  }

  @Post('hold')
  @HttpCode(200)
  @RequirePermission(Permission.WorkOrdersWork)
  @ApiOperation({ summary: 'Put on hold (in progress → on hold)' })
  async hold(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto): Promise<WorkOrderView> {
    return toWorkOrderView(await this.actions.hold(p, id, body.reason));
  }

  @Post('resume')
  @HttpCode(200)
  @RequirePermission(Permission.WorkOrdersWork)
  @ApiOperation({ summary: 'Resume (on hold → in progress)' })
  async resume(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<WorkOrderView> {
    return toWorkOrderView(await this.actions.resume(p, id));
  }

  @Post('resolve')
  @HttpCode(200)
  @RequirePermission(Permission.WorkOrdersWork)
  @ApiOperation({ summary: 'Resolve (办结): records the level it was resolved at; fixed is not closed' })
  async resolve(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: NoteOptionalDto): Promise<WorkOrderView> {
    return toWorkOrderView(await this.actions.resolve(p, id, body.note));
  }

  @Post('verify')
  @HttpCode(200)
  @RequirePermission(Permission.WorkOrdersVerify)
  @ApiOperation({ summary: 'Verify (督查) a resolved order: its reporter, a supervisor or the owners\' committee; not whoever resolved it' })
  async verify(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: NoteOptionalDto): Promise<WorkOrderView> {
    return toWorkOrderView(await this.actions.verify(p, id, body.note));
  }

  @Post('close')
  @HttpCode(200)
  @RequirePermission(Permission.WorkOrdersDispatch)
  @ApiOperation({ summary: 'Close with a reason: duplicate (of), false_alarm, not_responsible (referred: a linked order), no_further_action' })
  async close(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CloseWorkOrderDto): Promise<WorkOrderView> {
    return toWorkOrderView(await this.dispatch.close(p, id, body));
  }

  @Post('reopen')
  @HttpCode(200)
  @RequirePermission(Permission.WorkOrdersDispatch)
  @ApiOperation({ summary: 'Reopen a resolved, verified or closed order: back to dispatched with a new SLA' })
  async reopen(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto): Promise<WorkOrderView> {
    return toWorkOrderView(await this.dispatch.reopen(p, id, body.reason));
  }

  @Post('assign')
  @HttpCode(200)
  @RequirePermission(Permission.WorkOrdersDispatch)
  @ApiOperation({ summary: 'Assign or reassign to a person, a grid worker, a company or the desk; the desk owner (首问负责) stays' })
  async assign(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AssignWorkOrderDto): Promise<WorkOrderView> {
    return toWorkOrderView(await this.dispatch.assign(p, id, body));
  }

  @Post('notes')
  @HttpCode(200)
  @RequirePermission(Permission.WorkOrdersWork)
  @ApiOperation({ summary: 'Add a note to the history' })
  async note(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: NoteDto): Promise<WorkOrderView> {
    return toWorkOrderView(await this.actions.note(p, id, body.text));
  }

  @Post('evidence')
  @HttpCode(200)
  @RequirePermission(Permission.WorkOrdersWork)
  @ApiOperation({ summary: 'Attach photo evidence (http/https URLs, at most 20)' })
  async evidence(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: EvidenceDto): Promise<WorkOrderView> {
    return toWorkOrderView(await this.actions.evidence(p, id, body.urls, body.caption));
  }

  @Post('progress')
  @HttpCode(200)
  @RequirePermission(Permission.WorkOrdersWork)
  @ApiOperation({ summary: 'Progress of an action item, 0-100 %' })
  async progress(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ProgressDto): Promise<WorkOrderView> {
    return toWorkOrderView(await this.actions.progress(p, id, body.percent));
  }
}
