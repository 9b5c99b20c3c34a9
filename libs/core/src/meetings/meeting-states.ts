import { PartyKind } from '../org/org-level';

/** A joint meeting (联席会议, DESIGN.md section 6): scheduled → in session → closed, or cancelled before it starts. */
export const MEETING_STATUSES = ['scheduled', 'in_session', 'closed', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

/** Meetings whose agenda is still open: proposals land here, and a work order on it is not proposed again. */
export const OPEN_MEETING_STATUSES: readonly MeetingStatus[] = ['scheduled', 'in_session'];

export const MEETING_STATUS_LABELS: Record<MeetingStatus, { en: string; zh: string }> = {
  scheduled: { en: 'Scheduled', zh: '已安排' },
  in_session: { en: 'In session', zh: '会议中' },
  closed: { en: 'Closed', zh: '已结束' },
  cancelled: { en: 'Cancelled', zh: '已取消' },
};

/** Where an agenda item came from. */
export const AGENDA_SOURCES = ['overdue_order', 'escalated_order', 'disputed_order', 'motion', 'resident_proposal', 'carry_over'] as const;
export type AgendaSource = (typeof AGENDA_SOURCES)[number];

export const AGENDA_SOURCE_LABELS: Record<AgendaSource, { en: string; zh: string }> = {
  overdue_order: { en: 'Overdue work order', zh: '超期工单' },
  escalated_order: { en: 'Escalated work order', zh: '升级工单' },
  disputed_order: { en: 'Disputed work order', zh: '有争议工单' },
  motion: { en: "Owners' committee motion", zh: '业委会动议' },
  resident_proposal: { en: 'Resident proposal', zh: '居民提议' },
  carry_over: { en: 'Carried over from an earlier meeting', zh: '上次会议遗留事项' },
};

export const AGENDA_STATUSES = ['proposed', 'accepted', 'dropped'] as const;
export type AgendaStatus = (typeof AGENDA_STATUSES)[number];

export const AGENDA_STATUS_LABELS: Record<AgendaStatus, { en: string; zh: string }> = {
  proposed: { en: 'Proposed', zh: '建议议题' },
  accepted: { en: 'On the agenda', zh: '已列入议程' },
  dropped: { en: 'Dropped', zh: '未列入' },
};

export const POSITION_KINDS = ['agree', 'object', 'abstain'] as const;
export type PositionKind = (typeof POSITION_KINDS)[number];

export const POSITION_LABELS: Record<PositionKind, { en: string; zh: string }> = {
  agree: { en: 'Agree', zh: '同意' },
  object: { en: 'Object', zh: '反对' },
  abstain: { en: 'Abstain', zh: '弃权' },
};

export const OUTCOMES = ['adopted', 'rejected', 'deferred'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_LABELS: Record<Outcome, { en: string; zh: string }> = {
  adopted: { en: 'Adopted', zh: '通过' },
  rejected: { en: 'Rejected', zh: '未通过' },
  deferred: { en: 'Deferred', zh: '暂缓' },
};

/**
 * How positions become an outcome. consensus (the default): adopted when no present party
 * objects and a majority of the present parties agree; majority: a majority agrees;
 * unanimous: every present party agrees.
 */
export const DECISION_RULES = ['consensus', 'majority', 'unanimous'] as const;
export type DecisionRule = (typeof DECISION_RULES)[number];

export const DECISION_RULE_LABELS: Record<DecisionRule, { en: string; zh: string }> = {
  consensus: { en: 'Nobody objects and a majority agrees', zh: '无反对且多数同意' },
  majority: { en: 'A majority agrees', zh: '多数同意' },
  unanimous: { en: 'Every present party agrees', zh: '全体同意' },
};

/** Quorum: these party kinds present (each by at least one party), and at least `minParties` parties. */
export interface QuorumRule {
  requiredKinds: PartyKind[];
  minParties?: number;
}

/** By default all four parties of the joint meeting must be present. */
export const DEFAULT_QUORUM: QuorumRule = {
  requiredKinds: [PartyKind.PartyOrganisation, PartyKind.ResidentsCommittee, PartyKind.OwnersCommittee, PartyKind.PropertyCompany],
};

/** Minutes before the start at which the parties are reminded. */
export const REMINDER_LEADS_MINUTES: readonly number[] = [1440, 60];

/** A minutes version is a draft (a correction being written) or published, and then immutable. */
export const MINUTES_STATUSES = ['draft', 'published'] as const;
export type MinutesStatus = (typeof MINUTES_STATUSES)[number];

export const MINUTES_STATUS_LABELS: Record<MinutesStatus, { en: string; zh: string }> = {
  draft: { en: 'Draft correction', zh: '更正草稿' },
  published: { en: 'Published', zh: '已发布' },
};
