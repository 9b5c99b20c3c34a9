/** Work-order states (DESIGN.md section 5): open → fixed → closed. Fixed is not closed. */
export const WORK_ORDER_STATUSES = ['reported', 'dispatched', 'accepted', 'in_progress', 'on_hold', 'resolved', 'verified', 'closed'] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

export const OPEN_STATUSES: readonly WorkOrderStatus[] = ['reported', 'dispatched', 'accepted', 'in_progress', 'on_hold'];

export type WorkOrderStage = 'open' | 'fixed' | 'closed';

export function stageOf(status: WorkOrderStatus): WorkOrderStage {
  if (status === 'resolved') return 'fixed';
  if (status === 'verified' || status === 'closed') return 'closed';
  return 'open';
}

export const WORK_ORDER_STATUS_LABELS: Record<WorkOrderStatus, { en: string; zh: string }> = {
  reported: { en: 'Reported', zh: '已上报' },
  dispatched: { en: 'Dispatched', zh: '已派单' },
  accepted: { en: 'Accepted', zh: '已接单' },
  in_progress: { en: 'In progress', zh: '处理中' },
  on_hold: { en: 'On hold', zh: '挂起' },
  resolved: { en: 'Resolved', zh: '已办结' },
  verified: { en: 'Verified', zh: '已督查' },
  closed: { en: 'Closed', zh: '已关闭' },
};

/** Why an order was closed without being fixed and verified. */
export const CLOSING_REASONS = ['duplicate', 'false_alarm', 'not_responsible', 'no_further_action'] as const;
export type ClosingReason = (typeof CLOSING_REASONS)[number];

export const CLOSING_REASON_LABELS: Record<ClosingReason, { en: string; zh: string }> = {
  duplicate: { en: 'Duplicate', zh: '重复工单' },
  false_alarm: { en: 'False alarm', zh: '误报' },
  not_responsible: { en: 'Not our responsibility (referred)', zh: '非本单位职责(已转办)' },
  no_further_action: { en: 'No further action', zh: '无需进一步处理' },
};

/** Escalation ladder (DESIGN.md section 5): community → street → district → city. */
export const ESCALATION_LEVELS = ['community', 'street', 'district', 'city'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export const ESCALATION_LEVEL_LABELS: Record<EscalationLevel, { en: string; zh: string }> = {
  community: { en: 'Community', zh: '社区' },
  street: { en: 'Street', zh: '街道' },
  district: { en: 'District', zh: '区/县' },
  city: { en: 'City', zh: '市' },
};

/** Where an order came from. */
export const WORK_ORDER_SOURCES = ['alert', 'desk', 'patrol', 'visit', 'meeting'] as const;
export type WorkOrderSource = (typeof WORK_ORDER_SOURCES)[number];

export const WORK_ORDER_SOURCE_LABELS: Record<WorkOrderSource, { en: string; zh: string }> = {
  alert: { en: 'Device alert', zh: '设备告警' },
  desk: { en: 'One-window desk request', zh: '一窗受理' },
  patrol: { en: 'Grid patrol report', zh: '巡查上报' },
  visit: { en: 'Appointment home visit', zh: '预约上门' },
  meeting: { en: 'Joint-meeting action item', zh: '联席会议督办事项' },
};
