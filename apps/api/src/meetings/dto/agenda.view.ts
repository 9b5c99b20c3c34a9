import { ApiProperty } from '@nestjs/swagger';
import { AgendaItem } from '@sc/core/meetings/entities/agenda-item.entity';
import { Decision, Position } from '@sc/core/meetings/entities/decision.entity';
import { ActionItemRecord, AgendaItemRecord } from '@sc/core/meetings/meeting-record';
import {
  AGENDA_SOURCE_LABELS,
  AGENDA_SOURCES,
  AGENDA_STATUS_LABELS,
  AGENDA_STATUSES,
  AgendaSource,
  AgendaStatus,
  DECISION_RULES,
  DecisionRule,
  OUTCOME_LABELS,
  OUTCOMES,
  Outcome,
  POSITION_KINDS,
  POSITION_LABELS,
  PositionKind,
} from '@sc/core/meetings/meeting-states';
import { LabelView } from '../../http/common.dto';
import { partyRef, PartyRefView } from './refs.view';
import { toWorkOrderBriefView, WorkOrderBriefView } from './work-order-brief.view';

/** The agenda as a page shows it: items, linked work orders, positions, decisions, action items. */
export class PositionView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ type: PartyRefView })
  party!: PartyRefView;
  @ApiProperty({ enum: POSITION_KINDS })
  position!: PositionKind;
  @ApiProperty({ type: LabelView })
  positionLabel!: LabelView;
  @ApiProperty({ nullable: true, type: String })
  statement!: string | null;
  @ApiProperty({ description: 'Recorded by the convener on the party’s behalf' })
  onBehalf!: boolean;
  @ApiProperty({ nullable: true, type: String })
  recordedBy!: string | null;
  @ApiProperty()
  recordedAt!: Date;
}

export class ActionItemView {
  @ApiProperty({ type: WorkOrderBriefView, description: 'The work order that is the action item' })
  workOrder!: WorkOrderBriefView;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  decisionId!: string | null;
  @ApiProperty({ type: PartyRefView, nullable: true })
  ownerParty!: PartyRefView | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  ownerAccountId!: string | null;
  @ApiProperty({ nullable: true, type: String })
  ownerName!: string | null;
  @ApiProperty({ nullable: true, type: Date })
  dueAt!: Date | null;
  @ApiProperty({ nullable: true, type: Number })
  progress!: number | null;
}

export class ActionItemList {
  @ApiProperty({ type: [ActionItemView] })
  items!: ActionItemView[];
}

export class DecisionView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  itemId!: string;
  @ApiProperty({ enum: OUTCOMES })
  outcome!: Outcome;
  @ApiProperty({ type: LabelView })
  outcomeLabel!: LabelView;
  @ApiProperty({ enum: DECISION_RULES })
  rule!: DecisionRule;
  @ApiProperty({ example: 'no objection and a majority: 4 of 4 present parties agree, 0 object, 0 abstain' })
  reason!: string;
  @ApiProperty({ nullable: true, type: String })
  summary!: string | null;
  @ApiProperty({ nullable: true, type: Date })
  reviewDate!: Date | null;
  @ApiProperty()
  decidedAt!: Date;
  @ApiProperty({ type: [ActionItemView] })
  actionItems!: ActionItemView[];
}

export class AgendaItemView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  position!: number;
  @ApiProperty({ enum: AGENDA_SOURCES })
  source!: AgendaSource;
  @ApiProperty({ type: LabelView })
  sourceLabel!: LabelView;
  @ApiProperty()
  title!: string;
  @ApiProperty({ nullable: true, type: String })
  description!: string | null;
  @ApiProperty({ enum: AGENDA_STATUSES })
  status!: AgendaStatus;
  @ApiProperty({ type: LabelView })
  statusLabel!: LabelView;
  @ApiProperty({ nullable: true, type: String })
  proposerName!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  proposerPartyId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  carriedFromItemId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  carriedFromDecisionId!: string | null;
  @ApiProperty({ type: [WorkOrderBriefView] })
  workOrders!: WorkOrderBriefView[];
  @ApiProperty({ type: [PositionView] })
  positions!: PositionView[];
  @ApiProperty({ type: DecisionView, nullable: true })
  decision!: DecisionView | null;
}

export class AgendaView {
  @ApiProperty({ type: [AgendaItemView] })
  items!: AgendaItemView[];
}

export class GeneratedAgendaView {
  @ApiProperty({ type: [AgendaItemView], description: 'Proposed now from overdue, escalated and disputed work orders' })
  proposed!: AgendaItemView[];
  @ApiProperty({ type: [AgendaItemView], description: 'Carried over from earlier meetings' })
  carried!: AgendaItemView[];
}

export function toPositionView(p: Position): PositionView {
  return {
    id: p.id,
    party: partyRef(p.party),
    position: p.position,
    positionLabel: POSITION_LABELS[p.position],
    statement: p.statement ?? null,
    onBehalf: p.onBehalf,
    recordedBy: p.recordedByName ?? null,
    recordedAt: p.recordedAt,
  };
}

export function toActionItemView(a: ActionItemRecord): ActionItemView {
  return {
    workOrder: toWorkOrderBriefView(a.order),
    decisionId: a.order.meetingDecisionId ?? null,
    ownerParty: a.ownerParty ? partyRef(a.ownerParty) : null,
    ownerAccountId: a.order.assignee?.id ?? null,
    ownerName: a.ownerName ?? null,
    dueAt: a.order.resolveDueAt ?? null,
    progress: a.order.progress ?? null,
  };
}

export function toDecisionView(d: Decision, actionItems: ActionItemRecord[]): DecisionView {
  return {
    id: d.id,
    itemId: d.item.id,
    outcome: d.outcome,
    outcomeLabel: OUTCOME_LABELS[d.outcome],
    rule: d.rule,
    reason: d.reason,
    summary: d.summary ?? null,
    reviewDate: d.reviewDate ?? null,
    decidedAt: d.decidedAt,
    actionItems: actionItems.map(toActionItemView),
  };
}

export function toAgendaItemView(a: AgendaItemRecord): AgendaItemView {
  const item: AgendaItem = a.item;
  return {
    id: item.id,
    position: item.position,
    source: item.source,
    sourceLabel: AGENDA_SOURCE_LABELS[item.source],
    title: item.title,
    description: item.description ?? null,
    status: item.status,
    statusLabel: AGENDA_STATUS_LABELS[item.status as AgendaStatus],
    proposerName: item.proposerName ?? null,
    proposerPartyId: item.proposerPartyId ?? null,
    carriedFromItemId: item.carriedFromItemId ?? null,
    carriedFromDecisionId: item.carriedFromDecisionId ?? null,
    workOrders: a.orders.map((o) => toWorkOrderBriefView(o)),
    positions: a.positions.map(toPositionView),
    decision: a.decision ? toDecisionView(a.decision, a.actionItems) : null,
  };
}

