import { ApiProperty } from '@nestjs/swagger';
import { Meeting } from '@sc/core/meetings/entities/meeting.entity';
import { MeetingRecord, PartySeat } from '@sc/core/meetings/meeting-record';
import { QuorumResult } from '@sc/core/meetings/meeting-rules';
import { DECISION_RULE_LABELS, DECISION_RULES, DecisionRule, MEETING_STATUS_LABELS, MEETING_STATUSES, MeetingStatus } from '@sc/core/meetings/meeting-states';
import { PartyKind } from '@sc/core/org/org-level';
import { LabelView, PageInfo } from '../../http/common.dto';
import { AgendaItemView, toAgendaItemView } from './agenda.view';
import { CodedRefView, partyRef, PartyRefView } from './refs.view';

export class QuorumRuleView {
  @ApiProperty({ enum: PartyKind, isArray: true })
  requiredKinds!: PartyKind[];
  @ApiProperty({ nullable: true, type: Number })
  minParties!: number | null;
}

export class MeetingView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ description: 'Number of the meeting in its community (第N次)' })
  number!: number;
  @ApiProperty()
  title!: string;
  @ApiProperty()
  place!: string;
  @ApiProperty()
  startsAt!: Date;
  @ApiProperty()
  endsAt!: Date;
  @ApiProperty({ enum: MEETING_STATUSES })
  status!: MeetingStatus;
  @ApiProperty({ type: LabelView })
  statusLabel!: LabelView;
  @ApiProperty({ type: CodedRefView })
  community!: CodedRefView;
  @ApiProperty({ type: CodedRefView, nullable: true })
  compound!: CodedRefView | null;
  @ApiProperty({ type: PartyRefView, nullable: true })
  convenerParty!: PartyRefView | null;
  @ApiProperty({ nullable: true, type: String })
  convenerName!: string | null;
  @ApiProperty({ type: QuorumRuleView })
  quorumRule!: QuorumRuleView;
  @ApiProperty({ enum: DECISION_RULES })
  decisionRule!: DecisionRule;
  @ApiProperty({ type: LabelView })
  decisionRuleLabel!: LabelView;
  @ApiProperty({ description: 'iCalendar SEQUENCE: raised by every reschedule or cancellation' })
  icalSequence!: number;
  @ApiProperty({ nullable: true, type: Date })
  startedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date })
  closedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date })
  cancelledAt!: Date | null;
  @ApiProperty({ nullable: true, type: String })
  cancelReason!: string | null;
  @ApiProperty()
  createdAt!: Date;
  @ApiProperty()
  updatedAt!: Date;
}

export class MeetingPage extends PageInfo {
  @ApiProperty({ type: [MeetingView] })
  items!: MeetingView[];
}

export class AttendeeView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  accountId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  memberId!: string | null;
  @ApiProperty()
  name!: string;
  @ApiProperty()
  present!: boolean;
  @ApiProperty({ nullable: true, type: Date })
  arrivedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date })
  leftAt!: Date | null;
}

export class RepresentativeView {
  @ApiProperty({ format: 'uuid' })
  accountId!: string;
  @ApiProperty()
  name!: string;
}

export class PartySeatView extends PartyRefView {
  @ApiProperty({ description: 'At least one of its people is present' })
  present!: boolean;
  @ApiProperty({ type: [AttendeeView] })
  attendees!: AttendeeView[];
  @ApiProperty({ type: [RepresentativeView], description: 'Accounts that may attend and act for the party (roster links and committee, staff or worker roles)' })
  representatives!: RepresentativeView[];
}

export class QuorumView {
  @ApiProperty()
  met!: boolean;
  @ApiProperty()
  presentParties!: number;
  @ApiProperty({ enum: PartyKind, isArray: true })
  missingKinds!: PartyKind[];
  @ApiProperty({ nullable: true, type: String, example: 'quorum not met: owners_committee absent' })
  reason!: string | null;
}

export class AttendanceView {
  @ApiProperty({ format: 'uuid' })
  meetingId!: string;
  @ApiProperty({ type: [PartySeatView] })
  parties!: PartySeatView[];
  @ApiProperty({ type: QuorumView })
  quorum!: QuorumView;
}

export class MeetingDetailView extends MeetingView {
  @ApiProperty({ type: [PartySeatView] })
  parties!: PartySeatView[];
  @ApiProperty({ type: QuorumView })
  quorum!: QuorumView;
  @ApiProperty({ type: [AgendaItemView] })
  agenda!: AgendaItemView[];
}

export function toMeetingView(m: Meeting): MeetingView {
  return {
    id: m.id,
    number: m.seq,
    title: m.title,
    place: m.place,
    startsAt: m.startsAt,
    endsAt: m.endsAt,
    status: m.status,
    statusLabel: MEETING_STATUS_LABELS[m.status as MeetingStatus],
    community: { id: m.community.id, code: m.community.code, name: m.community.name },
    compound: m.compound ? { id: m.compound.id, code: m.compound.code, name: m.compound.name } : null,
    convenerParty: m.convenerParty ? partyRef(m.convenerParty) : null,
    convenerName: m.convenerName ?? null,
    quorumRule: { requiredKinds: m.quorum.requiredKinds, minParties: m.quorum.minParties ?? null },
    decisionRule: m.decisionRule,
    decisionRuleLabel: DECISION_RULE_LABELS[m.decisionRule as DecisionRule],
    icalSequence: m.icalSequence,
    startedAt: m.startedAt ?? null,
    closedAt: m.closedAt ?? null,
    cancelledAt: m.cancelledAt ?? null,
    cancelReason: m.cancelReason ?? null,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

export function toMeetingDetailView(record: MeetingRecord): MeetingDetailView {
  return {
    ...toMeetingView(record.meeting),
    parties: record.parties.map(toPartySeatView),
    quorum: toQuorumView(record.quorum),
    agenda: record.agenda.map(toAgendaItemView),
  };
}

export function toAttendanceView(meetingId: string, parties: PartySeat[], quorum: QuorumResult): AttendanceView {
  return { meetingId, parties: parties.map(toPartySeatView), quorum: toQuorumView(quorum) };
}

function toPartySeatView(s: PartySeat): PartySeatView {
  return {
    ...partyRef({ id: s.seat.party.id, name: s.seat.name, kind: s.seat.kind }),
    present: s.present,
    representatives: s.representatives ?? [],
    attendees: s.attendees.map((a) => ({
      id: a.id,
      accountId: a.accountId ?? null,
      memberId: a.memberId ?? null,
      name: a.name,
      present: a.present,
      arrivedAt: a.arrivedAt ?? null,
      leftAt: a.leftAt ?? null,
    })),
  };
}

function toQuorumView(q: QuorumResult): QuorumView {
  return { met: q.met, presentParties: q.presentParties, missingKinds: q.missingKinds, reason: q.reason ?? null };
}

