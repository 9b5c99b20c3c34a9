import { PARTY_KIND_LABELS, PartyKind } from '../org/org-level';
import { MeetingRecord } from './meeting-record';
import { AGENDA_SOURCE_LABELS, AgendaSource, DECISION_RULE_LABELS, OUTCOME_LABELS, Outcome, POSITION_LABELS, PositionKind } from './meeting-states';

/** The structured minutes: what the meeting saw, heard and decided. No personal data beyond representatives' names. */
export interface MinutesContent {
  meeting: {
    id: string;
    number: number;
    title: string;
    place: string;
    startsAt: string;
    endsAt: string;
    startedAt: string | null;
    closedAt: string | null;
    community: { id: string; name: string };
    compound: { id: string; name: string } | null;
    convenerParty: { id: string; name: string } | null;
    convenerName: string | null;
    decisionRule: string;
  };
  attendance: { partyId: string; kind: PartyKind; name: string; present: boolean; attendees: { name: string; present: boolean; arrivedAt: string | null }[] }[];
  quorum: { met: boolean; reason: string | null };
  agenda: {
    position: number;
    title: string;
    source: AgendaSource;
    status: string;
    description: string | null;
    workOrders: { id: string; number: string; title: string; status: string }[];
    positions: { partyId: string; party: string; kind: PartyKind; position: PositionKind; statement: string | null; onBehalf: boolean }[];
    decision: {
      id: string;
      outcome: Outcome;
      reason: string;
      summary: string | null;
      reviewDate: string | null;
      actionItems: { workOrderId: string; number: string; title: string; ownerPartyId: string | null; ownerParty: string | null; ownerName: string | null; dueAt: string | null; status: string; progress: number | null }[];
    } | null;
  }[];
  generatedAt: string;
}

export function buildMinutesContent(record: MeetingRecord, now = new Date()): MinutesContent {
  const { meeting } = record;
  return {
    meeting: {
      id: meeting.id,
      number: meeting.seq,
      title: meeting.title,
      place: meeting.place,
      startsAt: meeting.startsAt.toISOString(),
      endsAt: meeting.endsAt.toISOString(),
      startedAt: meeting.startedAt?.toISOString() ?? null,
      closedAt: meeting.closedAt?.toISOString() ?? null,
      community: { id: meeting.community.id, name: meeting.community.name },
      compound: meeting.compound ? { id: meeting.compound.id, name: meeting.compound.name } : null,
      convenerParty: meeting.convenerParty ? { id: meeting.convenerParty.id, name: meeting.convenerParty.name } : null,
      convenerName: meeting.convenerName ?? null,
      decisionRule: meeting.decisionRule,
    },
    attendance: record.parties.map((s) => ({
      partyId: s.seat.party.id,
      kind: s.seat.kind,
      name: s.seat.name,
      present: s.present,
      attendees: s.attendees.map((a) => ({ name: a.name, present: a.present, arrivedAt: a.arrivedAt?.toISOString() ?? null })),
    })),
    quorum: { met: record.quorum.met, reason: record.quorum.reason ?? null },
    agenda: record.agenda
      .filter((a) => a.item.status !== 'dropped')
      .map((a) => ({
        position: a.item.position,
        title: a.item.title,
        source: a.item.source,
        status: a.item.status,
        description: a.item.description ?? null,
        workOrders: a.orders.map((o) => ({ id: o.id, number: o.number, title: o.title, status: o.status })),
        positions: a.positions.map((p) => ({
          partyId: p.party.id,
          party: p.party.name,
          kind: p.party.kind,
          position: p.position,
          statement: p.statement ?? null,
          onBehalf: p.onBehalf,
        })),
        decision: a.decision
          ? {
              id: a.decision.id,
              outcome: a.decision.outcome,
              reason: a.decision.reason,
              summary: a.decision.summary ?? null,
              reviewDate: a.decision.reviewDate?.toISOString() ?? null,
              actionItems: a.actionItems.map((ai) => ({
                workOrderId: ai.order.id,
                number: ai.order.number,
                title: ai.order.title,
                ownerPartyId: ai.order.ownerPartyId ?? null,
                ownerParty: ai.ownerParty?.name ?? null,
                ownerName: ai.ownerName ?? null,
                dueAt: ai.order.resolveDueAt?.toISOString() ?? null,
                status: ai.order.status,
                progress: ai.order.progress ?? null,
              })),
            }
          : null,
      })),
    generatedAt: now.toISOString(),
  };
}

/** The minutes as plain text (zh-CN), for channels that show text and for printing. Tolerates partial content. */
export function renderMinutesText(content: Partial<MinutesContent>): string {
  const lines: string[] = [];
  const m = content.meeting;
  if (m) {
    lines.push(`第${m.number}次联席会议纪要: ${m.title}`);
    lines.push(`时间: ${m.startsAt} 至 ${m.endsAt}    地点: ${m.place}`);
    lines.push(`社区: ${m.community?.name ?? ''}${m.compound ? `    小区: ${m.compound.name}` : ''}`);
    if (m.convenerParty) lines.push(`召集: ${m.convenerParty.name}${m.convenerName ? ` (${m.convenerName})` : ''}`);
    if (m.decisionRule in DECISION_RULE_LABELS) lines.push(`表决规则: ${DECISION_RULE_LABELS[m.decisionRule as keyof typeof DECISION_RULE_LABELS].zh}`);
  }
  if (content.attendance) {
    lines.push('', '出席:');
    for (const a of content.attendance) {
      const names = a.attendees?.filter((p) => p.present).map((p) => p.name) ?? [];
      lines.push(`  - ${PARTY_KIND_LABELS[a.kind]?.zh ?? a.kind} ${a.name}: ${a.present ? names.join('、') : '缺席'}`);
    }
  }
  if (content.quorum) lines.push(`法定人数: ${content.quorum.met ? '已达到' : `未达到 (${content.quorum.reason ?? ''})`}`);
  if (content.agenda) {
    lines.push('', '议题:');
    content.agenda.forEach((item, index) => {
      const orders = item.workOrders?.length ? ` (工单 ${item.workOrders.map((o) => o.number).join(', ')})` : '';
      lines.push(`${index + 1}. [${AGENDA_SOURCE_LABELS[item.source]?.zh ?? item.source}] ${item.title}${orders}`);
      if (item.positions?.length) {
        lines.push(`   各方意见: ${item.positions.map((p) => `${p.party} ${POSITION_LABELS[p.position]?.zh ?? p.position}${p.statement ? ` (${p.statement})` : ''}`).join('; ')}`);
      }
      const d = item.decision;
      if (!d) {
        lines.push('   决定: 未作决定');
        return;
      }
      lines.push(`   决定: ${OUTCOME_LABELS[d.outcome]?.zh ?? d.outcome} (${d.reason})${d.reviewDate ? `; 复议日期 ${d.reviewDate.slice(0, 10)}` : ''}`);
      if (d.summary) lines.push(`   说明: ${d.summary}`);
      for (const ai of d.actionItems ?? []) {
        lines.push(`   督办事项 ${ai.number}: ${ai.title}; 负责方 ${ai.ownerParty ?? '-'}, 负责人 ${ai.ownerName ?? '-'}, 期限 ${ai.dueAt ?? '-'}`);
      }
    });
  }
  return lines.join('\n');
}
