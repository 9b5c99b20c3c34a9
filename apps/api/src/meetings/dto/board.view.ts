import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CompoundBoard, IssueHistory } from '@sc/core/meetings/compound-board.service';
import { AGENDA_SOURCE_LABELS, MEETING_STATUS_LABELS, MeetingStatus, OUTCOME_LABELS, Outcome } from '@sc/core/meetings/meeting-states';
import { LabelView } from '../../http/common.dto';
import { toWorkOrderBriefView, WorkOrderBriefView } from './work-order-brief.view';
import { AuditEntryView, toAuditEntryView } from '../../http/audit-entry.view';

export class BoardQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'Rows per list' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class BoardCompoundView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  code!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ format: 'uuid' })
  communityId!: string;
  @ApiProperty()
  communityName!: string;
}

export class BoardCountsView {
  @ApiProperty()
  total!: number;
  @ApiProperty({ description: 'Reported, dispatched, accepted, in progress, on hold' })
  open!: number;
  @ApiProperty({ description: 'Open and past a deadline' })
  overdue!: number;
  @ApiProperty({ description: 'Resolved, awaiting verification' })
  fixed!: number;
  @ApiProperty({ description: 'Verified or closed' })
  closed!: number;
  @ApiProperty({ description: 'Resolved at some point and no longer open' })
  resolved!: number;
}

export class BoardMeetingRefView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  number!: number;
  @ApiProperty()
  title!: string;
  @ApiProperty()
  startsAt!: Date;
  @ApiProperty()
  status!: string;
  @ApiProperty({ type: LabelView })
  statusLabel!: LabelView;
}

export class BoardActionItemView {
  @ApiProperty({ type: WorkOrderBriefView })
  workOrder!: WorkOrderBriefView;
  @ApiProperty({ nullable: true, type: String })
  ownerPartyName!: string | null;
}

export class BoardDecisionView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ type: BoardMeetingRefView })
  meeting!: BoardMeetingRefView;
  @ApiProperty({ format: 'uuid' })
  itemId!: string;
  @ApiProperty()
  itemTitle!: string;
  @ApiProperty()
  outcome!: Outcome;
  @ApiProperty({ type: LabelView })
  outcomeLabel!: LabelView;
  @ApiProperty()
  reason!: string;
  @ApiProperty({ nullable: true, type: Date })
  reviewDate!: Date | null;
  @ApiProperty()
  decidedAt!: Date;
  @ApiProperty({ nullable: true, type: Number, description: 'Mean progress of its action items (finished ones count 100)' })
  progress!: number | null;
  @ApiProperty({ type: [BoardActionItemView] })
  actionItems!: BoardActionItemView[];
}

export class CompoundBoardView {
  @ApiProperty({ type: BoardCompoundView })
  compound!: BoardCompoundView;
  @ApiProperty({ type: BoardCountsView })
  counts!: BoardCountsView;
  @ApiProperty({ nullable: true, type: Number, description: 'Median days from report to close over the closed issues' })
  medianDaysToClose!: number | null;
  @ApiProperty({ type: [WorkOrderBriefView], description: 'Open issues, newest first' })
  open!: WorkOrderBriefView[];
  @ApiProperty({ type: [WorkOrderBriefView], description: 'Overdue issues, oldest first' })
  overdue!: WorkOrderBriefView[];
  @ApiProperty({ type: [WorkOrderBriefView], description: 'Resolved issues, latest first' })
  resolved!: WorkOrderBriefView[];
  @ApiProperty({ type: [BoardDecisionView] })
  decisions!: BoardDecisionView[];
  @ApiProperty()
  generatedAt!: Date;
}

export class IssueMeetingView {
  @ApiProperty({ type: BoardMeetingRefView })
  meeting!: BoardMeetingRefView;
  @ApiProperty({ format: 'uuid' })
  itemId!: string;
  @ApiProperty()
  itemTitle!: string;
  @ApiProperty()
  itemSource!: string;
  @ApiProperty({ type: LabelView })
  itemSourceLabel!: LabelView;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  decisionId!: string | null;
  @ApiProperty({ nullable: true, type: String })
  outcome!: Outcome | null;
}

export class IssueHistoryView {
  @ApiProperty({ type: WorkOrderBriefView })
  issue!: WorkOrderBriefView;
  @ApiProperty({ type: [AuditEntryView], description: 'From first report to verification, oldest first' })
  history!: AuditEntryView[];
  @ApiProperty({ type: [IssueMeetingView], description: 'Joint meetings that discussed it, or whose decision opened it' })
  meetings!: IssueMeetingView[];
}

function meetingRef(m: { id: string; seq: number; title: string; startsAt: Date; status: string }): BoardMeetingRefView {
  return { id: m.id, number: m.seq, title: m.title, startsAt: m.startsAt, status: m.status, statusLabel: MEETING_STATUS_LABELS[m.status as MeetingStatus] };
}

export function toCompoundBoardView(b: CompoundBoard): CompoundBoardView {
  const now = b.generatedAt;
  return {
    compound: { id: b.compound.id, code: b.compound.code, name: b.compound.name, communityId: b.compound.community.id, communityName: b.compound.community.name },
    counts: b.counts,
    medianDaysToClose: b.medianDaysToClose,
    open: b.open.map((o) => toWorkOrderBriefView(o, now)),
    overdue: b.overdue.map((o) => toWorkOrderBriefView(o, now)),
    resolved: b.resolved.map((o) => toWorkOrderBriefView(o, now)),
    decisions: b.decisions.map((d) => ({
      id: d.decision.id,
      meeting: meetingRef(d.meeting),
      itemId: d.item.id,
      itemTitle: d.item.title,
      outcome: d.decision.outcome,
      outcomeLabel: OUTCOME_LABELS[d.decision.outcome],
      reason: d.decision.reason,
      reviewDate: d.decision.reviewDate ?? null,
      decidedAt: d.decision.decidedAt,
      progress: d.progress,
      actionItems: d.actionItems.map((a) => ({ workOrder: toWorkOrderBriefView(a.order, now), ownerPartyName: a.ownerPartyName ?? null })),
    })),
    generatedAt: b.generatedAt,
  };
}

export function toIssueHistoryView(h: IssueHistory): IssueHistoryView {
  return {
    issue: toWorkOrderBriefView(h.order),
    history: h.history.map(toAuditEntryView),
    meetings: h.meetings.map((m) => ({
      meeting: meetingRef(m.meeting),
      itemId: m.item.id,
      itemTitle: m.item.title,
      itemSource: m.item.source,
      itemSourceLabel: AGENDA_SOURCE_LABELS[m.item.source],
      decisionId: m.decision?.id ?? null,
      outcome: m.decision?.outcome ?? null,
    })),
  };
}
