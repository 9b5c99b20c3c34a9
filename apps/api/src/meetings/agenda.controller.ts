import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AgendaService } from '@sc/core/meetings/agenda.service';
import { DecisionsService } from '@sc/core/meetings/decisions.service';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { AgendaEntryDto, MotionDto, ReorderAgendaDto, UpdateAgendaItemDto } from './dto/agenda.dto';
import { DecideDto, PositionDto } from './dto/decision.dto';
import { AgendaItemView, AgendaView, GeneratedAgendaView, PositionView, toAgendaItemView, toPositionView } from './dto/agenda.view';

@ApiTags('joint meetings 联席会议')
@ApiNotFoundResponse({ type: ErrorBody, description: 'No such meeting or item in your scope' })
@Controller('meetings/:id')
export class AgendaController {
  constructor(
    private readonly agenda: AgendaService,
    private readonly decisions: DecisionsService,
  ) {}

  @Get('agenda')
  @RequirePermission(Permission.MeetingsRead)
  @ApiOperation({ summary: 'The agenda in order, with linked work orders, positions, decisions and action items' })
  @ApiOkResponse({ type: AgendaView })
  async list(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AgendaView> {
    return { items: (await this.agenda.list(principal, id)).map(toAgendaItemView) };
  }

  @Post('agenda/refresh')
  @HttpCode(200)
  @RequirePermission(Permission.MeetingsConvene)
  @ApiOperation({ summary: 'Propose items from the overdue, escalated and disputed work orders as they stand now, and carry-overs; never twice' })
  @ApiOkResponse({ type: GeneratedAgendaView })
  async refresh(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<GeneratedAgendaView> {
    const generated = await this.agenda.refresh(principal, id);
    const items = (await this.agenda.list(principal, id)).filter((a) => [...generated.proposed, ...generated.carried].some((i) => i.id === a.item.id));
    return {
      proposed: items.filter((a) => generated.proposed.some((i) => i.id === a.item.id)).map(toAgendaItemView),
      carried: items.filter((a) => generated.carried.some((i) => i.id === a.item.id)).map(toAgendaItemView),
    };
  }

  @Put('agenda/order')
  @RequirePermission(Permission.MeetingsConvene)
  @ApiOperation({ summary: 'Order the agenda: the listed items first, in this order' })
  @ApiOkResponse({ type: AgendaView })
  async reorder(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReorderAgendaDto): Promise<AgendaView> {
    return { items: (await this.agenda.reorder(principal, id, body.itemIds)).map(toAgendaItemView) };
  }

  @Patch('agenda/:itemId')
  @RequirePermission(Permission.MeetingsConvene)
  @ApiOperation({ summary: 'Accept, drop or edit an agenda item (convener)' })
  @ApiOkResponse({ type: AgendaItemView })
  @ApiConflictResponse({ type: ErrorBody, description: 'The meeting is closed, or the item is decided' })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() body: UpdateAgendaItemDto,
  ): Promise<AgendaItemView> {
    return toAgendaItemView(await this.agenda.updateItem(principal, id, itemId, body));
  }

  @Post('motions')
  @RequirePermission(Permission.MeetingsParticipate)
  @ApiOperation({ summary: "Table an owners' committee motion (业委会动议)" })
  @ApiCreatedResponse({ type: AgendaItemView })
  @ApiForbiddenResponse({ type: ErrorBody, description: "Not a member of an owners' committee of the community" })
  async motion(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: MotionDto): Promise<AgendaItemView> {
    return toAgendaItemView(await this.agenda.addMotion(principal, id, body));
  }

  @Post('proposals')
  @RequirePermission(Permission.MeetingsConvene)
  @ApiOperation({ summary: "Register a resident's proposal (居民提议), by a community worker" })
  @ApiCreatedResponse({ type: AgendaItemView })
  async proposal(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AgendaEntryDto): Promise<AgendaItemView> {
    return toAgendaItemView(await this.agenda.addProposal(principal, id, body));
  }

  @Post('agenda/:itemId/positions')
  @RequirePermission(Permission.MeetingsParticipate)
  @ApiOperation({ summary: "A party's position on an item, by one of its members or by the convener on its behalf; only present parties" })
  @ApiCreatedResponse({ type: PositionView })
  @ApiForbiddenResponse({ type: ErrorBody, description: 'You do not belong to that party' })
  @ApiConflictResponse({ type: ErrorBody, description: 'The party is absent, the meeting is not in session, or the item is decided' })
  async position(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() body: PositionDto,
  ): Promise<PositionView> {
    return toPositionView(await this.decisions.recordPosition(principal, id, itemId, body));
  }

  @Post('agenda/:itemId/decision')
  @RequirePermission(Permission.MeetingsConvene)
  @ApiOperation({
    summary: 'Decide an item (convener): outcome by the rule, review date, and for an adopted decision its action items (work orders with an SLA)',
    description: 'Refused without quorum ("quorum not met: owners_committee absent"), with a present party lacking a position, or with an action item without owner; nothing is half-saved.',
  })
  @ApiCreatedResponse({ type: AgendaItemView })
  @ApiBadRequestResponse({ type: ErrorBody, description: 'Action items missing or without owner party, owner person or due date' })
  @ApiConflictResponse({ type: ErrorBody, description: 'No quorum, a position missing, not in session, or decided already' })
  async decide(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() body: DecideDto,
  ): Promise<AgendaItemView> {
    await this.decisions.decide(principal, id, itemId, {
      ...body,
      reviewDate: body.reviewDate === undefined ? undefined : new Date(body.reviewDate),
      actionItems: body.actionItems?.map((a) => ({ ...a, dueAt: a.dueAt === undefined ? undefined : new Date(a.dueAt) })),
    });
    const item = (await this.agenda.list(principal, id)).find((a) => a.item.id === itemId)!;
    return toAgendaItemView(item);
  }
}
